/**
 * Why a request failed, as the renderer sees it.
 * - bad-request: the name is unknown or the params do not match the contract;
 * - forbidden: the caller is not the app's own page (another frame, another origin);
 * - failed: the handler ran and reported a failure it expected (host unreachable, ...);
 * - internal: anything else; the message is generic so no detail of main leaks out.
 */
export type ContractErrorCode = 'bad-request' | 'forbidden' | 'failed' | 'internal';

export interface ContractErrorBody {
  code: ContractErrorCode;
  message: string;
}

export type Reply<T> = { ok: T } | { error: ContractErrorBody };

/** Thrown by clients when a reply carries an error, and by handlers to report one. */
export class ContractError extends Error {
  override readonly name = 'ContractError';
  constructor(
    readonly code: ContractErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** True for a well-formed reply envelope; a client checks this before trusting a transport. */
export function isReply(value: unknown): value is Reply<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  if ('ok' in value) return true;
  if (!('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as ContractErrorBody).code === 'string' &&
    typeof (error as ContractErrorBody).message === 'string'
  );
}

/** The value of an ok reply; a ContractError for an error reply. */
export function unwrapReply<T>(reply: Reply<T>): T {
  if ('error' in reply) throw new ContractError(reply.error.code, reply.error.message);
  return reply.ok;
}
