import type { DomainRef } from '../libvirt/remote-types';

/**
 * Re-reads of domains, coalesced: at most one read per domain runs at a time, and requests that
 * arrive during it cause exactly one more read, so the last word is always the daemon's latest.
 */
export class DomainRefresher {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private closed = false;

  constructor(
    private readonly read: (domain: DomainRef) => Promise<void>,
    private readonly onError: (domain: DomainRef, error: unknown) => void,
  ) {}

  /** Asks for a read of the domain; returns the run it started, or null when one was running. */
  request(domain: DomainRef): Promise<void> | null {
    if (this.closed) return null;
    if (this.running.has(domain.uuid)) {
      this.again.add(domain.uuid);
      return null;
    }
    const run = (async () => {
      do {
        this.again.delete(domain.uuid);
        await this.read(domain);
      } while (this.again.has(domain.uuid) && !this.closed);
    })()
      .catch((error: unknown) => {
        if (!this.closed) this.onError(domain, error);
      })
      .finally(() => this.running.delete(domain.uuid));
    this.running.set(domain.uuid, run);
    return run;
  }

  /** No more reads start; a read in progress finishes and its error is not reported. */
  close(): void {
    this.closed = true;
    this.again.clear();
  }
}
