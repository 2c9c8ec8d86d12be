export type StoreErrorCode =
  | 'unknown-metric'
  | 'unknown-entity'
  | 'bad-range'
  | 'schema-too-new'
  /** The file is damaged or not a SETMOV history; the message says what to do. */
  | 'bad-database'
  /** A write found no space left; it was undone whole, nothing half-written. */
  | 'disk-full'
  | 'closed';

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
