import type { HostStatus, VmEventDetail, VmInventoryEntry } from '../model/engine-events';
import type { HostDetailEvent, HostPollEvent, VmDetailEvent } from '../model/host-view';
import type { SyncView } from '../model/sync-status';
import type { AssertNever, NotJsonSafe } from './json';

/**
 * Every event the backend pushes to the renderer, by name: its payload. A new event
 * is one entry here and a publish() call where it happens; the IPC and WebSocket
 * transports carry any entry.
 */
export interface EventMap {
  /** The backend is going away: `setmov serve` got SIGINT/SIGTERM, or the app is quitting. */
  'app.stopping': { reason: 'signal' | 'quit' };
  /**
   * Made by the browser's client itself, never sent by a server: its event socket was
   * lost (the server restarted, the network dropped) and is open again. Events of the
   * time between are lost: a view reads its state anew.
   */
  'connection.restored': { downMs: number };
  /**
   * Topic `overview`: one message per host per poll (not one per VM), the host's status,
   * figures and VM counts.
   */
  'host.poll': HostPollEvent;
  /** Topic `host:ID`: one message per poll of that host, per device and per VM. */
  'host.detail': HostDetailEvent;
  /** Topic `vm:UUID`: one message per poll of that VM, per device. */
  'vm.detail': VmDetailEvent;
  /** Topic `sync`: the MySQL sync's status, when it changes. */
  'sync.status': SyncView;
  /** A host's (by id) status changed (up, degraded, unreachable, ...): also between polls. */
  'host.status': { hostId: string; status: HostStatus };
  /** To every page: a VM appeared, changed (state, devices) or went away on a host (by id). */
  'inventory.changed': {
    hostId: string;
    change: 'added' | 'updated' | 'gone';
    vm: VmInventoryEntry;
  };
  /** To every page: a display client connected to or left a VM's console (lct, connectedNow). */
  'vm.display': {
    hostId: string;
    uuid: string;
    name: string;
    display: Extract<VmEventDetail, { kind: 'display' }>;
  };
}

export type EventName = keyof EventMap;
export type EventPayload<E extends EventName> = EventMap[E];
export type EventListener<E extends EventName> = (payload: EventPayload<E>) => void;

/** Sends an event to the pages that subscribed to its topic (topics.ts). */
export type PublishEvent = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

/** A payload that JSON cannot carry fails to compile here, naming its event. */
export type PayloadsAreJson = AssertNever<
  NotJsonSafe<{ [E in EventName]: { payload: EventMap[E] } }, 'payload'>
>;
