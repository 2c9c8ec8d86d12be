import type { Database, Statement } from 'better-sqlite3';
import type { HostSample, VmSample } from '../shared/model/samples';
import { encodeMetric, hostMetrics, vmMetrics } from './metrics';
import type {
  HostIdentityRecord,
  IngestResult,
  StoreEvent,
  VmInventoryRecord,
} from './store-events';
import { encodeHostDetail, encodeVmDetail } from './sample-detail';

interface VmRow {
  id: number;
  hostId: number | null;
  name: string;
  state: string;
  vcpus: number | null;
  lct: number | null;
  connectedNow: boolean;
  diskDevices: string | null;
  nics: string | null;
}

/** The cached row plus its device-name lists parsed once, for the per-sample comparison. */
interface CachedVm extends VmRow {
  diskNames: readonly string[];
  nicNames: readonly string[];
}

/** last_seen is rewritten when it moved this far: it is kept to the minute, not the sample. */
const LAST_SEEN_STEP_MS = 60_000;

const vmReads = vmMetrics.map((m) => m.read);
const vmScales = vmMetrics.map((m) => m.scale);

/**
 * Writes the engine's events. Every call is one transaction over prepared statements;
 * hosts and VMs are cached in memory so a sample costs one INSERT and nothing else. A
 * VM's row is only rewritten (and its sync sequence bumped) when something MySQL's
 * t3_vm shows changed; a host's vm_count likewise. last_seen is written when it moved a
 * minute: once per VM per batch was one UPDATE per sample at the engine's cadence (one
 * sample per VM per batch), as much as the INSERT itself.
 */
export class Ingestor {
  /** Host row id by the host's key. */
  private readonly hostIds = new Map<string, number>();
  /** hosts.name (the hostname the host reports) by row id. */
  private readonly hostNames = new Map<number, string>();
  private readonly hostIps = new Map<number, string | null>();
  private readonly hostVmCounts = new Map<number, number | null>();
  private readonly vms = new Map<string, CachedVm>();
  /** vms.last_seen as stored, by VM id. */
  private readonly lastSeenStored = new Map<number, number>();
  private hostSeq = 0;
  private vmSeq = 0;
  private readonly stmt: Record<
    | 'insertHost'
    | 'updateHostIdentity'
    | 'updateHostStatus'
    | 'updateHostVmCount'
    | 'updateHostIp'
    | 'updateHostName'
    | 'insertVm'
    | 'updateVm'
    | 'updateVmLastSeen'
    | 'insertHostSample'
    | 'insertVmSample'
    | 'insertVmEvent',
    Statement
  >;
  private readonly run: (events: readonly StoreEvent[]) => IngestResult;
  /** Reused for every VM sample: no per-sample array. */
  private readonly vmParams: (number | string | null)[] = new Array(vmMetrics.length + 3).fill(
    null,
  );

