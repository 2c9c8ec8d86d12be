import type { EventListener, EventName } from './events';

/**
 * Listeners by event name, for the clients: a transport hands every incoming
 * (name, payload) to emit(); a listener that throws does not starve the others.
 */
export class EventListeners {
  private readonly byName = new Map<string, Set<(payload: unknown) => void>>();

  add<E extends EventName>(name: E, listener: EventListener<E>): () => void {
    const set = this.byName.get(name) ?? new Set();
    this.byName.set(name, set);
    const entry = listener as (payload: unknown) => void;
    set.add(entry);
    return () => {
      set.delete(entry);
      if (set.size === 0) this.byName.delete(name);
    };
  }

  get size(): number {
    return this.byName.size;
  }

  emit(name: string, payload: unknown): void {
    for (const listener of this.byName.get(name) ?? []) {
      try {
        listener(payload);
      } catch (error) {
        console.error(`setmov: a listener of ${name} failed`, error);
      }
    }
  }
}
