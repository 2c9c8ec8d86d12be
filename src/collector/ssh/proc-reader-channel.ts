import type { ClientChannel } from 'ssh2';
import type { ProcFileName } from '../host/host-source';
import { ReadingReplyParser } from './reading-reply-parser';
import type { SshConnection } from './ssh-connection';
import { SshProtocolError, SshTimeoutError, SshUnreachableError } from './ssh-errors';
import type { SshError } from './ssh-errors';

/** How long a dying channel waits for its connection to report why, before blaming the reader. */
const connectionVerdictDelayMs = 100;
/** Enough of the reader's stderr to say why it died. */
const maxStderrChars = 4096;

interface PendingReading {
  parser: ReadingReplyParser;
  resolve: (files: Record<ProcFileName, string>) => void;
  reject: (error: SshError) => void;
}

/**
 * An exec channel running a reader command (proc-reading-protocol.ts), one reading at a
 * time. Whatever puts the stream out of step (a file or reply past its limit, framing
 * that does not parse, output nobody asked for, a timeout) closes the channel rather than
 * resynchronising on it: the rest of an oversized reply would still be arriving and have
 * to be read and thrown away, at the host's pace, and a fresh channel with a fresh
 * boundary costs one round trip on the connection, which stays up. The next reading opens
 * a new reader.
 */
export class ProcReaderChannel {
  private pending: PendingReading | null = null;
  private ended = false;
  private exitCode: number | null = null;
  private stderr = '';

  private constructor(
    readonly connection: SshConnection,
    private readonly channel: ClientChannel,
    readonly boundary: string,
    private readonly label: string,
  ) {
    channel.on('data', (chunk: Buffer) => this.received(chunk));
    channel.stderr.on('data', (chunk: Buffer) => {
      if (this.stderr.length < maxStderrChars) this.stderr += chunk.toString('utf8');
    });
    channel.on('exit', (code: number | null) => {
      this.exitCode = typeof code === 'number' ? code : null;
    });
    channel.on('error', () => undefined);
    channel.stderr.on('error', () => undefined);
    channel.on('close', () => this.closed());
  }

  /** Runs `command` (a reader command built with `boundary`) on the connection. */
  static async open(
    connection: SshConnection,
    command: string,
    boundary: string,
    label: string,
  ): Promise<ProcReaderChannel> {
    const channel = await connection.execStream(command);
    return new ProcReaderChannel(connection, channel, boundary, label);
  }

  /** False once the channel closed or was given up: a new one is needed. */
  get usable(): boolean {
    return !this.ended;
  }

  /**
   * Waits for the reply to request `id`; `send` writes the id to the reader's stdin (the
   * loop reader), an exec reader answers the id it was started with.
   */
  read(id: string, send: boolean, timeoutMs: number): Promise<Record<ProcFileName, string>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = null;
        this.close();
        reject(new SshTimeoutError(this.label, 'read', timeoutMs));
      }, timeoutMs);
      this.pending = {
        parser: new ReadingReplyParser(this.boundary, id, this.label),
        resolve: (files) => {
          clearTimeout(timer);
          resolve(files);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      if (send) this.channel.write(`${id}\n`);
    });
  }

  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.channel.close();
    this.channel.destroy();
  }

  private received(chunk: Buffer): void {
    if (this.ended) return;
    const pending = this.pending;
    if (pending === null) {
      this.close();
      return;
    }
    let files;
    try {
      files = pending.parser.push(chunk);
    } catch (error) {
      this.pending = null;
      if (!pending.parser.inStep) this.close();
      pending.reject(error as SshError);
      return;
    }
    if (files === null) return;
    this.pending = null;
    pending.resolve(files);
  }

  private closed(): void {
    this.ended = true;
    const pending = this.pending;
    this.pending = null;
    if (!pending) return;
    setTimeout(() => {
      if (this.connection.closed) {
        pending.reject(
          this.connection.closeReason ?? new SshUnreachableError(this.label, 'CONNECTION_CLOSED'),
        );
      } else {
        const detail = this.stderr.trim().split('\n')[0] ?? '';
        pending.reject(new ReaderExitedError(this.label, this.exitCode, detail));
      }
    }, connectionVerdictDelayMs);
  }
}

/** The reader process on the host ended while its connection stayed up. */
export class ReaderExitedError extends SshProtocolError {
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
