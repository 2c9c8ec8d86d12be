import type { EngineEvent, HostStatus, VmInventoryEntry } from '../../shared/model/engine-events';
import { HostSession, type HostSessionDeps } from './host-session';
import { HostTargetError, resolveHostTarget, type HostTarget } from './host-target';
import type { PollCounters } from './poll-scheduler';

export type EngineListener = (event: EngineEvent) => void;

export interface CollectorEngineOptions extends HostSessionDeps {
  /** Called when a listener throws; by default the error is written to stderr. */
  onListenerError?: (error: unknown, event: EngineEvent) => void;
}

/**
 * The collector: one session per watched host, and one typed stream of everything they
 * report (host status, identities, inventory changes, samples, VM events). It holds no UI or
 * database code: the store and the UI subscribe to the stream.
 */
export class CollectorEngine {
  private readonly sessions = new Map<string, HostSession>();
  private readonly listeners = new Set<EngineListener>();
  private readonly onListenerError: (error: unknown, event: EngineEvent) => void;
  private stopped = false;

  constructor(private readonly options: CollectorEngineOptions = {}) {
    this.onListenerError =
      options.onListenerError ??
      ((error, event) =>
        console.error(`setmov: a ${event.type} listener failed: ${(error as Error).message}`));
  }

  /** Subscribes to every event; returns the unsubscribe. */
  on(listener: EngineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts watching a host (HostTargetError for a bad target or a duplicate id). */
  addHost(target: HostTarget): void {
    if (this.stopped) throw new HostTargetError('the engine is stopped');
    const resolved = resolveHostTarget(target);
    if (this.sessions.has(resolved.id)) {
      throw new HostTargetError(`a host with id '${resolved.id}' is already watched`);
    }
    const session = new HostSession(resolved, (event) => this.dispatch(event), this.options);
    this.sessions.set(resolved.id, session);
    session.start();
  }

  /** Stops watching a host; its last event is a 'stopped' status. */
  async removeHost(id: string): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    await session.stop();
  }

  hostIds(): string[] {
    return [...this.sessions.keys()];
  }

  status(id: string): HostStatus | undefined {
    return this.sessions.get(id)?.status();
  }

  /** The host's VMs, gone ones included (marked). */
  inventory(id: string): VmInventoryEntry[] {
    return this.sessions.get(id)?.vms() ?? [];
  }

  pollCounters(id: string): PollCounters | undefined {
    return this.sessions.get(id)?.pollCounters();
  }

  /** Seeds a VM's last connect time from history, so LCT survives a console restart. */
  restoreLct(hostId: string, uuid: string, lct: number): void {
    this.sessions.get(hostId)?.restoreLct(uuid, lct);
  }

  /** Stops every session: connections closed, timers cleared. */
  async stop(): Promise<void> {
    this.stopped = true;
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(sessions.map((s) => s.stop()));
  }

  private dispatch(event: EngineEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error, event);
      }
    }
  }
}
