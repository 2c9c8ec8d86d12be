export type ListenErrorCode =
  'port-in-use' | 'wildcard-address' | 'needs-tls' | 'bad-tls' | 'cannot-listen';

/** Why `setmov serve` could not start listening, typed so the CLI can tell a usage mistake. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
  constructor(
    readonly code: ListenErrorCode,
    message: string,
  ) {
    super(message);
  }
}
