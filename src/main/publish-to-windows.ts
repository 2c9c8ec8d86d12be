import type { WebContents } from 'electron';
import { EVENT_CHANNEL } from '../shared/contract';
import type { PublishEvent } from '../shared/contract';

/**
 * Publishes contract events to every open window's page, through the preload's
 * onEvent. A window that cannot take one (closed between the check and the send, or a
 * payload IPC cannot clone) is reported and skipped: the other windows still get it,
 * and the publisher (the engine's event path) never sees a throw.
 */
export function publishToWindows(
  windows: () => readonly { webContents: Pick<WebContents, 'send' | 'isDestroyed'> }[],
  onError: (eventName: string, error: unknown) => void,
): PublishEvent {
  return (name, payload) => {
    for (const { webContents } of windows()) {
      try {
        if (!webContents.isDestroyed()) webContents.send(EVENT_CHANNEL, name, payload);
      } catch (error) {
        onError(name, error);
      }
    }
  };
}
