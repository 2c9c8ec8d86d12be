import type { BackendRequestHandlers } from '../shared/contract/requests';

/**
 * Runs async work one piece after the other, in the order asked for. The backend's
 * changes (hosts, settings, sync target, apply) go through one: each checks the state and
 * saves it across awaits, and two requests in one WebSocket write must not both pass a
 * check before either has saved.
 */
export class OneAtATime {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/**
 * The requests that change what the backend keeps (hosts.json, settings, the sync target,
 * the secrets, a VM): one at a time, so each sees what the one before it saved.
 */
const CHANGING_REQUESTS = [
  'hosts.add',
  'hosts.update',
  'hosts.remove',
  'hosts.acceptKey',
  'settings.set',
  'sync.set',
  'sync.remove',
  'analysis.apply',
] as const satisfies readonly (keyof BackendRequestHandlers)[];

/** The handlers, with the changing ones run one after the other. */
export function serialiseChanges(handlers: BackendRequestHandlers): BackendRequestHandlers {
  const changes = new OneAtATime();
  const serialised = { ...handlers };
  for (const name of CHANGING_REQUESTS) {
    const handler = handlers[name] as (params: unknown) => unknown;
    (serialised as Record<string, (params: unknown) => unknown>)[name] = (params) =>
      changes.run(() => handler(params));
  }
  return serialised;
}
