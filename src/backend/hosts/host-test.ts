import { access, readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { dialUnix, LIBVIRT_RUN_DIR, socketCandidates } from '../../collector/libvirt/dialers';
import type { HostTarget } from '../../collector/engine/host-target';
import { LocalHostSource } from '../../collector/host/local-host-source';
import { connectLibvirt, type ConnectOptions } from '../../collector/libvirt/connect';
import { LIST_DOMAINS_RUNNING } from '../../collector/libvirt/list-flags';
import { createSshHostSource } from '../../collector/ssh/ssh-host-source';
import { appendKnownHost } from '../../collector/ssh/known-hosts';
import { connectSsh } from '../../collector/ssh/ssh-connection';
import type { SshConnection } from '../../collector/ssh/ssh-connection';
import { SshError, UnknownHostKeyError, type SshErrorCode } from '../../collector/ssh/ssh-errors';
import type { HostIdentity } from '../../shared/model/host-identity';
import type { HostTestFound, HostTestResult, HostTestStep } from '../../shared/model/host-view';
import { parseLibvirtUri } from '../../shared/libvirt-uri';
import { printableText } from '../../shared/model/printable-text';
import { hostTestHint } from './host-test-hint';

/** A host key hosts.test met and the user has not accepted yet. */
export interface PendingHostKey {
  host: string;
  port: number;
  keyType: string;
  fingerprint: string;
  publicKeyBase64: string;
}

/** The longest one step may take, ms (the CLI's --timeout may make it shorter). */
const STEP_TIMEOUT_MS = 10_000;
const STEPS: HostTestStep['step'][] = ['tcp', 'host-key', 'auth', 'proc', 'libvirt'];

/** The libvirt socket a URI's driver is served on: the first one the engine would dial. */
function libvirtSocketOf(uri: string): string {
  // Saved URIs were checked when saved; one that does not parse dials the default driver.
  let driver = 'qemu';
  try {
    driver = parseLibvirtUri(uri).driver;
  } catch {
    // The libvirt step then fails on the socket, saying which it tried.
  }
  return socketCandidates(driver, false)[0] ?? `${LIBVIRT_RUN_DIR}/libvirt-sock`;
}

function tcpReachable(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    // The system's error is kept as the cause: its code (ECONNREFUSED, ...) picks the hint.
    socket.once('timeout', () => {
      socket.destroy();
      reject(
        new Error(`${host}:${port}: no answer within ${timeoutMs / 1000} s`, {
          cause: Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }),
        }),
      );
    });
    socket.once('error', (error) =>
      reject(new Error(`${host}:${port}: ${error.message}`, { cause: error })),
    );
  });
}

/**
 * The failures connectSsh reports only once the server proved its host key (see its auth
 * plan): the host-key step passed, authentication failed. Any other error (a refused or
 * reset connection, a banner that never came, the key itself) came before or at the key.
 */
const authCodes: ReadonlySet<SshErrorCode> = new Set([
  'auth-failed',
  'agent-unavailable',
  'key-unreadable',
  'key-invalid',
  'key-passphrase-needed',
  'key-passphrase-wrong',
]);

/** The host's identity, read over a connection that stays the caller's. */
async function sshIdentity(
  ssh: NonNullable<HostTarget['ssh']>,
  connection: SshConnection,
  timeoutMs: number,
): Promise<HostIdentity> {
  const source = createSshHostSource(ssh, {
    connections: { get: async () => connection, current: () => connection, close: async () => {} },
    readTimeoutMs: timeoutMs,
  });
  try {
    return await source.identity();
  } finally {
    await source.close();
  }
}

/** libvirt's host name and domain counts, over a connection made for them and closed. */
async function libvirtFound(
  options: ConnectOptions,
): Promise<Pick<HostTestFound, 'libvirtHostname' | 'vms'>> {
  const lv = await connectLibvirt(options);
  try {
    const [libvirtHostname, all, running] = await Promise.all([
      lv.getHostname(),
      lv.listAllDomains(0),
      lv.listAllDomains(LIST_DOMAINS_RUNNING),
    ]);
    return { libvirtHostname, vms: { total: all.length, running: running.length } };
  } finally {
    await lv.close();
  }
}

/**
 * Checks a host step by step (TCP, host key, authentication, /proc, libvirt); each step
 * has its own result, and the ones after a failure are skipped. An unknown host key is
 * answered with its fingerprint and kept as pending; a changed one is refused. What the
 * passed steps reached is then read (the host's identity, libvirt's name and domains):
 * the Connect dialog and `setmov hosts test` show it alike.
 */
