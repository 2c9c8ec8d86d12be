import type { WebContents } from 'electron';
import { EVENT_CHANNEL } from '../shared/contract';
import type { PublishEvent } from '../shared/contract';

/** Publishes contract events to every open window's page, through the preload's onEvent. */
export function publishToWindows(
  windows: () => readonly { webContents: Pick<WebContents, 'send' | 'isDestroyed'> }[],
): PublishEvent {
  return (name, payload) => {
    for (const { webContents } of windows()) {
      if (!webContents.isDestroyed()) webContents.send(EVENT_CHANNEL, name, payload);
    }
  };
}
