import type {
  EngineEvent,
  EngineEventOf,
  EngineEventType,
} from '../../../src/shared/model/engine-events';
import type { CollectorEngine } from '../../../src/collector/engine/collector-engine';

/** Records an engine's events and waits for the ones a test expects. */
export class EngineWatch {
  readonly events: { at: number; event: EngineEvent }[] = [];
  private readonly waiters = new Set<() => void>();
  readonly unhandled: unknown[] = [];
  private readonly onUnhandled = (reason: unknown): void => {
    this.unhandled.push(reason);
  };

  constructor(engine: CollectorEngine) {
    engine.on((event) => {
      this.events.push({ at: Date.now(), event });
      for (const wake of this.waiters) wake();
    });
    process.on('unhandledRejection', this.onUnhandled);
  }

  dispose(): void {
    process.off('unhandledRejection', this.onUnhandled);
  }

  of<T extends EngineEventType>(type: T): EngineEventOf<T>[] {
    return this.events.filter((e) => e.event.type === type).map((e) => e.event as EngineEventOf<T>);
  }

  /** The first event (recorded at or after `since`) that matches; rejects after timeoutMs. */
  waitFor<T extends EngineEventType>(
    type: T,
    match: (event: EngineEventOf<T>) => boolean,
    timeoutMs: number,
    since = 0,
  ): Promise<{ at: number; event: EngineEventOf<T> }> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.events.find(
          (e) => e.at >= since && e.event.type === type && match(e.event as EngineEventOf<T>),
        );
        if (!found) return false;
        cleanup();
        resolve(found as { at: number; event: EngineEventOf<T> });
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        // What did arrive says more than the timeout: a late event, or one that did not match.
        const seen = this.events
          .filter((e) => e.at >= since)
          .map((e) => `+${e.at - since} ms ${JSON.stringify(e.event).slice(0, 300)}`);
        reject(
          new Error(
            `no matching ${type} event within ${timeoutMs} ms; ${seen.length} events seen:\n${seen.join('\n')}`,
          ),
        );
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
      };
      const wake = (): void => void check();
      this.waiters.add(wake);
      check();
    });
  }
}
