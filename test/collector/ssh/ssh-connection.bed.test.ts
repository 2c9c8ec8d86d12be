import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { procFilesPerReading } from '../../../src/collector/host/host-source';
import type { RawProcReading } from '../../../src/collector/host/host-source';
import {
  identityCommand,
  parseIdentityOutput,
} from '../../../src/collector/ssh/host-identity-probe';
import { appendKnownHost } from '../../../src/collector/ssh/known-hosts';
import { newBoundary } from '../../../src/collector/ssh/proc-reading-protocol';
import { connectSsh } from '../../../src/collector/ssh/ssh-connection';
import type { SshConnection } from '../../../src/collector/ssh/ssh-connection';
import {
  HostKeyChangedError,
  HostKeyRevokedError,
  SshAuthError,
  SshChannelError,
  SshError,
  SshUnreachableError,
  UnknownHostKeyError,
} from '../../../src/collector/ssh/ssh-errors';
import { createSshConnectionProvider } from '../../../src/collector/ssh/ssh-connection-provider';
import { createSshHostSource } from '../../../src/collector/ssh/ssh-host-source';
import type { SshTarget } from '../../../src/collector/ssh/ssh-target';
import { describeBed } from '../../helpers/bed';
import type { BedDescription } from '../../helpers/bed';

/** Fields up.sh writes beside the BedDescription ones. */
type BedSsh = BedDescription['ssh'] & {
  controlScript?: string;
  passwordUser?: string;
  password?: string;
};

const defaultControlScript = fileURLToPath(new URL('../../bed/sshd.sh', import.meta.url));

function sh(file: string, args: string[]): string {
  return execFileSync(file, args, { encoding: 'utf8' });
}

