import type { DetailedHostSample } from './detailed-host-sample';
import type { HostIdentity } from './host-identity';
import type { LibvirtFacts } from './libvirt-facts';
import type { LifecycleEventName } from './lifecycle-event-name';
import type { VmSample } from './samples';
import type { VmBalloon, VmDisk, VmNic } from './vm-devices';

/**
 * connecting: first attempt, or reconnecting after a loss; up: /proc and libvirt both answer;
 * degraded: one of them does not (which, in procError / libvirtError); unreachable: the host
 * itself cannot be reached (SSH down, refused, timed out, name unknown); stopped: removed;
 * stale: a host known only from the central database whose newest sample there is older
 * than the console's limit (its agent stopped writing): not down, just not known now.
 */
export type HostStatusKind = 'connecting' | 'up' | 'degraded' | 'unreachable' | 'stopped' | 'stale';

export interface HostStatus {
  status: HostStatusKind;
  /** One line on what is wrong (degraded, unreachable); null when up. */
  reason: string | null;
  /** Why /proc cannot be read; null when it can (or the host is unreachable). */
  procError: string | null;
  /** Why libvirt cannot be used; null when it can (or the host is unreachable). */
  libvirtError: string | null;
  /** When the next reconnection attempt is due, ms since the epoch; null when none is planned. */
  retryAt: number | null;
  /** Failed attempts since the host was last up. */
  failedAttempts: number;
}

/** virsh's short state names, by virDomainState code. */
export type VmStateName =
  | 'nostate'
  | 'running'
  | 'blocked'
  | 'paused'
  | 'shutdown'
  | 'shutoff'
  | 'crashed'
  | 'pmsuspended'
  | 'unknown';

/** What the console knows of one VM: its identity, shape and state, kept current by events. */
export interface VmInventoryEntry {
  uuid: string;
  name: string;
  /** Hypervisor id while running, else null. */
  id: number | null;
  state: VmStateName;
  /** virDomainState code, and the reason code that goes with it (virDomain<State>Reason). */
  stateCode: number;
  stateReason: number;
  vcpus: number | null;
  maxMemoryBytes: number | null;
  currentMemoryBytes: number | null;
  disks: VmDisk[];
  nics: VmNic[];
  graphics: { type: string; port: number | null }[];
  balloon: VmBalloon | null;
  /** null when the daemon could not say. */
  autostart: boolean | null;
  persistent: boolean | null;
  /** The domain no longer exists on the host (undefined, or a transient one stopped). */
  gone: boolean;
  /** When a poll last saw the domain, ms since the epoch. */
  lastSeen: number | null;
  /** Last display connect, ms since the epoch; null if none seen. */
  lct: number | null;
  connectedNow: boolean;
  /** Why the XML description could not be used, when it could not. */
  descriptionError: string | null;
}

/** A VM sample with what vmUsage knows beyond the shared model. */
export type DetailedVmSample = VmSample & {
  memory: VmSample['memory'] & { guestUsedSource: 'usable' | 'unused' | null };
  stateReason: number;
};

interface HostEventBase {
  /** The target's id (HostTarget.id). */
  hostId: string;
  /** ms since the epoch */
  ts: number;
}

export type VmEventDetail =
  | { kind: 'lifecycle'; event: LifecycleEventName | 'reboot'; detail: number }
  | {
      kind: 'display';
      phase: 'connect' | 'initialize' | 'disconnect' | 'unknown';
      /** The client's address and port as the daemon reported them. */
      address: string;
      service: string;
      lct: number | null;
      connectedNow: boolean;
    };

/** Everything the engine reports, in one typed stream. */
export type EngineEvent =
  | ({ type: 'host-status' } & HostEventBase & HostStatus)
  | ({
      type: 'host-identity';
      identity: HostIdentity;
      libvirtHostname: string | null;
    } & HostEventBase)
  /** The host's libvirt daemon, each time a connection to it is made. */
  | ({ type: 'host-libvirt'; libvirt: LibvirtFacts } & HostEventBase)
  | ({
      type: 'inventory-changed';
      change: 'added' | 'updated' | 'gone';
      /** Host name the VM runs on (the samples' `host`). */
      host: string;
      vm: VmInventoryEntry;
    } & HostEventBase)
  | ({ type: 'host-sample'; sample: DetailedHostSample } & HostEventBase)
  | ({ type: 'vm-sample'; sample: DetailedVmSample } & HostEventBase)
  | ({
      type: 'vm-event';
      host: string;
      uuid: string;
      name: string;
      event: VmEventDetail;
    } & HostEventBase)
  | ({
      type: 'poll-complete';
      /** Wall time of the poll, ms. */
      durationMs: number;
      vmSamples: number;
      /** Ticks skipped so far because a poll was still running. */
      skippedPolls: number;
    } & HostEventBase)
  | ({ type: 'warning'; message: string } & HostEventBase);

export type EngineEventType = EngineEvent['type'];
export type EngineEventOf<T extends EngineEventType> = Extract<EngineEvent, { type: T }>;
