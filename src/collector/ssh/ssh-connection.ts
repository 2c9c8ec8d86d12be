import { lookup } from 'node:dns/promises';
import { EventEmitter } from 'node:events';
import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
// ssh2 is CommonJS: Node's ESM loader only sees its default export.
import ssh2 from 'ssh2';
import type { Client, ClientChannel, ConnectConfig } from 'ssh2';
import { BoundedFileError } from '../files/read-bounded-file';
import { authHandlerFor, buildAuthPlan } from './ssh-auth';
import type { AuthProgress } from './ssh-auth';
import { formatSshDestination } from './ssh-destination';
import {
  HostKeyChangedError,
  HostKeyRevokedError,
  SshAuthError,
  SshChannelError,
  SshError,
  SshOutputTooLargeError,
  SshProtocolError,
  SshTimeoutError,
  SshUnreachableError,
  UnknownHostKeyError,
} from './ssh-errors';
import { keyTypeOfBlob, sha256Fingerprint } from './host-key-fingerprint';
import { checkHostKey, knownHostsName, knownKeyTypes, readKnownHostsFile } from './known-hosts';
import type { SshTarget } from './ssh-target';

export interface ExecResult {
  stdout: Buffer;
  stderr: string;
  /** null when the command died of a signal or the server sent no exit status. */
  exitCode: number | null;
}

export interface ExecOptions {
  /** Time allowed for the whole command, output included (default 30 000 ms). */
  timeoutMs?: number;
  /**
   * Output beyond this (stdout and stderr together) fails the command with an
   * SshOutputTooLargeError instead of filling memory (default 64 MiB).
   */
  maxOutputBytes?: number;
}

/** One authenticated SSH connection; channels for commands and socket forwards run over it. */
export interface SshConnection {
  /** `user@host:port` */
  readonly destination: string;
  /** The host key the server proved it holds, `SHA256:...`. */
  readonly hostKeyFingerprint: string;
  readonly closed: boolean;
  /** Why the connection ended: null while open or after close(). */
  readonly closeReason: SshError | null;
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  /** An exec channel as a duplex (its stdin/stdout); its stderr is `.stderr` on the channel. */
  execStream(command: string): Promise<ClientChannel>;
  /** A stream to a unix socket on the host (OpenSSH's direct-streamlocal), e.g. libvirt-sock. */
  openUnixSocket(path: string): Promise<Duplex>;
  close(): Promise<void>;
  /** Emitted once when the connection ends; reason is null after close(). */
  on(event: 'close', listener: (reason: SshError | null) => void): this;
  off(event: 'close', listener: (reason: SshError | null) => void): this;
}

const defaultConnectTimeoutMs = 10_000;
const defaultKeepaliveIntervalMs = 10_000;
const defaultKeepaliveCountMax = 3;
/** ssh2's host key algorithms, most preferred first; known types are moved to the front. */
const hostKeyAlgorithms = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
] as const;
type HostKeyAlgorithm = (typeof hostKeyAlgorithms)[number];

function preferredHostKeyAlgorithms(knownTypes: readonly string[]): HostKeyAlgorithm[] {
  const wanted = (alg: HostKeyAlgorithm): boolean =>
    knownTypes.includes(alg) || (alg.startsWith('rsa-sha2') && knownTypes.includes('ssh-rsa'));
  return [...hostKeyAlgorithms.filter(wanted), ...hostKeyAlgorithms.filter((a) => !wanted(a))];
}

interface SshLevelError extends Error {
  level?: string;
  code?: string | number;
}

class SshConnectionImpl extends EventEmitter implements SshConnection {
  closed = false;
  closeReason: SshError | null = null;
  private closing = false;
  private lastError: SshError | null = null;

  constructor(
    private readonly client: Client,
    readonly destination: string,
    readonly hostKeyFingerprint: string,
  ) {
    super();
    client.on('error', (error: SshLevelError) => {
      this.lastError = mapRuntimeError(destination, error);
    });
    client.on('close', () => {
      if (this.closed) return;
      this.closed = true;
      this.closeReason = this.closing
        ? null
        : (this.lastError ??
          new SshUnreachableError(
            destination,
            'CONNECTION_CLOSED',
            'the server closed the connection',
          ));
      this.emit('close', this.closeReason);
    });
  }

  private lostError(): SshError {
    return (
      this.closeReason ??
      this.lastError ??
      new SshUnreachableError(this.destination, 'CONNECTION_CLOSED')
    );
  }

  private openChannel(
    what: string,
    open: (cb: (err: Error | undefined, ch: ClientChannel) => void) => void,
  ): Promise<ClientChannel> {
    if (this.closed) return Promise.reject(this.lostError());
    return new Promise((resolve, reject) => {
      try {
        open((err, channel) => {
          if (err) {
            reject(
              this.closed
                ? this.lostError()
                : new SshChannelError(this.destination, what, err.message),
            );
          } else {
            resolve(channel);
          }
        });
      } catch {
        // ssh2 throws synchronously once the socket is no longer writable.
        reject(this.lostError());
      }
    });
  }