describeBed('SSH against the bed sshd', (bed) => {
  const ssh = bed.ssh as BedSsh;
  const controlScript = ssh.controlScript ?? defaultControlScript;
  const password = ssh.password ?? 'setmov-test-pw';
  const passwordUser = ssh.passwordUser ?? 'setmovtest';
  let dir: string;
  const open: SshConnection[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };

  function keyTarget(overrides: Partial<SshTarget> = {}): SshTarget {
    return {
      host: ssh.host,
      port: ssh.port,
      username: ssh.user,
      auth: { method: 'key', privateKeyFile: ssh.identityFile },
      knownHostsFile: ssh.knownHostsFile,
      connectTimeoutMs: 10_000,
      ...overrides,
    };
  }

  async function connect(t: SshTarget): Promise<SshConnection> {
    const c = await connectSsh(t);
    open.push(c);
    return c;
  }

  async function failure(t: SshTarget): Promise<SshError> {
    const result = await connectSsh(t).then(
      async (c) => {
        await c.close();
        return null;
      },
      (error: unknown) => error,
    );
    expect(result).toBeInstanceOf(SshError);
    return result as SshError;
  }

  const hostKeyFingerprint = (): string =>
    sh('ssh-keygen', ['-lf', `${ssh.hostKeyFile}.pub`]).split(' ')[1] ?? '';

  beforeAll(() => {
    // Fault tests elsewhere stop and start this shared sshd; start is a no-op when it runs.
    sh(controlScript, ['start']);
    dir = mkdtempSync(join(tmpdir(), 'setmov-sshbed-'));
    process.on('unhandledRejection', onUnhandled);
  });

  afterAll(async () => {
    await Promise.all(open.map((c) => c.close()));
    process.off('unhandledRejection', onUnhandled);
    rmSync(dir, { recursive: true, force: true });
    expect(unhandled).toEqual([]);
  });

  it('authenticates with the key and runs commands', async () => {
    const c = await connect(keyTarget());
    expect(c.hostKeyFingerprint).toBe(hostKeyFingerprint());
    const ok = await c.exec('id -un; printf err >&2');
    expect(ok).toEqual({ stdout: Buffer.from(`${ssh.user}\n`), stderr: 'err', exitCode: 0 });
    expect((await c.exec('exit 7')).exitCode).toBe(7);
    await expect(c.exec('sleep 5', { timeoutMs: 300 })).rejects.toMatchObject({
      code: 'timeout',
      phase: 'exec',
    });
    expect((await c.exec('echo still-usable')).stdout.toString()).toBe('still-usable\n');
    const stream = await c.execStream('cat');
    const echoed = new Promise<string>((resolve) => {
      let text = '';
      stream.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('\n')) resolve(text);
      });
    });
    stream.write('round trip\n');
    expect(await echoed).toBe('round trip\n');
    stream.end();
    await c.close();
    expect(c.closed).toBe(true);
    expect(c.closeReason).toBeNull();
    await expect(c.exec('true')).rejects.toBeInstanceOf(SshUnreachableError);
  });

  it('authenticates with a password', async () => {
    const c = await connect(
      keyTarget({ username: passwordUser, auth: { method: 'password', password } }),
    );
    expect((await c.exec('id -un')).stdout.toString()).toBe(`${passwordUser}\n`);
    await c.close();
  });

  it('authenticates through an ssh-agent', async () => {
    const socket = join(dir, 'agent.sock');
    const started = sh('ssh-agent', ['-a', socket, '-s']);
    const pid = Number(/SSH_AGENT_PID=(\d+)/.exec(started)?.[1]);
    try {
      execFileSync('ssh-add', ['-q', ssh.identityFile], {
        env: { ...process.env, SSH_AUTH_SOCK: socket },
        stdio: 'ignore',
      });
      const c = await connect(keyTarget({ auth: { method: 'agent', socket } }));
      expect((await c.exec('echo agent-ok')).stdout.toString()).toBe('agent-ok\n');
      await c.close();
    } finally {
      if (pid > 0) process.kill(pid);
    }
  });

  it('refuses a key the server does not know', async () => {
    const stranger = join(dir, 'stranger');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger]);
    const error = await failure(keyTarget({ auth: { method: 'key', privateKeyFile: stranger } }));
    expect(error).toBeInstanceOf(SshAuthError);
    expect((error as SshAuthError).methodsTried).toEqual(['publickey']);
    expect((error as SshAuthError).methodsOffered).toContain('publickey');
  });

  it('refuses a wrong password without repeating it', async () => {
    const wrong = 'not-the-password-42';
    const error = await failure(
      keyTarget({ username: passwordUser, auth: { method: 'password', password: wrong } }),
    );
    expect(error).toBeInstanceOf(SshAuthError);
    expect((error as SshAuthError).methodsTried[0]).toBe('password');
    expect(error.message).not.toContain(wrong);
    expect(JSON.stringify(error)).not.toContain(wrong);
  });

  it('reports an unknown host key with the fingerprint ssh-keygen prints, and connects once it is accepted', async () => {
    const knownHostsFile = join(dir, 'known_hosts_empty');
    writeFileSync(knownHostsFile, '');
    const error = await failure(keyTarget({ knownHostsFile }));
    expect(error).toBeInstanceOf(UnknownHostKeyError);
    const unknown = error as UnknownHostKeyError;
    expect(unknown.fingerprint).toBe(hostKeyFingerprint());
    expect(unknown.keyType).toBe(readFileSync(`${ssh.hostKeyFile}.pub`, 'utf8').split(' ')[0]);
    expect(unknown.knownHostsName).toBe(`[${ssh.host}]:${ssh.port}`);

    const trusted = await connect(
      keyTarget({ knownHostsFile, trustedHostKeyFingerprint: unknown.fingerprint }),
    );
    await trusted.close();

    await appendKnownHost(
      knownHostsFile,
      ssh.host,
      ssh.port,
      unknown.keyType,
      unknown.publicKeyBase64,
      { hash: true },
    );
    const c = await connect(keyTarget({ knownHostsFile }));
    expect(c.hostKeyFingerprint).toBe(unknown.fingerprint);
    await c.close();
  });

  it('refuses a changed host key, naming both fingerprints', async () => {
    const impostor = join(dir, 'impostor');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', impostor]);
    const impostorPub = readFileSync(`${impostor}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
    const knownHostsFile = join(dir, 'known_hosts_changed');
    writeFileSync(knownHostsFile, `# old key\n[${ssh.host}]:${ssh.port} ${impostorPub}\n`);
    const error = await failure(
      keyTarget({ knownHostsFile, trustedHostKeyFingerprint: hostKeyFingerprint() }),
    );
    expect(error).toBeInstanceOf(HostKeyChangedError);
    const changed = error as HostKeyChangedError;
    expect(changed.fingerprint).toBe(hostKeyFingerprint());
    const impostorFingerprint = sh('ssh-keygen', ['-lf', `${impostor}.pub`]).split(' ')[1];
    expect(changed.knownFingerprints).toEqual([`ssh-ed25519 ${impostorFingerprint}`]);
    expect(changed.knownHostsLines).toEqual([2]);
  });

  it('refuses a host key marked @revoked', async () => {
    const knownHostsFile = join(dir, 'known_hosts_revoked');
    const pub = readFileSync(`${ssh.hostKeyFile}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
    writeFileSync(knownHostsFile, `${readFileSync(ssh.knownHostsFile, 'utf8')}@revoked * ${pub}\n`);
    expect(await failure(keyTarget({ knownHostsFile }))).toBeInstanceOf(HostKeyRevokedError);
  });

  it("opens a stream to libvirt's unix socket, and a typed error for a socket that is not there", async () => {
    const c = await connect(keyTarget());
    const stream = await c.openUnixSocket(bed.libvirt.socket);
    const closed = new Promise((resolve) => stream.once('close', resolve));
    // A channel closes once both sides ended: ours by end(), libvirtd's seen by reading.
    stream.resume();
    stream.end();
    await closed;
    await expect(c.openUnixSocket('/nonexistent/setmov.sock')).rejects.toBeInstanceOf(
      SshChannelError,
    );
    expect((await c.exec('true')).exitCode).toBe(0);
    await c.close();
  });

  it('reads all six files with the structure of the local /proc, and the same identity', async () => {
    const source = createSshHostSource(keyTarget());
    try {
      const identity = await source.identity();
      const boundary = newBoundary();
      const local = parseIdentityOutput(
        sh('/bin/sh', ['-c', identityCommand(boundary)]),
        boundary,
        'local',
      );
      expect(identity).toEqual(local);

      const first = await source.read();
      const second = await source.read();
      expect(Object.keys(first.files).sort()).toEqual([...procFilesPerReading].sort());
      const keysOf = (text: string): string[] =>
        text.split('\n').map((line) => line.trim().split(/[\s:]+/)[0] ?? '');
      const localKeys = (file: string): string[] => keysOf(readFileSync(`/proc/${file}`, 'utf8'));
      for (const file of ['stat', 'meminfo', 'diskstats', 'net/dev'] as const) {
        expect(keysOf(second.files[file]), file).toEqual(localKeys(file));
      }
      expect(second.files.loadavg).toMatch(/^\d+\.\d+ \d+\.\d+ \d+\.\d+ \d+\/\d+ \d+\n$/);
      expect(second.files.uptime).toMatch(/^\d+\.\d{2} \d+\.\d{2}\n$/);
      expect(second.monotonicMs).toBeGreaterThanOrEqual(first.monotonicMs);
      expect(second.timestampMs).toBeGreaterThanOrEqual(first.timestampMs);
    } finally {
      await source.close();
    }
  });

  it('times readings 1 s apart within 20 ms of the remote uptime', async () => {
    const source = createSshHostSource(keyTarget());
    try {
      const a = await source.read();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const b = await source.read();
      const uptimeMs = (r: RawProcReading): number => Number(r.files.uptime.split(' ')[0]) * 1000;
      expect(
        Math.abs(b.monotonicMs - a.monotonicMs - (uptimeMs(b) - uptimeMs(a))),
      ).toBeLessThanOrEqual(20);
      expect(b.monotonicMs - a.monotonicMs).toBeGreaterThan(980);
    } finally {
      await source.close();
    }
  });

  it('leaves no sockets or timers behind after connect/read/close cycles', async () => {
    const handles = (): number =>
      (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().length;
    const before = handles();
    for (let i = 0; i < 10; i++) {
      const source = createSshHostSource(keyTarget());
      await source.read();
      await source.close();
      const c = await connectSsh(keyTarget());
      await (await c.openUnixSocket(bed.libvirt.socket)).end();
      await c.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(handles()).toBeLessThanOrEqual(before);
  });

  it('reports a frozen peer through keepalives', async () => {
    const c = await connect(keyTarget({ keepaliveIntervalMs: 300, keepaliveCountMax: 3 }));
    // The shell's parent is the sshd process that serves this connection.
    const sessionPid = Number((await c.exec('echo $PPID')).stdout.toString().trim());
    expect(sessionPid).toBeGreaterThan(1);
    const started = performance.now();
    const reason = new Promise<SshError | null>((resolve) => c.on('close', resolve));
    process.kill(sessionPid, 'SIGSTOP');
    try {
      const error = await reason;
      expect(error).toBeInstanceOf(SshUnreachableError);
      expect((error as SshUnreachableError).reason).toBe('KEEPALIVE_TIMEOUT');
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(c.closed).toBe(true);
    } finally {
      for (const signal of ['SIGCONT', 'SIGTERM'] as const) {
        try {
          process.kill(sessionPid, signal);
        } catch {
          // sshd already reaped it once the client went away.
        }
      }
    }
  });

  it('survives sshd being killed mid-collection and recovers once it is back', async () => {
    // Other fault tests share this sshd; make sure it is up before taking it down.
    sh(controlScript, ['start']);
    const t = keyTarget({ connectTimeoutMs: 10_000 });
    const connections = createSshConnectionProvider(t);
    const source = createSshHostSource(t, { connections, readTimeoutMs: 10_000 });
    try {
      for (let i = 0; i < 3; i++) await source.read();
      // Stopping the listener leaves open sessions alive, as on a real host; also kill the
      // two sshd processes of this connection (its privileged monitor and its session) so
      // the connection under the source really goes away. Other users' sessions stay.
      const session = Number(
        (await (await connections.get()).exec('echo $PPID')).stdout.toString().trim(),
      );
      const monitor = Number(
        readFileSync(`/proc/${session}/stat`, 'utf8').split(') ')[1]?.split(' ')[1],
      );
      expect(session).toBeGreaterThan(1);
      expect(monitor).toBeGreaterThan(1);
      const killedAt = performance.now();
      sh(controlScript, ['stop']);
      for (const pid of [session, monitor]) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // Already gone with its listener.
        }
      }
      let failure: unknown = null;
      while (performance.now() - killedAt < 10_000) {
        try {
          await source.read();
          await new Promise((resolve) => setTimeout(resolve, 100));
        } catch (error) {
          failure = error;
          break;
        }
      }
      expect(failure).toBeInstanceOf(SshUnreachableError);
      expect(performance.now() - killedAt).toBeLessThan(5_000);
      const whileDown = await source.read().then(
        () => null,
        (error: unknown) => error,
      );
      expect(whileDown).toBeInstanceOf(SshUnreachableError);
      expect((whileDown as SshUnreachableError).reason).toBe('ECONNREFUSED');
    } finally {
      sh(controlScript, ['start']);
    }
    try {
      const back = await source.read();
      expect(Object.keys(back.files)).toHaveLength(procFilesPerReading.length);
      await source.read();
    } finally {
      await source.close();
    }
  });
});
