import type { EventName, EventPayload, PublishEvent } from './events';
import { topicOf } from './topics';
import type { Topic } from './topics';

/** What the backend publishes to: pages by topic. */
export interface EventSink {
  publish: PublishEvent;
  /** Whether any page wants this topic now: the backend builds only what someone reads. */
  wants(topic: Topic): boolean;
}

/**
 * Hands one event to one page. `frame` is the event as the WebSocket sends it, made once
 * per event however many pages get it.
 */
export type DeliverEvent = (name: EventName, payload: unknown, frame: () => string) => void;

/** One page attached to a hub: what it subscribed to, and how it is reached. */
export interface EventSubscriber {
  /** Replaces the page's topics; returns them as kept. */
  setTopics(topics: readonly Topic[]): Topic[];
  topics(): Topic[];
  detach(): void;
}

/**
 * The pages of one transport (main's windows, serve's sockets) and their topics. An
 * event goes to the pages subscribed to its topic, or to all of them when it has none.
 */
export class EventHub implements EventSink {
  /** A page whose delivery throws is reported here; the other pages still get the event. */
  constructor(
    private readonly onDeliveryError: (name: EventName, error: unknown) => void = () => {},
  ) {}

  private readonly pages = new Map<object, { deliver: DeliverEvent; topics: Set<Topic> }>();

  attach(deliver: DeliverEvent): EventSubscriber {
    const key = {};
    const page = { deliver, topics: new Set<Topic>() };
    this.pages.set(key, page);
    return {
      setTopics: (topics) => {
        page.topics = new Set(topics);
        return [...page.topics];
      },
      topics: () => [...page.topics],
      detach: () => void this.pages.delete(key),
    };
  }

  get size(): number {
    return this.pages.size;
  }

  wants(topic: Topic): boolean {
    for (const page of this.pages.values()) if (page.topics.has(topic)) return true;
    return false;
  }

  publish: PublishEvent = <E extends EventName>(name: E, payload: EventPayload<E>) => {
    const topic = topicOf(name, payload);
    let text: string | undefined;
    const frame = (): string => (text ??= JSON.stringify({ event: name, payload }));
    for (const page of this.pages.values()) {
      if (topic !== null && !page.topics.has(topic)) continue;
      try {
        page.deliver(name, payload, frame);
      } catch (error) {
        this.onDeliveryError(name, error);
      }
    }
  };
}
