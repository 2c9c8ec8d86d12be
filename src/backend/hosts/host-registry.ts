import { existsSync } from 'node:fs';
import type { HostTarget } from '../../collector/engine/host-target';
import { loadHosts, newHostId, saveHosts } from '../../collector/hosts-config/hosts-config';
import type { SavedHost } from '../../collector/hosts-config/saved-host';
import { savedHostTarget, type HostSecrets } from '../../collector/hosts-config/saved-host-target';
import { ContractError } from '../../shared/contract/reply';
import { sshSecretKey, sshSecretKeyByName, type SecretStore } from '../../store/secret-store';
import { acceptHostKey, type PendingHostKey } from './host-test';

const SECRET_KINDS = ['password', 'passphrase'] as const;
type SecretKind = (typeof SECRET_KINDS)[number];

/** The SSH secrets a host is saved with; absent ones are none. */
export type HostSecretsInput = Partial<Record<SecretKind, string>>;

export interface HostRegistryOptions {
  /** hosts.json */
  hostsPath: string;
  /** Where SSH passwords and passphrases go; never hosts.json. */
  secrets: SecretStore;
  /** Saved when there is no hosts.json yet (the app's first start: this machine). */
  firstHost?: () => Omit<SavedHost, 'id'>;
}

/**
 * The saved hosts (hosts.json), their secrets and the host keys met but not accepted yet:
 * every change to them goes through here, for the backend and the CLI alike. Each host
 * is known by its id; its name, unique among the saved hosts, is for people.
 */
export class HostRegistry {
  private readonly pendingKeys = new Map<string, PendingHostKey>();

  private constructor(
    private readonly options: HostRegistryOptions,
    private hosts: SavedHost[],
  ) {}

  static async open(options: HostRegistryOptions): Promise<HostRegistry> {
    const firstStart = !existsSync(options.hostsPath);
    let hosts = await loadHosts(options.hostsPath);
    const first = options.firstHost;
    if (first && firstStart) {
      hosts = [{ id: newHostId(), ...first() }];
      await saveHosts(options.hostsPath, hosts);
    }
    const registry = new HostRegistry(options, hosts);
    for (const host of hosts) await registry.moveSecretsFromName(host);
    return registry;
  }

  get all(): readonly SavedHost[] {
    return this.hosts;
  }

  /** The host with this id; a 'failed' ContractError when none is saved. */
  get(id: string): SavedHost {
    const host = this.hosts.find((h) => h.id === id);
    if (!host) throw new ContractError('failed', `no saved host has the id '${id}'`);
    return host;
  }

  named(name: string): SavedHost | undefined {
    return this.hosts.find((h) => h.name === name);
  }

  /** Saves a new host under a new id, with its secrets. */
  async add(host: Omit<SavedHost, 'id'>, secrets: HostSecretsInput = {}): Promise<SavedHost> {
    this.assertNameFree(host.name);
    const saved: SavedHost = { id: newHostId(), ...host };
    await this.save([...this.hosts, saved]);
    await this.keepSecrets(saved.id, secrets);
    return saved;
  }

  /** Saves a host's new settings (its name too); `secrets` given replace the old ones. */
  async update(host: SavedHost, secrets?: HostSecretsInput): Promise<void> {
    this.get(host.id);
    this.assertNameFree(host.name, host.id);
    await this.save(this.hosts.map((h) => (h.id === host.id ? host : h)));
    if (secrets !== undefined) await this.keepSecrets(host.id, secrets);
  }

  async remove(id: string): Promise<SavedHost> {
    const host = this.get(id);
    await this.save(this.hosts.filter((h) => h.id !== id));
    this.pendingKeys.delete(id);
    await this.keepSecrets(id, {});
    return host;
  }

  async secretsOf(host: SavedHost): Promise<HostSecrets> {
    const password = await this.options.secrets.get(sshSecretKey('password', host.id));
    const passphrase = await this.options.secrets.get(sshSecretKey('passphrase', host.id));
    return {
      ...(password === null ? {} : { password }),
      ...(passphrase === null ? {} : { passphrase }),
    };
  }

  /** The engine's target for the host, with its kept secrets. */
  async targetOf(host: SavedHost, trustedHostKeyFingerprint?: string): Promise<HostTarget> {
    const target = savedHostTarget(host, await this.secretsOf(host));
    if (target.ssh && trustedHostKeyFingerprint) {
      target.ssh.trustedHostKeyFingerprint = trustedHostKeyFingerprint;
    }
    return target;
  }

  /** The unknown key a test of the host met (null: none), until it is accepted or met again. */
  rememberKey(id: string, pending: PendingHostKey | null): void {
    if (pending) this.pendingKeys.set(id, pending);
    else this.pendingKeys.delete(id);
  }

  /**
   * Trusts exactly the key a test showed: appended to the host's known_hosts (or
   * `defaultKnownHostsFile`). Any other fingerprint is refused.
   */
  async acceptKey(id: string, fingerprint: string, defaultKnownHostsFile: string): Promise<void> {
    const host = this.get(id);
    const pending = this.pendingKeys.get(id);
    if (!pending || pending.fingerprint !== fingerprint) {
      throw new ContractError(
        'failed',
        `${host.name}: ${fingerprint} is not the key hosts.test was shown; test the host again`,
      );
    }
    await acceptHostKey(host.ssh?.knownHostsFile ?? defaultKnownHostsFile, pending);
    this.pendingKeys.delete(id);
  }

  private assertNameFree(name: string, exceptId?: string): void {
    if (this.hosts.some((h) => h.name === name && h.id !== exceptId)) {
      throw new ContractError('failed', `a host named '${name}' exists already`);
    }
  }

  private async save(hosts: SavedHost[]): Promise<void> {
    await saveHosts(this.options.hostsPath, hosts);
    this.hosts = hosts;
  }

  /** Replaces the host's secrets with these (none: both deleted). */
  private async keepSecrets(id: string, secrets: HostSecretsInput): Promise<void> {
    for (const kind of SECRET_KINDS) {
      const value = secrets[kind];
      if (value === undefined) await this.options.secrets.delete(sshSecretKey(kind, id));
      else await this.options.secrets.set(sshSecretKey(kind, id), value);
    }
  }

  /** Secrets an earlier version kept under the host's name go under its id. */
  private async moveSecretsFromName(host: SavedHost): Promise<void> {
    for (const kind of SECRET_KINDS) {
      const byName = sshSecretKeyByName(kind, host.name);
      const value = await this.options.secrets.get(byName);
      if (value === null) continue;
      if ((await this.options.secrets.get(sshSecretKey(kind, host.id))) === null) {
        await this.options.secrets.set(sshSecretKey(kind, host.id), value);
      }
      await this.options.secrets.delete(byName);
    }
  }
}
