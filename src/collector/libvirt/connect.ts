import type { Duplex } from 'node:stream';
import { dialTcp, dialUnix, pickLocalSocket, socketCandidates } from './dialers';
import { LibvirtClosedError, LibvirtTransportError } from './errors';
import { LibvirtConnection } from './libvirt-connection';
import { parseLibvirtUri, type LibvirtUri } from '../../shared/libvirt-uri';
import { shellQuote } from '../ssh/shell-quote';
import type { RpcClientOptions } from './rpc-client';

/** What the SSH layer must offer to carry libvirt (src/collector/ssh's SshConnection fits). */
export interface RemoteStreamOpener {
  /** A stream-local forward to a unix socket on the remote host. */
  openUnixSocket(path: string): Promise<Duplex>;
  /** A command's stdin/stdout as one duplex. */
  execStream(command: string): Promise<Duplex>;
}

export interface ConnectOptions extends RpcClientOptions {
  /** Default qemu:///system. */
  uri?: string;
  /** Open the read-only socket and connection. */
  readOnly?: boolean;
  /** Carry the protocol over this SSH connection instead of dialing (the URI's transport is ignored). */
  ssh?: RemoteStreamOpener;
  /** A stream already connected to a daemon (tests, custom tunnels). */
  stream?: Duplex;
  /** Dial timeout, ms (default 10 000). */
  connectTimeoutMs?: number;
}

export const DEFAULT_URI = 'qemu:///system';

type Attempt = { what: string; dial: () => Promise<Duplex> };

/**
 * The ways to reach the daemon over SSH, in libvirt's order of preference: a stream-local
 * forward to its socket (no helper on the host), then `virt-ssh-helper URI`, then `nc -U`
 * or `socat`. The sockets and commands are the console's own, never the URI's (see
 * parseLibvirtUri).
 */
function sshAttempts(ssh: RemoteStreamOpener, uri: LibvirtUri, readOnly: boolean): Attempt[] {
  const sockets = socketCandidates(uri.driver, readOnly);
  const attempts: Attempt[] = sockets.map((path) => ({
    what: `ssh stream-local forward to ${path}`,
    dial: () => ssh.openUnixSocket(path),
  }));
  attempts.push({
    what: 'virt-ssh-helper',
    dial: () => ssh.execStream(`virt-ssh-helper ${shellQuote(uri.remoteName)}`),
  });
  // Hosts without a netcat often have socat; libvirt's client only knows nc.
  for (const path of sockets) {
    for (const command of [
      `nc -U ${shellQuote(path)}`,
      `socat - UNIX-CONNECT:${shellQuote(path)}`,
    ]) {
      attempts.push({ what: command, dial: () => ssh.execStream(command) });
    }
  }
  return attempts;
}

function attemptsFor(uri: LibvirtUri, options: ConnectOptions): Attempt[] {
  const readOnly = options.readOnly ?? false;
  const timeoutMs = options.connectTimeoutMs ?? 10_000;
  if (options.stream) {
    const stream = options.stream;
    return [{ what: 'the given stream', dial: () => Promise.resolve(stream) }];
  }
  if (options.ssh) return sshAttempts(options.ssh, uri, readOnly);
  switch (uri.transport) {
    case 'unix': {
      if (uri.host) {
        throw new LibvirtTransportError(`a unix transport cannot reach host '${uri.host}'`);
      }
      const path = pickLocalSocket(socketCandidates(uri.driver, readOnly));
      return [{ what: path, dial: () => dialUnix(path, timeoutMs) }];
    }
    case 'tcp': {
      const host = uri.host ?? 'localhost';
      return [{ what: `tcp ${host}`, dial: () => dialTcp(host, uri.port ?? undefined, timeoutMs) }];
    }
    case 'ssh':
      // connectLibvirt opens the SSH connection itself before getting here.
      throw new LibvirtTransportError('an ssh URI needs an SSH connection');
    default:
      throw new LibvirtTransportError(
        `transport '${uri.transport}' is not supported (use unix, tcp or ssh)`,
      );
  }
}

/**
 * Connects to a libvirt daemon the way the URI says and runs the handshake. When a way of
 * reaching it fails before the handshake completes (no socket, helper missing), the next one
 * is tried; a daemon's own refusal (LibvirtError, LibvirtAuthError) is final.
 */
export async function connectLibvirt(options: ConnectOptions = {}): Promise<LibvirtConnection> {
  const uri = parseLibvirtUri(options.uri ?? DEFAULT_URI);
  if (uri.transport === 'ssh' && !options.ssh && !options.stream) {
    return connectOverOwnSsh(uri, options);
  }
  return connectWith(uri, options);
}

/**
 * qemu+ssh://user@host[:port]/system: opens an SSH connection for this libvirt connection
 * (the agent's keys; host key checked against ~/.ssh/known_hosts) and closes it with the
 * libvirt connection. A saved host with its own key reaches libvirt over its SSH settings.
 */
async function connectOverOwnSsh(
  uri: LibvirtUri,
  options: ConnectOptions,
): Promise<LibvirtConnection> {
  if (!uri.host) throw new LibvirtTransportError('an ssh URI needs a host');
  const { connectSsh } = await import('../ssh/ssh-connection');
  const ssh = await connectSsh({
    host: uri.host,
    port: uri.port ?? 22,
    username: uri.user ?? process.env.USER ?? 'root',
    auth: { method: 'agent' },
    connectTimeoutMs: options.connectTimeoutMs,
  });
  try {
    const connection = await connectWith(uri, { ...options, ssh });
    connection.onClose(() => void ssh.close());
    return connection;
  } catch (error) {
    await ssh.close();
    throw error;
  }
}

async function connectWith(uri: LibvirtUri, options: ConnectOptions): Promise<LibvirtConnection> {
  const attempts = attemptsFor(uri, options);
  const failures: string[] = [];
  for (const attempt of attempts) {
    let stream: Duplex;
    try {
      stream = await attempt.dial();
    } catch (error) {
      if (attempts.length === 1) throw error;
      failures.push(`${attempt.what}: ${(error as Error).message}`);
      continue;
    }
    try {
      return await LibvirtConnection.open(stream, {
        ...options,
        name: uri.remoteName,
        readOnly: options.readOnly ?? false,
      });
    } catch (error) {
      if (!(error instanceof LibvirtClosedError) || attempts.length === 1) throw error;
      failures.push(`${attempt.what}: ${error.message}`);
    }
  }
  throw new LibvirtTransportError(`cannot reach libvirt (${failures.join('; ')})`);
}
