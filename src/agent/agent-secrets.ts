import { join } from 'node:path';
import type { SavedHost } from '../collector/hosts-config/saved-host';
import type { HostSecrets } from '../collector/hosts-config/saved-host-target';
import { FileSecretStore } from '../store/file-secret-store';
import type { MysqlTarget } from '../store/mysql/mysql-target';
import { mysqlSecretKey, sshSecretKey, type SecretStore } from '../store/secret-store';

/**
 * The variables `setmov sync` and `setmov hosts` read too (cli/store/read-password); the
 * agent may not import the CLI, whose command imports the agent.
 */
const MYSQL_PASSWORD_ENV = 'SETMOV_MYSQL_PASSWORD';
const SSH_PASSWORD_ENV = 'SETMOV_SSH_PASSWORD';
const SSH_PASSPHRASE_ENV = 'SETMOV_SSH_PASSPHRASE';

export function agentSecretsPath(stateDir: string): string {
  return join(stateDir, 'secrets.json');
}

/**
 * Where the agent finds passwords, as the CLI does without a terminal: the environment
 * first (a systemd EnvironmentFile, say), else its 0600 secrets file under the state
 * directory, keyed as the app keys them (mysqlSecretKey, sshSecretKey by host id). Never
 * its configuration, never argv. Read each time a host or the sync starts, so a reload
 * takes a changed password.
 */
export class AgentSecrets {
  private readonly store: SecretStore;

  constructor(
    stateDir: string,
    private readonly env: NodeJS.ProcessEnv,
    store?: SecretStore,
  ) {
    this.store = store ?? new FileSecretStore(agentSecretsPath(stateDir));
  }

  /** The target's password; '' for none (mysql2 then sends none, and the server decides). */
  async mysqlPassword(target: MysqlTarget): Promise<string> {
    return this.env[MYSQL_PASSWORD_ENV] ?? (await this.store.get(mysqlSecretKey(target))) ?? '';
  }

  /** The SSH secret a host's auth method takes, if one is found. */
  async hostSecrets(host: SavedHost): Promise<HostSecrets> {
    const auth = host.ssh?.auth;
    if (auth === 'password') {
      const password =
        this.env[SSH_PASSWORD_ENV] ?? (await this.store.get(sshSecretKey('password', host.id)));
      // None found: the login is tried without one, and the host's error says it was refused.
      return { password: password ?? '' };
    }
    if (auth === 'key') {
      const passphrase =
        this.env[SSH_PASSPHRASE_ENV] ?? (await this.store.get(sshSecretKey('passphrase', host.id)));
      return passphrase === null ? {} : { passphrase };
    }
    return {};
  }
}
