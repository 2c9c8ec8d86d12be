import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli';

/** The CLI reads XDG_CONFIG_HOME and SETMOV_SSH_* from its process; each test sets its own. */
describe('setmov hosts add --save-secret and remove', () => {
  let dir = '';
  const saved = { ...process.env };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'setmov-hosts-secrets-'));
    process.env.XDG_CONFIG_HOME = dir;
    delete process.env.SETMOV_SSH_PASSWORD;
    delete process.env.SETMOV_SSH_PASSPHRASE;
  });
  afterEach(() => {
    for (const k of ['XDG_CONFIG_HOME', 'SETMOV_SSH_PASSWORD', 'SETMOV_SSH_PASSPHRASE']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    rmSync(dir, { recursive: true, force: true });
  });
  const secretsFile = (): string => join(dir, 'setmov', 'secrets.json');
  const addPw = (...extra: string[]) =>
    runCli(['hosts', 'add', 'kvm1', '--ssh', 'admin@kvm1.example', '--auth', 'password', ...extra]);

  it('keeps the password in the 0600 secrets file, never in hosts.json, and remove deletes it', async () => {
    process.env.SETMOV_SSH_PASSWORD = 'hunter2 "x"';
    const added = await addPw('--save-secret');
    expect(added.err).toBe('');
    expect(added.code).toBe(0);
    expect(added.out).toContain(`saved its password in ${secretsFile()} (0600, not encrypted)`);
    expect(added.out).not.toContain('hunter2');
    expect(statSync(secretsFile()).mode & 0o777).toBe(0o600);
    // Kept under the host's id, which a rename does not change.
    const [saved] = JSON.parse(readFileSync(join(dir, 'setmov', 'hosts.json'), 'utf8')).hosts;
    expect(JSON.parse(readFileSync(secretsFile(), 'utf8')).secrets).toEqual({
      [`ssh-password#${saved.id}`]: 'hunter2 "x"',
    });
    expect(readFileSync(join(dir, 'setmov', 'hosts.json'), 'utf8')).not.toContain('hunter2');

    expect((await runCli(['hosts', 'remove', 'kvm1'])).code).toBe(0);
    expect(JSON.parse(readFileSync(secretsFile(), 'utf8')).secrets).toEqual({});
  });

  it('refuses --save-secret with no password to save, saving nothing', async () => {
    const result = await addPw('--save-secret');
    expect(result.code).toBe(2);
    expect(result.err).toMatch(
      /--save-secret needs the password: set SETMOV_SSH_PASSWORD or use --password-prompt/,
    );
    expect(existsSync(join(dir, 'setmov', 'hosts.json'))).toBe(false);
    expect(existsSync(secretsFile())).toBe(false);
  });

  it('refuses --save-secret for agent auth', async () => {
    const result = await runCli(['hosts', 'add', 'a', '--ssh', 'u@h', '--save-secret']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/--save-secret goes with --auth password or --auth key/);
  });

  it('removes a host without creating a secrets file where there is none', async () => {
    expect((await addPw()).code).toBe(0);
    expect((await runCli(['hosts', 'remove', 'kvm1'])).code).toBe(0);
    expect(existsSync(secretsFile())).toBe(false);
  });
});
