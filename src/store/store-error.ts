export type StoreErrorCode =
  'unknown-metric' | 'unknown-entity' | 'bad-range' | 'schema-too-new' | 'bad-database' | 'closed';

/** An error of the local store, typed so callers (UI, CLI) can tell what went wrong. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
  }
}
