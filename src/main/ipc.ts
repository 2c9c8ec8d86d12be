import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { dispatch, REQUEST_CHANNEL } from '../shared/contract';
import type { InternalErrorSink, Reply, RequestHandlers } from '../shared/contract';

const refused: Reply<never> = {
  error: { code: 'forbidden', message: 'requests are only answered for the console page' },
};

/** The requests about the page that sent them (events.subscribe), by its WebContents id. */
export type PageHandlers = (pageId: number | undefined) => RequestHandlers;

/**
 * The URL of the frame that sent a request, or '' when there is none to trust: the
 * frame may be gone (navigated, closed) by the time its request is handled, and
 * Electron then gives null or throws on access.
 */
function senderUrl(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): string {
  try {
    return event.senderFrame?.url ?? '';
  } catch {
    return '';
  }
}

function senderId(event: Partial<Pick<IpcMainInvokeEvent, 'sender'>>): number | undefined {
  try {
    return event.sender?.id;
  } catch {
    return undefined;
  }
}

/**
 * Answers the contract on its one IPC channel. Requests from any frame but the app's
 * own page are refused before validation; the rest go through the shared dispatch,
 * which validates them and never throws.
 */
export function registerContractHandler(
  ipcMain: IpcMain,
  handlers: RequestHandlers,
  isTrustedSender: (frameUrl: string) => boolean,
  onInternalError: InternalErrorSink,
  pageHandlers: PageHandlers = () => ({}),
): void {
  ipcMain.handle(REQUEST_CHANNEL, async (event, name: unknown, params: unknown) => {
    if (!isTrustedSender(senderUrl(event))) return refused;
    const served =
      name === 'events.subscribe' ? { ...handlers, ...pageHandlers(senderId(event)) } : handlers;
    return dispatch(served, name, params, onInternalError);
  });
}
