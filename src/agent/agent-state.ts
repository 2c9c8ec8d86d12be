import type { EngineEvent, HostStatusKind } from '../shared/model/engine-events';

/** An error as the status keeps it: what, and when (ms since the epoch). */
export interface ErrorAt {
  message: string;
  at: number;
}

/** A watched host as the agent reports it. */
export interface AgentHostState {
  id: string;
  name: string;
  /** The engine's word for it; 'connecting' until the engine says more. */
  state: HostStatusKind;
  /** What is wrong now (degraded, unreachable); null when up. */
  reason: string | null;
  /** The latest thing that went wrong, kept after the host is up again. */
  lastError: ErrorAt | null;
}

/**
 * What the agent has seen since it started, from the engine's events and its own
 * failures: the hosts' states, the samples collected, the latest error. A host's change
 * of state is logged once, not at every retry.
 */
export class AgentState {
  samplesCollected = 0;
  lastError: ErrorAt | null = null;
  private readonly hosts = new Map<string, AgentHostState>();
  /** The state and reason last logged, by host id. */
  private readonly said = new Map<string, string>();

  constructor(
    private readonly now: () => number,
    private readonly log: (line: string) => void,
  ) {}

  /** The hosts watched from now on: ones kept keep their state, new ones are connecting. */
  setHosts(hosts: readonly { id: string; name: string }[]): void {
    const kept = new Map(this.hosts);
    this.hosts.clear();
    for (const id of kept.keys()) if (!hosts.some((h) => h.id === id)) this.said.delete(id);
    for (const { id, name } of hosts) {
      const old = kept.get(id);
      this.hosts.set(
        id,
        old ? { ...old, name } : { id, name, state: 'connecting', reason: null, lastError: null },
      );
    }
  }

  hostList(): AgentHostState[] {
    return [...this.hosts.values()].map((host) => ({ ...host }));
  }

  observe(event: EngineEvent): void {
    switch (event.type) {
      case 'host-sample':
      case 'vm-sample':
        this.samplesCollected++;
        break;
      case 'host-status':
        this.hostStatus(event.hostId, event.status, event.reason);
        break;
      case 'warning':
        this.log(`setmov agent: ${this.nameOf(event.hostId)}: ${event.message}`);
        break;
      default:
        break;
    }
  }

  /** A host could not be started (its target, its secrets): said, and kept as its error. */
  hostFailed(id: string, message: string): void {
    const host = this.hosts.get(id);
    if (host) {
      host.state = 'unreachable';
      host.reason = message;
    }
    this.error(`${this.nameOf(id)}: ${message}`, host);
    this.log(`setmov agent: ${this.nameOf(id)}: not watched: ${message}`);
  }

  /** Records the agent's latest error (and the host's, when it is one's). */
  error(message: string, host?: AgentHostState): void {
    const at = this.now();
    this.lastError = { message, at };
    if (host) host.lastError = { message, at };
  }

  private hostStatus(id: string, state: HostStatusKind, reason: string | null): void {
    const host = this.hosts.get(id);
    // A removed host's last word ('stopped') comes after it left the list.
    if (!host) return;
    host.state = state;
    host.reason = reason;
    // Every retry passes through connecting and fails the same way: said once.
    const said = `${state}|${reason ?? ''}`;
    if (state === 'connecting' || this.said.get(id) === said) return;
    this.said.set(id, said);
    if (reason !== null) this.error(`${host.name}: ${reason}`, host);
    this.log(`setmov agent: ${host.name}: ${state}${reason === null ? '' : `: ${reason}`}`);
  }

  private nameOf(id: string): string {
    return this.hosts.get(id)?.name ?? id;
  }
}
