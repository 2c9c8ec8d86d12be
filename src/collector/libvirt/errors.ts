import { printableText } from '../../shared/model/printable-text';

/** Names of the virErrorNumber codes the console is likely to meet (libvirt's virterror.h). */
export const ERROR_NAMES: Readonly<Record<number, string>> = {
  1: 'VIR_ERR_INTERNAL_ERROR',
  3: 'VIR_ERR_NO_SUPPORT',
  5: 'VIR_ERR_NO_CONNECT',
  6: 'VIR_ERR_INVALID_CONN',
  7: 'VIR_ERR_INVALID_DOMAIN',
  8: 'VIR_ERR_INVALID_ARG',
  9: 'VIR_ERR_OPERATION_FAILED',
  27: 'VIR_ERR_XML_ERROR',
  29: 'VIR_ERR_OPERATION_DENIED',
  38: 'VIR_ERR_SYSTEM_ERROR',
  39: 'VIR_ERR_RPC',
  42: 'VIR_ERR_NO_DOMAIN',
  45: 'VIR_ERR_AUTH_FAILED',
  55: 'VIR_ERR_OPERATION_INVALID',
  67: 'VIR_ERR_CONFIG_UNSUPPORTED',
  68: 'VIR_ERR_OPERATION_TIMEOUT',
  74: 'VIR_ERR_ARGUMENT_UNSUPPORTED',
  84: 'VIR_ERR_OPERATION_UNSUPPORTED',
  86: 'VIR_ERR_AGENT_UNRESPONSIVE',
  88: 'VIR_ERR_ACCESS_DENIED',
};

export function libvirtErrorName(code: number): string {
  return ERROR_NAMES[code] ?? `VIR_ERR_${code}`;
}

/** The fields of remote_error, as the daemon sent them. */
export interface RemoteErrorFields {
  code: number;
  /** virErrorDomain: which libvirt subsystem raised it. */
  domain: number;
  message: string | null;
  /** virErrorLevel: 0 none, 1 warning, 2 error. */
  level: number;
  str1: string | null;
  str2: string | null;
  str3: string | null;
  int1: number;
  int2: number;
}

/** Enough of a daemon's message for any real error; a longer one is cut. */
const maxMessageChars = 1024;

/** An error the daemon reported for a call (remote_error). */
export class LibvirtError extends Error implements RemoteErrorFields {
  override readonly name = 'LibvirtError';
  readonly code: number;
  readonly domain: number;
  readonly level: number;
  readonly str1: string | null;
  readonly str2: string | null;
  readonly str3: string | null;
  readonly int1: number;
  readonly int2: number;
  /** The daemon's own text, without our prefix. */
  readonly libvirtMessage: string | null;

  constructor(fields: RemoteErrorFields) {
    // The daemon's text goes into logs and terminals: one printable line, without escapes.
    const message = fields.message === null ? null : printableText(fields.message, maxMessageChars);
    super(
      `libvirt error ${fields.code} (${libvirtErrorName(fields.code)}): ${message ?? 'no message'}`,
    );
    this.code = fields.code;
    this.domain = fields.domain;
    this.level = fields.level;
    this.str1 = fields.str1;
    this.str2 = fields.str2;
    this.str3 = fields.str3;
    this.int1 = fields.int1;
    this.int2 = fields.int2;
    this.libvirtMessage = message;
  }
}

/** The peer broke the protocol (bad length, unknown program, garbage, truncation). Fatal. */
export class LibvirtProtocolError extends Error {
  override readonly name = 'LibvirtProtocolError';
}

/** A call got no reply within its timeout. */
export class LibvirtTimeoutError extends Error {
  override readonly name = 'LibvirtTimeoutError';
}

/** The connection is closed (by us, the peer, or a fatal error given as `cause`). */
export class LibvirtClosedError extends Error {
  override readonly name = 'LibvirtClosedError';
}

/** The daemon demands an authentication method this client does not speak. */
export class LibvirtAuthError extends Error {
  override readonly name = 'LibvirtAuthError';
}

/** Reaching the daemon failed: no socket, refused, SSH failure, bad URI transport. */
export class LibvirtTransportError extends Error {
  override readonly name = 'LibvirtTransportError';
}