export async function testHost(
  target: HostTarget,
  { stepTimeoutMs = STEP_TIMEOUT_MS }: { stepTimeoutMs?: number } = {},
): Promise<{ result: HostTestResult; pending: PendingHostKey | null }> {
  const steps = new Map<HostTestStep['step'], HostTestStep>(
    STEPS.map((step) => [step, { step, result: 'skipped', error: null, hint: null }]),
  );
  const pass = (step: HostTestStep['step']): void =>
    void steps.set(step, { step, result: 'ok', error: null, hint: null });
  const failStep = (step: HostTestStep['step'], error: unknown): void =>
    void steps.set(step, {
      step,
      result: 'failed',
      error: (error as Error).message,
      hint: hostTestHint(error),
    });
  let pending: PendingHostKey | null = null;
  const found: HostTestFound = { identity: null, libvirtHostname: null, vms: null };
  const uri = target.libvirtUri ?? 'qemu:///system';
  const socket = libvirtSocketOf(uri);
  const libvirtOptions = { uri, connectTimeoutMs: stepTimeoutMs, callTimeoutMs: stepTimeoutMs };
  /** Reads one found fact; a failure leaves it null (the steps already said what failed). */
  const find = async <T>(read: () => Promise<T>, keep: (value: T) => void): Promise<void> => {
    try {
      keep(await read());
    } catch {
      // The step passed, the fact could not be read: shown as not known.
    }
  };
  const passed = (step: HostTestStep['step']): boolean => steps.get(step)?.result === 'ok';
  const done = () => ({
    result: {
      steps: STEPS.map((s) => steps.get(s) as HostTestStep),
      found,
      unknownHostKey: pending && { keyType: pending.keyType, fingerprint: pending.fingerprint },
    },
    pending,
  });

  const ssh = target.ssh;
  if (!ssh) {
    try {
      await readFile('/proc/loadavg', 'utf8');
      pass('proc');
    } catch (error) {
      failStep('proc', error);
      return done();
    }
    try {
      await access(socket);
      const stream = await dialUnix(socket, stepTimeoutMs);
      stream.destroy();
      pass('libvirt');
    } catch (error) {
      failStep('libvirt', error);
    }
    await find(
      () => new LocalHostSource().identity(),
      (identity) => (found.identity = identity),
    );
    if (passed('libvirt')) {
      await find(
        () => libvirtFound(libvirtOptions),
        (facts) => Object.assign(found, facts),
      );
    }
    return done();
  }

  const port = ssh.port ?? 22;
  try {
    await tcpReachable(ssh.host, port, stepTimeoutMs);
    pass('tcp');
  } catch (error) {
    failStep('tcp', error);
    return done();
  }
  let connection: SshConnection;
  try {
    connection = await connectSsh({ ...ssh, connectTimeoutMs: stepTimeoutMs });
    pass('host-key');
    pass('auth');
  } catch (error) {
    if (error instanceof UnknownHostKeyError) {
      pending = {
        host: ssh.host,
        port,
        keyType: error.keyType,
        fingerprint: error.fingerprint,
        publicKeyBase64: error.publicKeyBase64,
      };
    }
    if (error instanceof SshError && authCodes.has(error.code)) {
      pass('host-key');
      failStep('auth', error);
    } else {
      failStep('host-key', error);
    }
    return done();
  }
  try {
    const proc = await connection.exec('cat /proc/loadavg', { timeoutMs: stepTimeoutMs });
    // The host's stderr is shown in the dialog and logged: one printable line of it.
    if (proc.exitCode !== 0) {
      throw new Error(`cat /proc/loadavg: ${printableText(proc.stderr, 500) || 'failed'}`);
    }
    pass('proc');
    try {
      const stream = await connection.openUnixSocket(socket);
      stream.destroy();
      pass('libvirt');
    } catch (error) {
      failStep('libvirt', error);
    }
    const open = connection;
    await find(
      () => sshIdentity(ssh, open, stepTimeoutMs),
      (identity) => (found.identity = identity),
    );
    if (passed('libvirt')) {
      await find(
        () => libvirtFound({ ...libvirtOptions, ssh: open }),
        (facts) => Object.assign(found, facts),
      );
    }
  } catch (error) {
    failStep('proc', error);
  } finally {
    await connection.close();
  }
  return done();
}

/** Files the key the user accepted under the host's known_hosts name. */
export async function acceptHostKey(knownHostsFile: string, key: PendingHostKey): Promise<void> {
  await appendKnownHost(knownHostsFile, key.host, key.port, key.keyType, key.publicKeyBase64);
}
