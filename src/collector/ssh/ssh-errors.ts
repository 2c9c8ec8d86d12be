import { printableText } from '../../shared/model/printable-text';
import type { ProcFileName } from '../host/host-source';

/**
 * Every code an SshError can carry, each with whether it is permanent: a failure that
 * retrying cannot mend, because the user must act first (accept or fix a host key, fix
 * credentials, a key file or a destination). The others are the network's or the host's
 * state at that moment and may pass, so a caller retries them with a backoff.
 */
const permanenceOf = {
  'unknown-host-key': true,
  'host-key-changed': true,
  'host-key-revoked': true,
  'auth-failed': true,
  'key-unreadable': true,
  'key-invalid': true,
  'key-passphrase-needed': true,
  'key-passphrase-wrong': true,
  'known-hosts-unreadable': true,
  'bad-destination': true,
  // An agent may be started, or its socket come back, without touching the saved host.
  'agent-unavailable': false,
  timeout: false,
  unreachable: false,
  protocol: false,
  'channel-failed': false,
  'output-too-large': false,
  'proc-read': false,
  // The size is what the host printed for that reading; the next reading is read afresh.
  'proc-too-large': false,
  // A closed source or provider is the caller's own doing; it opens a new one to go on.
  closed: false,
} as const satisfies Record<string, boolean>;

export type SshErrorCode = keyof typeof permanenceOf;

/** Whether a failure with this code needs the user to act before a retry can succeed. */
export function isPermanentSshCode(code: SshErrorCode): boolean {
  return permanenceOf[code];
}

/** Enough of a message for any reason we give; a server's text beyond it is cut. */
const maxMessageChars = 2000;

/**
 * Every failure of the SSH layer is an SshError with a stable `code`, so callers
 * (host status, UI dialogs, the CLI) branch on the code, never on message text.
 * Messages name the host and the reason; they never carry passwords or passphrases.
 * A message often quotes the server (a disconnect reason, a channel refusal, a command's
 * stderr, a reply's bytes): it is made one printable line here, so a hostile server
 * cannot put escape sequences into the console's logs or the admin's terminal.
 */
export class SshError extends Error {
  override name = 'SshError';
  constructor(
    readonly code: SshErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(printableText(message, maxMessageChars), options);
  }

  /** True when retrying cannot help until the user acts (see permanenceOf). */
  get permanent(): boolean {
    return isPermanentSshCode(this.code);
  }
}

/** The server's host key is not in known_hosts: the UI may show the fingerprint and ask. */
export class UnknownHostKeyError extends SshError {
  override name = 'UnknownHostKeyError';
  constructor(
    /** The name the key is filed under in known_hosts: `host` or `[host]:port`. */
    readonly knownHostsName: string,
    /** e.g. ssh-ed25519 */
    readonly keyType: string,
    /** `SHA256:<base64 without padding>`, as `ssh-keygen -lf` prints it. */
    readonly fingerprint: string,
    /** The key blob in base64, ready for appendKnownHost(). */
    readonly publicKeyBase64: string,
    readonly knownHostsFile: string,
  ) {
    super(
      'unknown-host-key',
      `${knownHostsName}: host key not known (${keyType} ${fingerprint}); it is not in ${knownHostsFile}`,
    );
  }
}

/** known_hosts has a different key for this host: possible man-in-the-middle, refused. */
export class HostKeyChangedError extends SshError {
  override name = 'HostKeyChangedError';
  constructor(
    readonly knownHostsName: string,
    readonly keyType: string,
    /** What the server presented. */
    readonly fingerprint: string,
    /** What known_hosts holds for this host. */
    readonly knownFingerprints: readonly string[],
    readonly knownHostsFile: string,
    /** 1-based lines of knownHostsFile that name this host. */
    readonly knownHostsLines: readonly number[],
  ) {
    super(
      'host-key-changed',
      `${knownHostsName}: HOST KEY CHANGED, refusing to connect: the server presented ${keyType} ` +
        `${fingerprint} but ${knownHostsFile} (line ${knownHostsLines.join(', ')}) holds ` +
        knownFingerprints.join(', '),
    );
  }
}

/** The presented key is marked @revoked in known_hosts. */
export class HostKeyRevokedError extends SshError {
  override name = 'HostKeyRevokedError';
  constructor(
    readonly knownHostsName: string,
    readonly fingerprint: string,
    readonly knownHostsFile: string,
  ) {
    super(
      'host-key-revoked',
      `${knownHostsName}: host key ${fingerprint} is marked @revoked in ${knownHostsFile}`,
    );
  }
}

