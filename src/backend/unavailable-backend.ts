import { ContractError } from '../shared/contract/reply';
import type { RequestHandlers } from '../shared/contract/requests';
import { requestSchemas } from '../shared/contract/schemas';
import type { AppVersion } from '../shared/app-version';

/**
 * What the window is served when createBackend failed (a damaged history, a settings
 * file that is not valid, a folder it may not write): the version, and for every other
 * request the reason and what to do, so the admin sees why instead of an empty window.
 */
export function unavailableHandlers(appVersion: AppVersion, reason: string): RequestHandlers {
  const refuse = (): never => {
    throw new ContractError('failed', `SETMOV could not start: ${reason}`);
  };
  const handlers: RequestHandlers = Object.fromEntries(
    Object.keys(requestSchemas).map((name) => [name, refuse]),
  );
  handlers['app.getVersion'] = () => ({ ...appVersion });
  return handlers;
}
