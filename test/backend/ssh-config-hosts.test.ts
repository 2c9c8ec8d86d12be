import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sshConfigHosts } from '../../src/backend/ssh-config-hosts';

describe('the hosts of ~/.ssh/config the connect dialog offers', () => {
  it('lists plain aliases with what OpenSSH would use, and never runs Match exec', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'setmov-ssh-config-'));
    const touched = join(dir, 'exec-ran');
    const path = join(dir, 'config');
    writeFileSync(
      path,
      [
        'Host kvm-a kvm-b',
        '  HostName 10.0.0.%h',
        '  User admin',
        'Host kvm-a',
        '  HostName 10.0.0.11',
        '  Port 2222',
        '  IdentityFile ~/.ssh/id_kvm',
        `Match exec "touch ${touched}"`,
        '  User nobody',
        'Host *.lab !bastion',
        '  User lab',
        'Host bastion',
        '  Port 99999',
        'Host *',
        '  IdentityFile ~/.ssh/id_ed25519',
        '',
      ].join('\n'),
    );
    const hosts = await sshConfigHosts(path);
    expect(hosts).toEqual([
      {
        alias: 'kvm-a',
        hostName: '10.0.0.%h',
        port: 2222,
        user: 'admin',
        identityFile: join(homedir(), '.ssh/id_kvm'),
      },
      {
        alias: 'kvm-b',
        hostName: '10.0.0.%h',
        port: 22,
        user: 'admin',
        identityFile: join(homedir(), '.ssh/id_ed25519'),
      },
      // A port no TCP can have is not offered as one.
      {
        alias: 'bastion',
        hostName: 'bastion',
        port: 22,
        user: null,
        identityFile: join(homedir(), '.ssh/id_ed25519'),
      },
    ]);
    expect(existsSync(touched)).toBe(false);
  });

  it('offers none without a config file', async () => {
    expect(await sshConfigHosts(join(tmpdir(), 'no-such-dir', 'config'))).toEqual([]);
  });
});
