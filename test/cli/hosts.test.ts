import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultHostsConfigPath, loadHosts } from '../../src/collector/hosts-config/hosts-config';
import { savedHostTarget } from '../../src/collector/hosts-config/saved-host-target';
import { runCli } from '../helpers/run-cli';

const run = runCli;

describe('setmov hosts', () => {
  let config = '';
  beforeEach(() => {
    config = join(mkdtempSync(join(tmpdir(), 'setmov-hosts-')), 'sub', 'hosts.json');
  });

  it('adds, lists and removes hosts in a file only its user can read', async () => {
    expect((await run(['hosts', 'list', '--config', config])).out).toMatch(/no saved hosts/);
    const added = await run([
      'hosts',
      'add',
      'kvm1',
      '--ssh',
      'admin@kvm1.example:2200',
      '--identity',
      'keys/id',
      '--interval',
      '5',
      '--config',
      config,
    ]);
    expect(added.code).toBe(0);
    expect(
      (await run(['hosts', 'add', 'here', '--uri', 'qemu:///session', '--config', config])).code,
    ).toBe(0);
    const listed = await run(['hosts', 'list', '--config', config]);
    expect(listed.out).toMatch(
      /^kvm1 {2}admin@kvm1\.example:2200, key \/.*keys\/id, qemu:\/\/\/system, every 5 s$/m,
    );
    expect(listed.out).toMatch(/^here {2}this machine, qemu:\/\/\/session, every 2 s$/m);
    const json = (await run(['hosts', 'list', '--json', '--config', config])).out
      .trim()
      .split('\n');
    expect(JSON.parse(json[0] ?? '{}')).toMatchObject({
      name: 'kvm1',
      ssh: { host: 'kvm1.example', port: 2200, username: 'admin', auth: 'key' },
      pollIntervalSec: 5,
      memoryStatsPeriodSec: 2,
    });
    expect(statSync(config).mode & 0o777).toBe(0o600);

    expect((await run(['hosts', 'remove', 'kvm1', '--config', config])).code).toBe(0);
    expect((await loadHosts(config)).map((h) => h.name)).toEqual(['here']);
  });

  it('stores no secret: password auth keeps only the method', async () => {
    process.env.SETMOV_SSH_PASSWORD = 'hunter2';
    try {
      await run([
        'hosts',
        'add',
        'pw',
        '--ssh',
        'root@10.0.0.9',
        '--auth',
        'password',
        '--config',
        config,
      ]);
    } finally {
      delete process.env.SETMOV_SSH_PASSWORD;
    }
    const text = readFileSync(config, 'utf8');
    expect(text).not.toContain('hunter2');
    expect(JSON.parse(text).hosts[0].ssh.auth).toBe('password');
    const [host] = await loadHosts(config);
    expect(() => savedHostTarget(host!)).toThrow(/needs a password/);
    expect(savedHostTarget(host!, { password: 'pw' }).ssh?.auth).toEqual({
      method: 'password',
      password: 'pw',
    });
  });

  it('refuses a file that carries a secret, or is not the expected shape, with one line', async () => {
    writeFileSync(
      (config = join(mkdtempSync(join(tmpdir(), 'setmov-hosts-')), 'hosts.json')),
      JSON.stringify({
        version: 1,
        hosts: [{ name: 'a', ssh: { host: 'h', username: 'u', auth: 'password', password: 'x' } }],
      }),
    );
    const secret = await run(['hosts', 'list', '--config', config]);
    expect(secret.code).toBe(1);
    expect(secret.err).toMatch(
      /^setmov: .*'password' looks like a secret; secrets are never stored here \(fix it, or move it aside[^\n]*\n$/,
    );
    writeFileSync(config, '{"hosts": 3}');
    expect((await run(['hosts', 'list', '--config', config])).err).toMatch(/hosts.json: version: /);
    writeFileSync(config, 'not json');
    expect((await run(['hosts', 'list', '--config', config])).err).toMatch(/not valid JSON/);
  });

  it.each([
    [['hosts', 'add'], /one NAME/],
    [
      ['hosts', 'add', 'x', '--interval', '61'],
      /--interval must be a whole number of seconds from 1 to 60/,
    ],
    [['hosts', 'add', 'x', '--identity', 'k'], /--identity needs --ssh/],
    [['hosts', 'add', 'x', '--ssh', 'u@h', '--auth', 'key'], /--auth key needs --identity/],
    [
      ['hosts', 'add', 'x', '--ssh', 'u@h', '--auth', 'kerberos'],
      /--auth must be agent, key or password/,
    ],
    [['hosts', 'add', 'x', '--ssh', 'u@h:99999'], /port 99999 is out of range/],
    [['hosts', 'add', 'x', '--uri', 'qemu:///system?netcat=perl'], /no \?parameters/],
    [['hosts', 'remove', 'nobody'], /no saved host is named 'nobody'/],
    [['hosts', 'test', 'nobody'], /no saved host is named 'nobody'/],
    [['hosts', 'frob'], /unknown hosts subcommand 'frob'/],
  ])('%j is a usage error (exit 2, one line)', async (args, message) => {
    const result = await run([...args, '--config', config]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
    expect(result.err.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a hosts.json whose libvirt URI names a helper to run, in one line', async () => {
    writeFileSync(
      (config = join(mkdtempSync(join(tmpdir(), 'setmov-hosts-')), 'hosts.json')),
      JSON.stringify({
        version: 1,
        hosts: [{ name: 'a', libvirtUri: 'qemu:///system?netcat=perl' }],
      }),
    );
    const result = await run(['hosts', 'list', '--config', config]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/libvirtUri: .*no \?parameters/);
    expect(result.err.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a second host of the same name', async () => {
    await run(['hosts', 'add', 'a', '--config', config]);
    const again = await run(['hosts', 'add', 'a', '--config', config]);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/already saved/);
  });

  it('keeps the file in the XDG config directory by default', () => {
    expect(defaultHostsConfigPath({ XDG_CONFIG_HOME: '/x/cfg' })).toBe('/x/cfg/setmov/hosts.json');
    expect(defaultHostsConfigPath({ HOME: '/home/u' })).toMatch(/\.config\/setmov\/hosts\.json$/);
  });
});
