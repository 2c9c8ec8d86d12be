import type { WebContents } from 'electron';
import { EVENT_CHANNEL } from '../shared/contract';
import type { EventHub, EventSubscriber } from '../shared/contract';

/** The part of a window's WebContents events need. */
export type EventPage = Pick<WebContents, 'id' | 'send' | 'isDestroyed' | 'once'>;

/**
 * Each window's page as one subscriber of the hub: it gets the events of the topics it
 * subscribed to (events.subscribe over IPC, answered for that page) through the
 * preload's onEvent. A page that cannot take one (closed between the check and the
 * send, or a payload IPC cannot clone) is reported and skipped: the other windows still
 * get it, and the publisher (the engine's event path) never sees a throw.
 */
export class WindowEvents {
  private readonly pages = new Map<number, EventSubscriber>();

  constructor(
    private readonly hub: EventHub,
    private readonly onError: (eventName: string, error: unknown) => void,
  ) {}

  attach(page: EventPage): void {
    if (this.pages.has(page.id)) return;
    const subscriber = this.hub.attach((name, payload) => {
      try {
        if (!page.isDestroyed()) page.send(EVENT_CHANNEL, name, payload);
      } catch (error) {
        this.onError(name, error);
      }
    });
    this.pages.set(page.id, subscriber);
    page.once('destroyed', () => {
      subscriber.detach();
      this.pages.delete(page.id);
    });
  }

  /** The subscriber of the page with this WebContents id, if it is attached. */
  of(pageId: number): EventSubscriber | undefined {
    return this.pages.get(pageId);
  }
}