  execStream(command: string): Promise<ClientChannel> {
    return this.openChannel('an exec channel', (cb) => this.client.exec(command, cb));
  }

  async openUnixSocket(path: string): Promise<Duplex> {
    return this.openChannel(`unix socket ${path}`, (cb) =>
      this.client.openssh_forwardOutStreamLocal(path, cb),
    );
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const maxOutputBytes = options.maxOutputBytes ?? 64 * 1024 * 1024;
    const started = performance.now();
    const channel = await this.openChannel('an exec channel', (cb) =>
      this.client.exec(command, cb),
    );
    return new Promise<ExecResult>((resolve, reject) => {
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let size = 0;
      let exitCode: number | null = null;
      let settled = false;
      // A failed command is given up at once: sshd only confirms the channel's close once
      // the remote process has exited, which a hung command may never do.
      const fail = (error: SshError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        channel.close();
        reject(error);
      };
      const remaining = Math.max(1, timeoutMs - (performance.now() - started));
      const timer = setTimeout(
        () => fail(new SshTimeoutError(this.destination, 'exec', timeoutMs)),
        remaining,
      );
      const count = (chunk: Buffer, into: Buffer[]): void => {
        if (settled) return;
        size += chunk.length;
        if (size > maxOutputBytes) {
          fail(new SshOutputTooLargeError(this.destination, maxOutputBytes));
        } else {
          into.push(chunk);
        }
      };
      channel.on('data', (chunk: Buffer) => count(chunk, stdout));
      channel.stderr.on('data', (chunk: Buffer) => count(chunk, stderr));
      channel.on('exit', (code: number | null) => {
        exitCode = typeof code === 'number' ? code : null;
      });
      channel.on('error', () => undefined);
      channel.stderr.on('error', () => undefined);
      channel.on('close', () => {
        if (settled) return;
        if (this.closed && exitCode === null) {
          fail(this.lostError());
          return;
        }
        settled = true;
        clearTimeout(timer);
        resolve({
          stdout: Buffer.concat(stdout),
          stderr: Buffer.concat(stderr).toString('utf8'),
          exitCode,
        });
      });
    });
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closing = true;
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(force);
        resolve();
      };
      // A peer that no longer answers never completes the polite close.
      const force = setTimeout(() => this.client.destroy(), 2_000);
      this.once('close', done);
      this.client.end();
    });
  }
}

/** Errors after the handshake: the connection is lost, never an auth or key problem. */
function mapRuntimeError(destination: string, error: SshLevelError): SshError {
  if (error.level === 'client-timeout') {
    return new SshUnreachableError(
      destination,
      'KEEPALIVE_TIMEOUT',
      'the server stopped answering keepalives',
    );
  }
  if (error.level === 'client-socket') {
    return new SshUnreachableError(
      destination,
      String(error.code ?? 'SOCKET_ERROR'),
      error.message,
    );
  }
  return new SshProtocolError(destination, error.message, { cause: error });
}

