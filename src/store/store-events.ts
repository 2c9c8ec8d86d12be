import type { HostSample, VmSample } from '../shared/model/samples';

/** Who a host is, as the collector's identity call reports it. */
export interface HostIdentityRecord {
  /** Host name: the local key of a host (samples name their host by it). */
  name: string;
  /** Primary IPv4 address: the key of MySQL's t1_host; null when unknown. */
  ip: string | null;
  /** Logical CPUs. */
  cores: number | null;
  memoryBytes: number | null;
}

/** Where a VM is and what it looks like, on every inventory change the engine sees. */
export interface VmInventoryRecord {
  /** Name of the host the VM runs on. */
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
  | {
      type: 'host-status';
      host: string;
      /** ms since the epoch */
      ts: number;
      status: string;
      detail?: string | null;
    }
  | { type: 'host-sample'; sample: HostSample }
  | { type: 'vm-sample'; sample: VmSample }
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
