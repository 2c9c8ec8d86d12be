import { ContractError } from './reply';
import type { Reply } from './reply';
import { isRequestName, requestValidators } from './request-validators';
import type { RequestHandlers, RequestName, RequestParams, RequestResult } from './requests';

/** Where a dispatch failure is reported; main and the server pass their own log. */
export type InternalErrorSink = (name: string, error: unknown) => void;

/**
 * Validates an untrusted (name, params) pair and runs its handler; never throws.
 * Shared by main's IPC handler and the server's HTTP and WebSocket routes, so every
 * transport validates the same way and answers with the same envelope.
 */
export async function dispatch(
  handlers: RequestHandlers,
  name: unknown,
  params: unknown,
  onInternalError: InternalErrorSink = () => {},
): Promise<Reply<unknown>> {
  if (!isRequestName(name)) {
    const shown = typeof name === 'string' ? `'${name.slice(0, 80)}'` : typeof name;
    return { error: { code: 'bad-request', message: `unknown request ${shown}` } };
  }
  if (handlers[name] === undefined) {
    return { error: { code: 'bad-request', message: `${name} is not served here` } };
  }
  try {
    return { ok: await run(handlers, name, params) };
  } catch (error) {
    if (error instanceof ContractError) {
      return { error: { code: error.code, message: error.message } };
    }
    onInternalError(name, error);
    // The detail stays in main's log: it may name paths or hosts the renderer need not see.
    return { error: { code: 'internal', message: `${name} failed unexpectedly` } };
  }
}

async function run<N extends RequestName>(
  handlers: RequestHandlers,
  name: N,
  params: unknown,
): Promise<RequestResult<N>> {
  const validate = requestValidators[name] as (params: unknown) => RequestParams<N>;
  const handler = handlers[name] as (
    params: RequestParams<N>,
  ) => Promise<RequestResult<N>> | RequestResult<N>;
  return handler(validate(params));
}
