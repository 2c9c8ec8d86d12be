import type { Reply } from '../shared/contract/reply';

/**
 * The envelope for a request IPC did not deliver, so the page gets a typed error and
 * not a rejection. Electron refuses params it cannot structured-clone (a function, a
 * DOM node, a class instance's methods) before main sees them: that is the caller's
 * mistake. Anything else (main gone, no handler) is ours.
 */
export function undeliveredReply(name: unknown, error: unknown): Reply<never> {
  const message = error instanceof Error ? error.message : String(error);
  const shown = typeof name === 'string' ? name.slice(0, 80) : typeof name;
  if (/could not be cloned/i.test(message)) {
    return {
      error: { code: 'bad-request', message: `${shown}: params must be plain data (JSON values)` },
    };
  }
  return { error: { code: 'internal', message: `${shown}: the request did not reach main` } };
}
