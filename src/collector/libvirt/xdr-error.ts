/** Bytes that do not decode as the XDR the protocol declares. `offset` is where decoding stopped. */
export class XdrDecodeError extends Error {
  override readonly name = 'XdrDecodeError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
  }
}

/** A value that cannot be encoded as the XDR type asked for (out of range, too long). */
export class XdrEncodeError extends Error {
  override readonly name = 'XdrEncodeError';
}