/** The server refused our credentials. */
export class SshAuthError extends SshError {
  override name = 'SshAuthError';
  constructor(
    readonly destination: string,
    /** What we offered: 'publickey', 'password', 'agent'. */
    readonly methodsTried: readonly string[],
    /** What the server said it still accepts, when it said so. */
    readonly methodsOffered: readonly string[],
  ) {
    const offered =
      methodsOffered.length > 0 ? `; the server accepts ${methodsOffered.join(', ')}` : '';
    super(
      'auth-failed',
      `${destination}: authentication failed (tried ${methodsTried.join(', ') || 'nothing'})${offered}`,
    );
  }
}

/** The private key file cannot be used: unreadable, not a key, or a wrong or missing passphrase. */
export class SshKeyError extends SshError {
  override name = 'SshKeyError';
  constructor(
    code: 'key-unreadable' | 'key-invalid' | 'key-passphrase-needed' | 'key-passphrase-wrong',
    readonly keyFile: string,
    reason: string,
  ) {
    super(code, `${keyFile}: ${reason}`);
  }
}

/** Something did not happen in time: the TCP connect + handshake, a command, a reading. */
export class SshTimeoutError extends SshError {
  override name = 'SshTimeoutError';
  constructor(
    readonly destination: string,
    readonly phase: 'dns' | 'connect' | 'exec' | 'read',
    readonly timeoutMs: number,
  ) {
    super('timeout', `${destination}: ${phase} timed out after ${timeoutMs} ms`);
  }
}

/**
 * The host cannot be reached or the connection was lost. `reason` is the system's code
 * where there is one (ENOTFOUND, ECONNREFUSED, EHOSTUNREACH, ECONNRESET, ...), or
 * KEEPALIVE_TIMEOUT / CONNECTION_CLOSED.
 */
export class SshUnreachableError extends SshError {
  override name = 'SshUnreachableError';
  constructor(
    readonly destination: string,
    readonly reason: string,
    detail?: string,
    options?: { cause?: unknown },
  ) {
    super(
      'unreachable',
      `${destination}: unreachable (${reason}${detail ? `: ${detail}` : ''})`,
      options,
    );
  }
}

/** The SSH protocol failed: no common algorithm, a malformed packet, a refused channel. */
export class SshProtocolError extends SshError {
  override name = 'SshProtocolError';
  constructor(destination: string, detail: string, options?: { cause?: unknown }) {
    super('protocol', `${destination}: ${detail}`, options);
  }
}

/** A command printed more than its caller allows; it was given up as the bytes arrived. */
export class SshOutputTooLargeError extends SshError {
  override name = 'SshOutputTooLargeError';
  constructor(
    destination: string,
    /** The limit that was passed, bytes of stdout and stderr together. */
    readonly limitBytes: number,
  ) {
    super('output-too-large', `${destination}: command output exceeds ${limitBytes} bytes`);
  }
}

/** The server would not open a channel (exec, stream-local forward). */
export class SshChannelError extends SshError {
  override name = 'SshChannelError';
  constructor(destination: string, what: string, reason: string) {
    super('channel-failed', `${destination}: cannot open ${what}: ${reason}`);
  }
}

/** A `user@host[:port]` string that cannot be parsed. */
export class SshDestinationError extends SshError {
  override name = 'SshDestinationError';
  constructor(
    readonly input: string,
    reason: string,
  ) {
    super('bad-destination', `bad SSH destination '${input}': ${reason}`);
  }
}

/** A /proc file of a reading could not be read on the remote host, or its output was garbled. */
export class RemoteProcReadError extends SshError {
  override name = 'RemoteProcReadError';
  constructor(
    readonly host: string,
    /** The file, e.g. 'diskstats', or null when the whole reply was malformed. */
    readonly file: string | null,
    reason: string,
    code: 'proc-read' | 'proc-too-large' = 'proc-read',
  ) {
    super(code, `${host}: ${file === null ? '' : `/proc/${file}: `}${reason}`);
  }
}

/**
 * A file of a reading was larger than any real one can be (see proc-reply-limits.ts):
 * refused as its bytes arrived, before it could fill memory.
 */
export class RemoteProcTooLargeError extends RemoteProcReadError {
  override name = 'RemoteProcTooLargeError';
  constructor(
    host: string,
    override readonly file: ProcFileName,
    /** The limit that was passed, bytes. */
    readonly limitBytes: number,
  ) {
    super(
      host,
      file,
      `larger than ${limitBytes} bytes, more than a real one can be; the reading is refused`,
      'proc-too-large',
    );
  }
}
