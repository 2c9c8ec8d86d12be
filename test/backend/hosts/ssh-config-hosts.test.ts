import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sshConfigHosts } from '../../../src/backend/hosts/ssh-config-hosts';

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

  it('answers a Host pattern that backtracks exponentially as a regex at once', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'setmov-ssh-config-')), 'config');
    const alias = 'a'.repeat(40);
    writeFileSync(path, `Host ${alias}\n  Port 2200\nHost *a*a*a*a*a*a*a*a*a*b\n  User x\n`);
    const started = performance.now();
    expect(await sshConfigHosts(path)).toEqual([
      { alias, hostName: alias, port: 2200, user: null, identityFile: null },
    ]);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('applies a Host line only when no ! pattern on it matches; ? is one character', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'setmov-ssh-config-')), 'config');
    writeFileSync(
      path,
      [
        'Port 2201',
        'Host kvm1 kvm22 db',
        'Host kvm? !kvm2',
        '  User ops',
        'Host * !db',
        '  HostName %h.lab',
        '  Port 2202',
        '',
      ].join('\n'),
    );
    expect(await sshConfigHosts(path)).toEqual([
      { alias: 'kvm1', hostName: '%h.lab', port: 2201, user: 'ops', identityFile: null },
      { alias: 'kvm22', hostName: '%h.lab', port: 2201, user: null, identityFile: null },
      { alias: 'db', hostName: 'db', port: 2201, user: null, identityFile: null },
    ]);
  });

  it('refuses a config that is not a regular file, too large, or has too many Host patterns', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'setmov-ssh-config-'));
    await expect(sshConfigHosts('/dev/zero')).rejects.toThrow(/not a regular file/);
    const large = join(dir, 'large');
    writeFileSync(large, `# ${'x'.repeat(1024 * 1024)}\n`);
    await expect(sshConfigHosts(large)).rejects.toThrow(/larger than the 1048576 bytes allowed/);
    const many = join(dir, 'many');
    writeFileSync(many, Array.from({ length: 1001 }, (_, i) => `Host h${i}\n`).join(''));
    await expect(sshConfigHosts(many)).rejects.toThrow(/more than 1000 Host patterns/);
  });

  it('offers none without a config file', async () => {
    expect(await sshConfigHosts(join(tmpdir(), 'no-such-dir', 'config'))).toEqual([]);
  });
});
