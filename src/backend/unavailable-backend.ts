import { ContractError } from '../shared/contract/reply';
import type { RequestHandlers } from '../shared/contract/requests';
import { requestSchemas } from '../shared/contract/schemas';
import type { AppVersion } from '../shared/app-version';

/**
 * What the admin reads when the backend did not start: the reason, which names the file
 * (hosts.json, settings.json, sync.json, the history), and what to do about it.
 */
export function unavailableMessage(reason: string): string {
  return (
    `SETMOV could not start: ${reason.replace(/\.$/, '')}. ` +
    'Restart SETMOV once the file it names is fixed or moved aside.'
  );
}

/**
 * What the window (and `setmov serve`, in safe mode) is served when createBackend failed (a damaged history, a settings
 * file that is not valid, a folder it may not write): the version, and for every other
 * request the reason and what to do, so the admin sees why instead of an empty window.
 */
export function unavailableHandlers(appVersion: AppVersion, reason: string): RequestHandlers {
  const refuse = (): never => {
    throw new ContractError('failed', unavailableMessage(reason));
  };
  const handlers: RequestHandlers = Object.fromEntries(
    Object.keys(requestSchemas).map((name) => [name, refuse]),
  );
  handlers['app.getVersion'] = () => ({ ...appVersion });
  return handlers;
}
