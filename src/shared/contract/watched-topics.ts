import type { Topic } from './topics';

/**
 * The topics a page's views watch, counted: two charts of one VM make one subscription,
 * dropped when the last of them stops. `onChange` gets the whole set each time it
 * changes (once for the changes made together); the client sends it as one
 * events.subscribe.
 */
export class WatchedTopics {
  private readonly counts = new Map<Topic, number>();
  private changeQueued = false;

  constructor(private readonly onChange: (topics: Topic[]) => void) {}

  get size(): number {
    return this.counts.size;
  }

  all(): Topic[] {
    return [...this.counts.keys()];
  }

  /** Watches a topic until the returned function is called (once). */
  watch(topic: Topic): () => void {
    const before = this.counts.get(topic) ?? 0;
    this.counts.set(topic, before + 1);
    if (before === 0) this.changed();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const left = (this.counts.get(topic) ?? 1) - 1;
      if (left > 0) {
        this.counts.set(topic, left);
        return;
      }
      this.counts.delete(topic);
      this.changed();
    };
  }

  /**
   * Tells of the set once for the changes made together: the desktops table watches every
   * host's topic at once, and 500 hosts were 500 subscriptions of up to 500 topics each.
   */
  private changed(): void {
    if (this.changeQueued) return;
    this.changeQueued = true;
    queueMicrotask(() => {
      this.changeQueued = false;
      this.onChange(this.all());
    });
  }
}
