import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, afterAll, expect, it } from 'vitest';
import { describeBed } from '../helpers/bed';
import { spawnCli } from '../helpers/spawn-cli';
import { tempDir } from '../store/temp-db';

/**
 * `setmov hosts test` of a host saved with password auth, against the bed's sshd and its
 * password user, in separate processes: the password is found where ssh users expect it.
 * The password user may not reach libvirt (root's socket), so a good login shows as the
 * host line (its /proc was read), whatever the status.
 */
describeBed('setmov hosts test with SSH password auth', (bed) => {
  const tmp = tempDir();
  const config = tmp.file('config');
  let env: NodeJS.ProcessEnv;
  const user = bed.ssh.passwordUser ?? 'setmovtest';
  const password = bed.ssh.password ?? '';

  beforeAll(async () => {
    mkdirSync(config);
    env = { ...process.env, XDG_CONFIG_HOME: config };
    delete env.SETMOV_SSH_PASSWORD;
    delete env.SETMOV_SSH_PASSPHRASE;
    const add = await spawnCli(
      [
        'hosts',
        'add',
        'pw',
        '--ssh',
        `${user}@${bed.ssh.host}:${bed.ssh.port}`,
        '--auth',
        'password',
        '--known-hosts',
        bed.ssh.knownHostsFile,
      ],
      env,
    );
    expect(add.code).toBe(0);
  });
  afterAll(() => tmp.remove());

  const test = (extra: string[] = [], moreEnv: NodeJS.ProcessEnv = {}, typed?: string) =>
    spawnCli(
      ['hosts', 'test', 'pw', '--timeout', '20', ...extra],
      { ...env, ...moreEnv },
      typed === undefined ? undefined : { after: "'s password: ", text: typed },
    );

  it('with no password anywhere, tries without one (no prompt) and says how to give one', async () => {
    const result = await test();
    expect(result.err).toBe('');
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^pw: unreachable \(.*(auth|password|refused|denied).*\)$/im);
    expect(result.out).toMatch(
      /^ {2}hint {6}none was given: set SETMOV_SSH_PASSWORD or use --password-prompt$/m,
    );
    expect(result.out).not.toMatch(/^ {2}host /m);
  });

  it('takes SETMOV_SSH_PASSWORD', async () => {
    const result = await test([], { SETMOV_SSH_PASSWORD: password });
    expect(result.out).toMatch(/^ {2}host {6}\S+ \(.*\), \d+ CPUs/m);
    expect(result.out).not.toContain('hint');
  });

  it('asks on the terminal with --password-prompt', async () => {
    const result = await test(['--password-prompt'], {}, password);
    expect(result.out).toContain(`${user}@${bed.ssh.host}'s password: `);
    expect(result.out).toMatch(/^ {2}host {6}\S+ \(.*\), \d+ CPUs/m);
    expect(result.out).not.toContain(password);
  });

  it('takes the password saved for the host in the 0600 secrets file', async () => {
    const folder = join(config, 'setmov');
    writeFileSync(
      join(folder, 'secrets.json'),
      JSON.stringify({ version: 1, secrets: { 'ssh-password:pw': password } }),
      { mode: 0o600 },
    );
    try {
      const result = await test();
      expect(result.err).toBe('');
      expect(result.out).toMatch(/^ {2}host {6}\S+ \(.*\), \d+ CPUs/m);
    } finally {
      writeFileSync(join(folder, 'secrets.json'), JSON.stringify({ version: 1, secrets: {} }));
    }
  });
});
