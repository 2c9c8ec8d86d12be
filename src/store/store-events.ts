import type { HostSample, VmSample } from '../shared/model/samples';

/**
 * The history's key of a host: the saved host's id when the events come from a saved
 * host, else (a collection not tied to one, an imported sample) the host's own name.
 */
export interface HostKeyed {
  hostKey?: string;
}

/** Who a host is, as the collector's identity call reports it. */
export interface HostIdentityRecord extends HostKeyed {
  /** The host's own hostname: a fact about it (samples carry it), not its key. */
  name: string;
  /** Primary IPv4 address: the key of MySQL's t1_host; null when unknown. */
  ip: string | null;
  /** Logical CPUs. */
  cores: number | null;
  memoryBytes: number | null;
}

/** Where a VM is and what it looks like, on every inventory change the engine sees. */
export interface VmInventoryRecord extends HostKeyed {
  /** Hostname of the host the VM runs on. */
  host: string;
  uuid: string;
  name: string;
  /** libvirt state: running, paused, shutoff, ...; 'undefined' once the domain is gone. */
  state: string;
  vcpus?: number | null;
  /** Last display connect, ms since the epoch. */
  lct?: number | null;
  connectedNow?: boolean;
  /** When this was observed, ms since the epoch. */
  ts: number;
}

export type VmEventKind = 'lifecycle' | 'display-connect' | 'display-disconnect';

/**
 * What the engine hands to `Store.ingest`. One call = one SQLite transaction, so the
 * engine should pass a whole poll's events at once (or flush a buffer every second).
 */
export type StoreEvent =
  | { type: 'host-identity'; host: HostIdentityRecord }
  | ({
      type: 'host-status';
      host: string;
      /** ms since the epoch */
      ts: number;
      status: string;
      detail?: string | null;
    } & HostKeyed)
  | ({ type: 'host-sample'; sample: HostSample } & HostKeyed)
  | ({ type: 'vm-sample'; sample: VmSample } & HostKeyed)
  | ({ type: 'vm-inventory' } & VmInventoryRecord)
  | {
      type: 'vm-event';
      uuid: string;
      /** ms since the epoch */
      ts: number;
      kind: VmEventKind;
      /** e.g. the lifecycle event name, or the client address of a display connect. */
      detail?: string | null;
    };

export interface IngestResult {
  hostSamples: number;
  vmSamples: number;
  other: number;
  /** Events refused as malformed (the rest of the batch is kept). */
  rejected: { index: number; reason: string }[];
}
