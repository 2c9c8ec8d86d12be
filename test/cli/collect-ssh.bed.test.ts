import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import type { DetailedHostSample } from '../../src/shared/model/detailed-host-sample';
import { describeBed } from '../helpers/bed';
import { bedSshCliArgs } from '../helpers/bed-ssh';
import { runCli, type CliRun, type RunCliOptions } from '../helpers/run-cli';

const collect = (args: string[], options?: RunCliOptions): Promise<CliRun> =>
  runCli(['collect', ...args], options);

const scratch = mkdtempSync(join(tmpdir(), 'setmov-collect-ssh-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(() => {
  delete process.env.SETMOV_SSH_PASSWORD;
});

describeBed('setmov collect --ssh against the bed sshd', (bed) => {
  const passwordUser = `${bed.ssh.passwordUser ?? 'no-password-user-in-bed.json'}@${bed.ssh.host}:${bed.ssh.port}`;
  // No --identity: the CLI must ask for the password (from SETMOV_SSH_PASSWORD).
  const passwordLogin = ['--ssh', passwordUser, '--known-hosts', bed.ssh.knownHostsFile];

  it('prints samples of the remote host with a key', async () => {
    const { code, out, err } = await collect([
      ...bedSshCliArgs(bed),
      '--count',
      '2',
      '--interval',
      '0.5',
      '--json',
    ]);
    expect(err).toBe('');
    expect(code).toBe(0);
    const samples = out
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as DetailedHostSample);
    expect(samples).toHaveLength(2);
    // The bed's sshd runs on this machine: the remote host is this host.
    expect(samples[0]).toMatchObject({ kind: 'host', host: hostname() });
    expect(samples[0]!.cpu.percent).toBeGreaterThanOrEqual(0);
    expect(samples[1]!.net.interfaces.map((i) => i.interface)).toContain(bed.domains[0]!.tap);
  });

  it('logs in with the password from SETMOV_SSH_PASSWORD, never from argv', async () => {
    process.env.SETMOV_SSH_PASSWORD = bed.ssh.password ?? '';
    const { code, out } = await collect([
      ...passwordLogin,
      '--count',
      '1',
      '--interval',
      '0.5',
      '--json',
    ]);
    expect(code).toBe(0);
    expect((JSON.parse(out) as DetailedHostSample).host).toBe(hostname());
  });

  it('exits 1 with one line on a wrong password', async () => {
    process.env.SETMOV_SSH_PASSWORD = 'not-the-password';
    const { code, out, err } = await collect([...passwordLogin, '--count', '1']);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err.split('\n')).toHaveLength(2);
    expect(err).toMatch(/^setmov: .*authentication failed/);
    expect(err).not.toContain('not-the-password');
  });

  it('exits 1 with one line carrying the fingerprint of an unknown host key', async () => {
    const knownHosts = join(scratch, 'known_hosts');
    writeFileSync(knownHosts, '');
    const { code, err } = await collect([
      '--ssh',
      `${bed.ssh.user}@${bed.ssh.host}:${bed.ssh.port}`,
      '--identity',
      bed.ssh.identityFile,
      '--known-hosts',
      knownHosts,
      '--count',
      '1',
    ]);
    expect(code).toBe(1);
    expect(err.split('\n')).toHaveLength(2);
    expect(err).toMatch(/^setmov: .*host key not known .*SHA256:[A-Za-z0-9+/]{43}/);
  });
});
