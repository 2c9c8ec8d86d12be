import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAgentConfig } from '../../src/agent/agent-config';
import { AgentSecrets, agentSecretsPath } from '../../src/agent/agent-secrets';
import type { SavedHost } from '../../src/collector/hosts-config/saved-host';

const stateDir = mkdtempSync(join(tmpdir(), 'setmov-agent-secrets-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

const config = parseAgentConfig('agent.json', {
  stateDir,
  hosts: [
    { id: 'pw-host', name: 'pw', ssh: { host: 'kvm1', username: 'root', auth: 'password' } },
    {
      id: 'key-host',
      name: 'key',
      ssh: { host: 'kvm2', username: 'root', auth: 'key', identityFile: '/etc/setmov/id' },
    },
    { id: 'agent-host', name: 'agent', ssh: { host: 'kvm3', username: 'root', auth: 'agent' } },
  ],
  sync: { url: 'mysql://agent@db1:3306,db2:3306/setmov' },
});
const [pw, key, agent] = config.hosts as SavedHost[];

function keepSecrets(secrets: Record<string, string>, mode = 0o600): void {
  writeFileSync(agentSecretsPath(stateDir), JSON.stringify({ version: 1, secrets }));
  chmodSync(agentSecretsPath(stateDir), mode);
}

describe("the agent's passwords", () => {
  it('come from its secrets file, by the target and by host id', async () => {
    keepSecrets({
      'mysql:agent@db1:3306,db2:3306/setmov': 'db-pw',
      'ssh-password#pw-host': 'ssh-pw',
      'ssh-passphrase#key-host': 'key-pp',
    });
    const secrets = new AgentSecrets(stateDir, {});
    expect(await secrets.mysqlPassword(config.sync.target)).toBe('db-pw');
    expect(await secrets.hostSecrets(pw!)).toEqual({ password: 'ssh-pw' });
    expect(await secrets.hostSecrets(key!)).toEqual({ passphrase: 'key-pp' });
    expect(await secrets.hostSecrets(agent!)).toEqual({});
  });

  it('come from the environment first, as for the other commands', async () => {
    const secrets = new AgentSecrets(stateDir, {
      SETMOV_MYSQL_PASSWORD: '',
      SETMOV_SSH_PASSWORD: 'env-pw',
      SETMOV_SSH_PASSPHRASE: 'env-pp',
    });
    expect(await secrets.mysqlPassword(config.sync.target)).toBe('');
    expect(await secrets.hostSecrets(pw!)).toEqual({ password: 'env-pw' });
    expect(await secrets.hostSecrets(key!)).toEqual({ passphrase: 'env-pp' });
  });

  it('are none when neither has them: the login is tried without', async () => {
    keepSecrets({});
    const secrets = new AgentSecrets(stateDir, {});
    expect(await secrets.mysqlPassword(config.sync.target)).toBe('');
    expect(await secrets.hostSecrets(pw!)).toEqual({ password: '' });
    expect(await secrets.hostSecrets(key!)).toEqual({});
  });

  it('are refused from a secrets file others may read', async () => {
    keepSecrets({ 'mysql:agent@db1:3306,db2:3306/setmov': 'db-pw' }, 0o644);
    await expect(new AgentSecrets(stateDir, {}).mysqlPassword(config.sync.target)).rejects.toThrow(
      /mode 644 lets others read it; refused/,
    );
  });
});
