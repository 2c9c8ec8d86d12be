import type { ClientChannel } from 'ssh2';
import type { HostIdentity, HostSource, RawProcReading } from '../host/host-source';
import { parseIdentityOutput, identityCommand } from './host-identity-probe';
import {
  ReplyAccumulator,
  endMarker,
  loopReaderCommand,
  newBoundary,
  singleReadingCommand,
  splitReadingReply,
} from './proc-reading-protocol';
import { ReadingClock, uptimeMsOf } from './reading-clock';
import type { SshConnection } from './ssh-connection';
import { createSshConnectionProvider } from './ssh-connection-provider';
import type { SshConnectionProvider } from './ssh-connection-provider';
import { formatSshDestination } from './ssh-destination';
import {
  RemoteProcReadError,
  SshError,
  SshProtocolError,
  SshTimeoutError,
  SshUnreachableError,
} from './ssh-errors';
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
  /** Output beyond this for one reading drops the reader (default 32 MiB). */
  maxReplyBytes?: number;
}

/** A long-lived reader channel and what it is waiting for. */
interface LoopReader {
  connection: SshConnection;
  channel: ClientChannel;
  boundary: string;
  output: ReplyAccumulator;
  /** Set while a reading is awaited. */
  waiter: {
    marker: string;
    resolve: (reply: string) => void;
    reject: (error: SshError) => void;
  } | null;
  ended: boolean;
  exitCode: number | null;
  stderr: string;
}

/** How long a dying channel waits for its connection to report why, before blaming the reader. */
const connectionVerdictDelayMs = 100;
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
  const clock = new ReadingClock();
  let mode = options.mode ?? 'loop';
  let reader: LoopReader | null = null;
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
    const r = reader;
    reader = null;
    if (r && !r.ended) {
      r.ended = true;
      r.channel.close();
      r.channel.destroy();
    }
  }

  async function openReader(connection: SshConnection): Promise<LoopReader> {
    const boundary = newBoundary();
    const channel = await connection.execStream(loopReaderCommand(boundary));
    const r: LoopReader = {
      connection,
      channel,
      boundary,
      output: new ReplyAccumulator(options.maxReplyBytes),
      waiter: null,
      ended: false,
      exitCode: null,
      stderr: '',
    };
    channel.on('data', (chunk: Buffer) => {
      if (!r.output.push(chunk)) {
        // Past the bound the stream cannot be trusted to be in step: start a fresh reader.
        const waiter = r.waiter;
        r.waiter = null;
        r.output.clear();
        if (reader === r) dropReader();
        waiter?.reject(new RemoteProcReadError(label, null, 'reply too large'));
        return;
      }
      if (!r.waiter) return;
      const reply = r.output.take(r.waiter.marker);
      if (reply !== null) {
        const { resolve } = r.waiter;
        r.waiter = null;
        resolve(reply);
      }
    });
    channel.stderr.on('data', (chunk: Buffer) => {
      if (r.stderr.length < 4096) r.stderr += chunk.toString('utf8');
    });
    channel.on('exit', (code: number | null) => {
      r.exitCode = typeof code === 'number' ? code : null;
    });
    channel.on('error', () => undefined);
    channel.stderr.on('error', () => undefined);
    channel.on('close', () => {
      r.ended = true;
      if (reader === r) reader = null;
      const waiter = r.waiter;
      r.waiter = null;
      if (!waiter) return;
      setTimeout(() => {
        if (r.connection.closed) {
          waiter.reject(
            r.connection.closeReason ?? new SshUnreachableError(label, 'CONNECTION_CLOSED'),
          );
        } else {
          const detail = r.stderr.trim().split('\n')[0] ?? '';
          waiter.reject(new ReaderExitedError(label, r.exitCode, detail));
        }
      }, connectionVerdictDelayMs);
    });
    return r;
  }

  async function readOverLoop(
    connection: SshConnection,
  ): Promise<{ reply: string; boundary: string; id: string }> {
    if (!reader || reader.ended || reader.connection !== connection) {
      dropReader();
      reader = await openReader(connection);
    }
    const r = reader;
    const id = String(++requestId);
    const marker = endMarker(r.boundary, id);
    const reply = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        r.waiter = null;
        dropReader();
        reject(new SshTimeoutError(label, 'read', readTimeoutMs));
      }, readTimeoutMs);
      r.waiter = {
        marker,
        resolve: (text) => {
          clearTimeout(timer);
          resolve(text);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      r.channel.write(`${id}\n`);
    });
    // Output of an earlier, abandoned request may precede this reply's start marker.
    const start = reply.indexOf(`${r.boundary} BEGIN ${id}\n`);
    return { reply: start > 0 ? reply.slice(start) : reply, boundary: r.boundary, id };
  }

  async function readOverExec(
    connection: SshConnection,
  ): Promise<{ reply: string; boundary: string; id: string }> {
    const boundary = newBoundary();
    const id = String(++requestId);
    const result = await connection.exec(singleReadingCommand(boundary, id), {
      timeoutMs: readTimeoutMs,
    });
    return { reply: result.stdout.toString('utf8'), boundary, id };
  }

  async function readOnce(): Promise<RawProcReading> {
    if (closed) throw new SshError('closed', `${label}: the host source is closed`);
    const connection = await provider.get();
    let answer;
    try {
      answer = mode === 'loop' ? await readOverLoop(connection) : await readOverExec(connection);
    } catch (error) {
      if (
        error instanceof ReaderExitedError &&
        error.exitCode === commandNotFound &&
        mode === 'loop'
      ) {
        mode = 'exec';
        answer = await readOverExec(connection);
      } else {
        throw error;
      }
    }
    const arrivalMs = performance.now();
    const timestampMs = Date.now();
    const files = splitReadingReply(answer.reply, answer.boundary, answer.id, label);
    const uptimeMs = uptimeMsOf(files.uptime);
    if (uptimeMs === null)
      throw new RemoteProcReadError(label, 'uptime', 'not a number of seconds');
    return { timestampMs, monotonicMs: clock.place(arrivalMs, uptimeMs), files };
  }

  async function identityOnce(): Promise<HostIdentity> {
    if (closed) throw new SshError('closed', `${label}: the host source is closed`);
    const connection = await provider.get();
    const boundary = newBoundary();
    const result = await connection.exec(identityCommand(boundary), { timeoutMs: readTimeoutMs });
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

/** The reader process on the host ended while its connection stayed up. */
class ReaderExitedError extends SshProtocolError {
  constructor(
    destination: string,
    readonly exitCode: number | null,
    detail: string,
  ) {
    super(
      destination,
      `the /proc reader on the host exited${exitCode === null ? '' : ` with status ${exitCode}`}${detail ? `: ${detail}` : ''}`,
    );
  }
}
