import type { IpcMain } from 'electron';
import { dispatch, REQUEST_CHANNEL } from '../shared/contract';
import type { InternalErrorSink, Reply, RequestHandlers } from '../shared/contract';

/**
 * Answers the contract on its one IPC channel. Requests from any frame but the app's
 * own page are refused before validation; the rest go through the shared dispatch,
 * which validates them.
 */
export function registerContractHandler(
  ipcMain: IpcMain,
  handlers: RequestHandlers,
  isTrustedSender: (frameUrl: string) => boolean,
  onInternalError: InternalErrorSink,
): void {
  ipcMain.handle(REQUEST_CHANNEL, async (event, name: unknown, params: unknown) => {
    const frameUrl = event.senderFrame?.url ?? '';
    if (!isTrustedSender(frameUrl)) {
      const refused: Reply<never> = {
        error: { code: 'forbidden', message: 'requests are only answered for the console page' },
      };
      return refused;
    }
    return dispatch(handlers, name, params, onInternalError);
  });
}