  constructor(private readonly db: Database) {
    const hostCols = hostMetrics.map((m) => m.column);
    const vmCols = vmMetrics.map((m) => m.column);
    const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ');
    this.stmt = {
      insertHost: db.prepare('INSERT INTO hosts (key, name, seq) VALUES (?, ?, ?) RETURNING id'),
      updateHostIdentity: db.prepare(
        'UPDATE hosts SET ip = ?, cores = ?, memory_bytes = ?, seq = ? WHERE id = ?',
      ),
      updateHostStatus: db.prepare(
        'UPDATE hosts SET status = ?, status_detail = ?, status_ts = ? WHERE id = ?',
      ),
      updateHostIp: db.prepare('UPDATE hosts SET ip = ?, seq = ? WHERE id = ?'),
      updateHostName: db.prepare('UPDATE hosts SET name = ?, seq = ? WHERE id = ?'),
      updateHostVmCount: db.prepare('UPDATE hosts SET vm_count = ?, seq = ? WHERE id = ?'),
      insertVm: db.prepare(
        `INSERT INTO vms (uuid, host_id, name, state, vcpus, lct, connected_now, disk_devices, nics, seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      ),
      updateVm: db.prepare(
        `UPDATE vms SET host_id = ?, name = ?, state = ?, vcpus = ?, lct = ?, connected_now = ?,
         disk_devices = ?, nics = ?, seq = ? WHERE id = ?`,
      ),
      updateVmLastSeen: db.prepare(
        'UPDATE vms SET last_seen = max(coalesce(last_seen, 0), ?) WHERE id = ?',
      ),
      insertHostSample: db.prepare(
        `INSERT INTO host_samples (host_id, ts, ${hostCols.join(', ')}, detail)
         VALUES (${marks(hostCols.length + 3)})`,
      ),
      insertVmSample: db.prepare(
        `INSERT INTO vm_samples (vm_id, ts, ${vmCols.join(', ')}, detail)
         VALUES (${marks(vmCols.length + 3)})`,
      ),
      insertVmEvent: db.prepare(
        'INSERT INTO vm_events (vm_id, ts, kind, detail) VALUES (?, ?, ?, ?)',
      ),
    };
    this.load();
    this.run = db.transaction((events: readonly StoreEvent[]) => this.apply(events));
  }

  ingest(events: readonly StoreEvent[]): IngestResult {
    try {
      return this.run(events);
    } catch (error) {
      this.load();
      throw error;
    }
  }

  /** Names a host as the admin does (its saved name); the row is made if it is new. */
  labelHost(key: string, label: string): void {
    // Until the host reports its hostname, its label stands in for it.
    const id = this.hostIds.get(key) ?? this.hostId(key, label);
    this.db
      .prepare('UPDATE hosts SET label = ?, seq = ? WHERE id = ?')
      .run(label, ++this.hostSeq, id);
  }

  /**
   * Moves a host's history to a new key, when no host has that key yet: the rows an
   * earlier version keyed by hostname go to the saved host they came from. True when moved.
   */
  rekeyHost(fromKey: string, toKey: string): boolean {
    const moved = this.db
      .prepare(
        `UPDATE hosts SET key = @toKey, seq = @seq
         WHERE key = @fromKey AND NOT EXISTS (SELECT 1 FROM hosts WHERE key = @toKey)`,
      )
      .run({ fromKey, toKey, seq: ++this.hostSeq }).changes;
    this.load();
    return moved > 0;
  }

  /**
   * Fills the caches from the file. Again after a failed transaction: its inserts were
   * rolled back, and ids cached from them would point the next samples at nothing.
   */
  private load(): void {
    this.hostIds.clear();
    this.hostNames.clear();
    this.hostIps.clear();
    this.hostVmCounts.clear();
    this.vms.clear();
    this.lastSeenStored.clear();
    const hostRows = this.db
      .prepare('SELECT id, key, name, ip, vm_count AS vmCount FROM hosts')
      .all() as {
      id: number;
      key: string;
      name: string;
      ip: string | null;
      vmCount: number | null;
    }[];
    for (const row of hostRows) {
      this.hostIds.set(row.key, row.id);
      this.hostNames.set(row.id, row.name);
      this.hostIps.set(row.id, row.ip);
      this.hostVmCounts.set(row.id, row.vmCount);
    }
    const vmRows = this.db
      .prepare(
        `SELECT id, uuid, host_id AS hostId, name, state, vcpus, lct, connected_now AS connectedNow,
           disk_devices AS diskDevices, nics, last_seen AS lastSeen FROM vms`,
      )
      .all() as (Omit<VmRow, 'connectedNow'> & {
      uuid: string;
      connectedNow: number;
      lastSeen: number | null;
    })[];
    for (const { uuid, lastSeen, ...row } of vmRows) {
      this.cacheVm(uuid, { ...row, connectedNow: row.connectedNow === 1 });
      if (lastSeen !== null) this.lastSeenStored.set(row.id, lastSeen);
    }
    this.hostSeq = (
      this.db.prepare('SELECT coalesce(max(seq), 0) AS s FROM hosts').get() as { s: number }
    ).s;
    this.vmSeq = (
      this.db.prepare('SELECT coalesce(max(seq), 0) AS s FROM vms').get() as { s: number }
    ).s;
  }

  private apply(events: readonly StoreEvent[]): IngestResult {
    const result: IngestResult = { hostSamples: 0, vmSamples: 0, other: 0, rejected: [] };
    /** VM id → last_seen to write at the end of the batch (only those that moved a minute). */
    const seen = new Map<number, number>();
    for (let index = 0; index < events.length; index++) {
      const event = events[index] as StoreEvent;
      const problem = validate(event);
      if (problem) {
        result.rejected.push({ index, reason: problem });
        continue;
      }
      switch (event.type) {
        case 'host-identity':
          this.upsertHost(event.host);
          result.other++;
          break;
        case 'host-status': {
          const hostId = this.hostId(event.hostKey ?? event.host, event.host);
          this.stmt.updateHostStatus.run(event.status, event.detail ?? null, event.ts, hostId);
          result.other++;
          break;
        }
        case 'host-sample':
          this.insertHostSample(event.hostKey ?? event.sample.host, event.sample);
          result.hostSamples++;
          break;
        case 'vm-sample': {
          const vm = this.insertVmSample(event.hostKey ?? event.sample.host, event.sample);
          const ts = event.sample.lastSeen ?? event.sample.ts;
          const stored = this.lastSeenStored.get(vm);
          if (stored === undefined || ts >= stored + LAST_SEEN_STEP_MS)
            seen.set(vm, Math.max(seen.get(vm) ?? 0, ts));
          result.vmSamples++;
          break;
        }
        case 'vm-inventory': {
          const vm = this.upsertVm(event, undefined, undefined);
          seen.set(vm, Math.max(seen.get(vm) ?? 0, event.ts));
          result.other++;
          break;
        }
        case 'vm-event':
          this.insertVmEvent(event.uuid, event.ts, event.kind, event.detail ?? null, index, result);
          break;
      }
    }
    for (const [vmId, ts] of seen) {
      this.stmt.updateVmLastSeen.run(ts, vmId);
      this.lastSeenStored.set(vmId, Math.max(this.lastSeenStored.get(vmId) ?? 0, ts));
    }
    return result;
  }

  /**
   * The row of the host with this key; its hostname is kept as the host reports it now
   * (a renamed machine is the same host with a new name, not a new host).
   */
  private hostId(key: string, name: string): number {
    const known = this.hostIds.get(key);
    if (known === undefined) {
      const { id } = this.stmt.insertHost.get(key, name, ++this.hostSeq) as { id: number };
      this.hostIds.set(key, id);
      this.hostNames.set(id, name);
      return id;
    }
    if (this.hostNames.get(known) !== name) {
      this.stmt.updateHostName.run(name, ++this.hostSeq, known);
      this.hostNames.set(known, name);
    }
    return known;
  }

  private upsertHost(host: HostIdentityRecord): void {
    const id = this.hostId(host.hostKey ?? host.name, host.name);
    this.stmt.updateHostIdentity.run(host.ip, host.cores, host.memoryBytes, ++this.hostSeq, id);
    this.hostIps.set(id, host.ip);
  }

  private insertHostSample(key: string, sample: HostSample): void {
    const hostId = this.hostId(key, sample.host);
    if (sample.ip && sample.ip !== this.hostIps.get(hostId)) {
      this.stmt.updateHostIp.run(sample.ip, ++this.hostSeq, hostId);
      this.hostIps.set(hostId, sample.ip);
    }
    const values = hostMetrics.map((m) => encodeMetric(m.read(sample), m.scale));
    this.stmt.insertHostSample.run(
      hostId,
      Math.round(sample.ts),
      ...values,
      encodeHostDetail(sample),
    );
    if (typeof sample.vmCount === 'number' && sample.vmCount !== this.hostVmCounts.get(hostId)) {
      this.stmt.updateHostVmCount.run(sample.vmCount, ++this.hostSeq, hostId);
      this.hostVmCounts.set(hostId, sample.vmCount);
    }
  }

  private insertVmSample(key: string, sample: VmSample): number {
    const known = this.vms.get(sample.uuid);
    // The fast path: nothing t3_vm shows has changed, which is every sample but the first.
    // Device names are compared in place against the lists parsed when the row was cached.
    const vmId =
      known &&
      known.hostId === this.hostIds.get(key) &&
      known.name === sample.name &&
      known.state === sample.state &&
      known.vcpus === sample.vcpus &&
      known.connectedNow === sample.connectedNow &&
      (sample.lct === null || sample.lct === known.lct) &&
      sameNames(sample.disk.devices, 'device', known.diskNames) &&
      sameNames(sample.net.interfaces, 'interface', known.nicNames)
        ? known.id
        : this.upsertVm(
            {
              hostKey: key,
              host: sample.host,
              uuid: sample.uuid,
              name: sample.name,
              state: sample.state,
              vcpus: sample.vcpus,
              lct: sample.lct,
              connectedNow: sample.connectedNow,
              ts: sample.ts,
            },
            namesJson(sample.disk.devices, 'device'),
            namesJson(sample.net.interfaces, 'interface'),
          );
    const params = this.vmParams;
    params[0] = vmId;
    params[1] = Math.round(sample.ts);
    for (let i = 0; i < vmReads.length; i++) {
      const value = (vmReads[i] as (s: VmSample) => number | null | undefined)(sample);
      params[i + 2] =
        value === null || value === undefined || !Number.isFinite(value)
          ? null
          : Math.round(value * (vmScales[i] as number));
    }
    params[vmReads.length + 2] = encodeVmDetail(sample);
    this.stmt.insertVmSample.run(params);
    return vmId;
  }

  private upsertVm(
    record: VmInventoryRecord,
    diskDevices: string | undefined,
    nics: string | undefined,
  ): number {
    const hostId = this.hostId(record.hostKey ?? record.host, record.host);
    const known = this.vms.get(record.uuid);
    const next: Omit<VmRow, 'id'> = {
      hostId,
      name: record.name,
      state: record.state,
      vcpus: record.vcpus ?? known?.vcpus ?? null,
      lct: maxOrNull(record.lct ?? null, known?.lct ?? null),
      connectedNow: record.connectedNow ?? known?.connectedNow ?? false,
      diskDevices: diskDevices ?? known?.diskDevices ?? null,
      nics: nics ?? known?.nics ?? null,
    };
    if (!known) {
      const { id } = this.stmt.insertVm.get(
        record.uuid,
        hostId,
        next.name,
        next.state,
        next.vcpus,
        next.lct,
        next.connectedNow ? 1 : 0,
        next.diskDevices,
        next.nics,
        ++this.vmSeq,
      ) as { id: number };
      this.cacheVm(record.uuid, { id, ...next });
      return id;
    }
    if (sameVm(known, next)) return known.id;
    this.writeVm(known.id, next);
    this.cacheVm(record.uuid, { id: known.id, ...next });
    return known.id;
  }

  private cacheVm(uuid: string, row: VmRow): void {
    this.vms.set(uuid, {
      ...row,
      diskNames: parseNames(row.diskDevices),
      nicNames: parseNames(row.nics),
    });
  }

  private writeVm(id: number, row: Omit<VmRow, 'id'>): void {
    this.stmt.updateVm.run(
      row.hostId,
      row.name,
      row.state,
      row.vcpus,
      row.lct,
      row.connectedNow ? 1 : 0,
      row.diskDevices,
      row.nics,
      ++this.vmSeq,
      id,
    );
  }

  private insertVmEvent(
    uuid: string,
    ts: number,
    kind: string,
    detail: string | null,
    index: number,
    result: IngestResult,
  ): void {
    const vm = this.vms.get(uuid);
    if (!vm) {
      result.rejected.push({
        index,
        reason: `vm-event for unknown VM ${uuid} (send its inventory first)`,
      });
      return;
    }
    this.stmt.insertVmEvent.run(vm.id, Math.round(ts), kind, detail);
    if (kind === 'display-connect' || kind === 'display-disconnect') {
      const connect = kind === 'display-connect';
      const next = {
        ...vm,
        lct: connect ? maxOrNull(ts, vm.lct) : vm.lct,
        connectedNow: connect,
      };
      if (!sameVm(vm, next)) {
        this.writeVm(vm.id, next);
        this.cacheVm(uuid, next);
      }
    }
    result.other++;
  }
}

function namesJson<K extends string>(
  devices: Record<K, string>[] | undefined,
  key: K,
): string | undefined {
  if (!devices || devices.length === 0) return undefined;
  return JSON.stringify(devices.map((d) => d[key]));
}

function parseNames(json: string | null): readonly string[] {
  if (json === null) return [];
  try {
    const parsed = JSON.parse(json) as unknown;
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}

/** True when the sample's device names are absent or equal the stored list. */
function sameNames<K extends string>(
  devices: Record<K, string>[] | undefined,
  key: K,
  names: readonly string[],
): boolean {
  if (!devices || devices.length === 0) return true;
  if (names.length !== devices.length) return false;
  for (let i = 0; i < names.length; i++) {
    if ((devices[i] as Record<K, string>)[key] !== names[i]) return false;
  }
  return true;
}

function maxOrNull(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

function sameVm(a: Omit<VmRow, 'id'>, b: Omit<VmRow, 'id'>): boolean {
  return (
    a.hostId === b.hostId &&
    a.name === b.name &&
    a.state === b.state &&
    a.vcpus === b.vcpus &&
    a.lct === b.lct &&
    a.connectedNow === b.connectedNow &&
    a.diskDevices === b.diskDevices &&
    a.nics === b.nics
  );
}

const isTs = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v > 0;
const isText = (v: unknown): boolean => typeof v === 'string' && v.length > 0;

/** Why an event cannot be stored, or null. Guards against a buggy producer, not users. */
function validate(event: StoreEvent): string | null {
  const key =
    (event as { hostKey?: unknown } | null)?.hostKey ??
    (event?.type === 'host-identity' ? event.host?.hostKey : undefined);
  if (key !== undefined && !isText(key)) return `${event.type} with a hostKey that is not text`;
  switch (event?.type) {
    case 'host-identity':
      return isText(event.host?.name) ? null : 'host-identity without a host name';
    case 'host-status':
      return isText(event.host) && isTs(event.ts) ? null : 'host-status needs host and ts';
    case 'host-sample':
      return isText(event.sample?.host) &&
        isTs(event.sample?.ts) &&
        event.sample.cpu &&
        event.sample.memory
        ? null
        : 'host-sample needs host, ts, cpu and memory';
    case 'vm-sample':
      return isText(event.sample?.uuid) &&
        isText(event.sample?.host) &&
        isTs(event.sample?.ts) &&
        event.sample.cpu
        ? null
        : 'vm-sample needs uuid, host, ts and cpu';
    case 'vm-inventory':
      return isText(event.uuid) &&
        isText(event.host) &&
        isTs(event.ts) &&
        typeof event.name === 'string'
        ? null
        : 'vm-inventory needs uuid, host, name and ts';
    case 'vm-event':
      return isText(event.uuid) && isTs(event.ts) ? null : 'vm-event needs uuid and ts';
    default:
      return `unknown event type ${String((event as { type?: unknown } | null)?.type)}`;
  }
}