async function resolveHost(destination: string, host: string, timeoutMs: number): Promise<string> {
  if (isIP(host) !== 0) return host;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SshTimeoutError(destination, 'dns', timeoutMs)), timeoutMs);
  });
  try {
    const { address } = await Promise.race([lookup(host), deadline]);
    return address;
  } catch (error) {
    if (error instanceof SshError) throw error;
    const code = String((error as NodeJS.ErrnoException).code ?? 'ENOTFOUND');
    throw new SshUnreachableError(destination, code, `cannot resolve ${host}`);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Connects, checks the host key against known_hosts and authenticates. Rejects with a
 * typed SshError: UnknownHostKeyError / HostKeyChangedError / HostKeyRevokedError,
 * SshAuthError, SshKeyError, SshTimeoutError, SshUnreachableError, SshProtocolError.
 */
export async function connectSsh(target: SshTarget): Promise<SshConnection> {
  const port = target.port ?? 22;
  const destination = formatSshDestination({ username: target.username, host: target.host, port });
  const connectTimeoutMs = target.connectTimeoutMs ?? defaultConnectTimeoutMs;
  const knownHostsFile = target.knownHostsFile ?? join(homedir(), '.ssh', 'known_hosts');
  let entries;
  try {
    entries = await readKnownHostsFile(knownHostsFile);
  } catch (error) {
    const reason =
      error instanceof BoundedFileError
        ? error.reason
        : ((error as NodeJS.ErrnoException).code ?? 'read error');
    throw new SshError(
      'known-hosts-unreadable',
      `${knownHostsFile}: cannot read known_hosts (${reason})`,
    );
  }
  // The plan is made before connecting, as the timeout is the network's: decrypting a key
  // (bcrypt rounds) does not count. Its failure (no agent, a bad key file) is reported only
  // once authentication begins, after the host key: the reason given is the first failure
  // on the way in, so a host that refuses the connection says so, not that the agent is gone.
  const plan = await buildAuthPlan(target.username, target.auth).catch((error: unknown) => {
    if (error instanceof SshError) return error;
    throw error;
  });
  const started = performance.now();
  const address = await resolveHost(destination, target.host, connectTimeoutMs);
  const hostName = knownHostsName(target.host, port);

  let hostKeyError: SshError | null = null;
  let hostKeyFingerprint = '';
  const hostVerifier = (key: Buffer): boolean => {
    const fingerprint = sha256Fingerprint(key);
    hostKeyFingerprint = fingerprint;
    const keyType = keyTypeOfBlob(key) ?? 'unknown';
    const verdict = checkHostKey(entries, hostName, key);
    switch (verdict.kind) {
      case 'known':
        return true;
      case 'revoked':
        hostKeyError = new HostKeyRevokedError(hostName, fingerprint, knownHostsFile);
        return false;
      case 'changed':
        hostKeyError = new HostKeyChangedError(
          hostName,
          keyType,
          fingerprint,
          verdict.known.map((e) => `${e.keyType} ${sha256Fingerprint(e.keyBlob)}`),
          knownHostsFile,
          verdict.known.map((e) => e.line),
        );
        return false;
      case 'unknown':
        if (target.trustedHostKeyFingerprint === fingerprint) return true;
        hostKeyError = new UnknownHostKeyError(
          hostName,
          keyType,
          fingerprint,
          key.toString('base64'),
          knownHostsFile,
        );
        return false;
    }
  };

  const progress: AuthProgress = { tried: [], offered: [] };
  const client = new ssh2.Client();
  let handshakeDone = false;

  return new Promise<SshConnection>((resolve, reject) => {
    let settled = false;
    const settle = (error: SshError | null): void => {
      if (settled) return;
      settled = true;
      client.off('ready', onReady);
      if (error) {
        client.destroy();
        reject(error);
      } else {
        resolve(new SshConnectionImpl(client, destination, hostKeyFingerprint));
      }
    };
    const onReady = (): void => settle(null);
    const config: ConnectConfig = {
      host: address,
      port,
      username: target.username,
      readyTimeout: Math.max(1, connectTimeoutMs - (performance.now() - started)),
      keepaliveInterval: target.keepaliveIntervalMs ?? defaultKeepaliveIntervalMs,
      keepaliveCountMax: target.keepaliveCountMax ?? defaultKeepaliveCountMax,
      hostVerifier,
      authHandler: plan instanceof SshError ? () => settle(plan) : authHandlerFor(plan, progress),
      algorithms: { serverHostKey: preferredHostKeyAlgorithms(knownKeyTypes(entries, hostName)) },
    };
    client.on('handshake', () => {
      handshakeDone = true;
    });
    client.on('ready', onReady);
    client.on('error', (error: SshLevelError) => {
      if (settled) return;
      settle(
        mapConnectError(destination, error, {
          hostKeyError,
          handshakeDone,
          progress,
          connectTimeoutMs,
        }),
      );
    });
    client.on('close', () => {
      if (!settled) {
        settle(
          hostKeyError ??
            new SshUnreachableError(
              destination,
              'CONNECTION_CLOSED',
              'the server closed the connection during the handshake',
            ),
        );
      }
    });
    try {
      client.connect(config);
    } catch (error) {
      settle(new SshProtocolError(destination, (error as Error).message, { cause: error }));
    }
  });
}

function mapConnectError(
  destination: string,
  error: SshLevelError,
  state: {
    hostKeyError: SshError | null;
    handshakeDone: boolean;
    progress: AuthProgress;
    connectTimeoutMs: number;
  },
): SshError {
  if (state.hostKeyError) return state.hostKeyError;
  switch (error.level) {
    case 'client-timeout':
      return new SshTimeoutError(destination, 'connect', state.connectTimeoutMs);
    case 'client-socket':
    case 'client-dns':
      return new SshUnreachableError(
        destination,
        String(error.code ?? 'SOCKET_ERROR'),
        error.message,
      );
    case 'client-authentication':
      return new SshAuthError(destination, state.progress.tried, state.progress.offered);
    case 'agent':
      return new SshError(
        'agent-unavailable',
        `${destination}: the SSH agent cannot be used (${error.message})`,
      );
    default:
      // A server that disconnects once auth has begun (MaxAuthTries, a PAM refusal) is refusing us.
      if (state.handshakeDone && state.progress.tried.length > 0) {
        return new SshAuthError(destination, state.progress.tried, state.progress.offered);
      }
      return new SshProtocolError(destination, `SSH handshake failed: ${error.message}`, {
        cause: error,
      });
  }
}
