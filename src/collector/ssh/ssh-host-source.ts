import type { HostSource, ProcFileName, RawProcReading } from '../host/host-source';
import type { HostIdentity } from '../../shared/model/host-identity';
import {
  identityCommand,
  maxIdentityOutputBytes,
  parseIdentityOutput,
} from './host-identity-probe';
import { ProcReaderChannel, ReaderExitedError } from './proc-reader-channel';
import {
  checkedProcRoot,
  loopReaderCommand,
  newBoundary,
  singleReadingCommand,
} from './proc-reading-protocol';
import { ReadingClock, uptimeMsOf } from './reading-clock';
import type { SshConnection } from './ssh-connection';
import { createSshConnectionProvider } from './ssh-connection-provider';
import type { SshConnectionProvider } from './ssh-connection-provider';
import { formatSshDestination } from './ssh-destination';
import { RemoteProcReadError, SshError } from './ssh-errors';
import type { SshTarget } from './ssh-target';

export interface SshHostSourceOptions {
  /** A provider shared with the host's libvirt client; by default the source has its own. */
  connections?: SshConnectionProvider;
  /** Time allowed for one reading or the identity probe (default 10 000 ms). */
  readTimeoutMs?: number;
  /**
   * 'loop' (default): one long-lived awk on the host answers each reading, no process
   * or channel set up per reading. 'exec': one exec of a small sh script per reading
   * (used automatically when the host has no awk).
   */
  mode?: 'loop' | 'exec';
  /**
   * Where the readings' files are on the host: '/proc' by default, a copy of one in tests.
   * An absolute path of letters, digits and . _ + - / (else a RangeError).
   */
  procRoot?: string;
}

/** sh's "command not found": the host has no awk. */
const commandNotFound = 127;

/**
 * Host readings over SSH (see host-source.ts). Each read() is one round trip; a read on a
 * dead connection rejects (SshUnreachableError, SshTimeoutError, ...) and the next read
 * connects again.
 *
 * Times: timestampMs is this machine's clock when the reply arrived, so the samples of
 * every host share the console's time base; monotonicMs is placed by ReadingClock (local
 * arrival, kept within the remote /proc/uptime's bounds).
 */
export function createSshHostSource(
  target: SshTarget,
  options: SshHostSourceOptions = {},
): HostSource {
  const label = formatSshDestination({
    username: target.username,
    host: target.host,
    port: target.port ?? 22,
  });
  const ownsProvider = options.connections === undefined;
  const provider = options.connections ?? createSshConnectionProvider(target);
  const readTimeoutMs = options.readTimeoutMs ?? 10_000;
  const procRoot = checkedProcRoot(options.procRoot ?? '/proc');
  const clock = new ReadingClock();
  let mode = options.mode ?? 'loop';
  let reader: ProcReaderChannel | null = null;
  let requestId = 0;
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  /** Runs reads one after another: a reader channel carries one request at a time. */
  function serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  }

  function dropReader(): void {
    reader?.close();
    reader = null;
  }

  async function readOverLoop(connection: SshConnection): Promise<Record<ProcFileName, string>> {
    if (!reader || !reader.usable || reader.connection !== connection) {
      dropReader();
      const boundary = newBoundary();
      reader = await ProcReaderChannel.open(
        connection,
        loopReaderCommand(boundary, procRoot),
        boundary,
        label,
      );
    }
    return reader.read(String(++requestId), true, readTimeoutMs);
  }

  async function readOverExec(connection: SshConnection): Promise<Record<ProcFileName, string>> {
    const boundary = newBoundary();
    const id = String(++requestId);
    const channel = await ProcReaderChannel.open(
      connection,
      singleReadingCommand(boundary, id, procRoot),
      boundary,
      label,
    );
    try {
      return await channel.read(id, false, readTimeoutMs);
    } finally {
      channel.close();
    }
  }

  async function readOnce(): Promise<RawProcReading> {
    if (closed) throw new SshError('closed', `${label}: the host source is closed`);
    const connection = await provider.get();
    let files;
    try {
      files = mode === 'loop' ? await readOverLoop(connection) : await readOverExec(connection);
    } catch (error) {
      if (
        error instanceof ReaderExitedError &&
        error.exitCode === commandNotFound &&
        mode === 'loop'
      ) {
        mode = 'exec';
        files = await readOverExec(connection);
      } else {
        throw error;
      }
    }
    const arrivalMs = performance.now();
    const timestampMs = Date.now();
    const uptimeMs = uptimeMsOf(files.uptime);
    if (uptimeMs === null)
      throw new RemoteProcReadError(label, 'uptime', 'not a number of seconds');
    return { timestampMs, monotonicMs: clock.place(arrivalMs, uptimeMs), files };
  }

  async function identityOnce(): Promise<HostIdentity> {
    if (closed) throw new SshError('closed', `${label}: the host source is closed`);
    const connection = await provider.get();
    const boundary = newBoundary();
    const result = await connection.exec(identityCommand(boundary), {
      timeoutMs: readTimeoutMs,
      maxOutputBytes: maxIdentityOutputBytes,
    });
    return parseIdentityOutput(result.stdout.toString('utf8'), boundary, label);
  }

  return {
    label,
    identity: () => serialized(identityOnce),
    read: () => serialized(readOnce),
    async close() {
      if (closed) return;
      closed = true;
      dropReader();
      if (ownsProvider) await provider.close();
    },
  };
}
