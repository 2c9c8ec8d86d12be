import type { Database, Statement } from 'better-sqlite3';
import { decodeMetric, hostMetrics, vmMetrics } from '../metrics';
import type { MetricDef } from '../metrics';

/** A UTC DATETIME(3) literal: mysql2 sends it as is, whatever the session time zone. */
export function mysqlDatetime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
}

type Value = number | string | null;

/** Columns of t2_host_usage after (host_ip, ts), and where each figure comes from. */
const t2Detail = hostMetrics.filter((m) => m.name !== 'cpuPercent' && m.name !== 'memUsedPercent');
/** Columns of t4_vm_usage after (uuid, ts). */
const t4Detail = vmMetrics.filter((m) => m.name !== 'cpuHostPercent');

const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export const t2Columns = [
  'host_ip',
  'ts',
  'cpu',
  'memory',
  'disk',
  'network',
  ...t2Detail.map((m) => snake(m.name)),
];
export const t4Columns = [
  'uuid',
  'ts',
  'cpu',
  'memory',
  'disk',
  'network',
  ...t4Detail.map((m) => snake(m.name)),
];

export interface OutboxBatch {
  t2: Value[][];
  t4: Value[][];
  /** Local host / VM ids the usage rows refer to: their t1/t3 rows must exist first. */
  hostIds: Set<number>;
  vmIds: Set<number>;
  lastHostSampleId: number;
  lastVmSampleId: number;
}

export interface T1Row {
  hostIp: string;
  hostName: string;
  vmc: number;
  cores: number | null;
  memoryBytes: number | null;
  seq: number;
}

export interface T3Row {
  uuid: string;
  hostIp: string;
  name: string;
  state: string;
  lct: number | null;
  connectedNow: number;
  vcpus: number | null;
  lastSeen: number | null;
  seq: number;
}

/**
 * The SQLite side of the sync: the outbox is every sample row with an id above the
 * target's watermark (ids only grow), and every host/VM whose change sequence is above
 * its watermark. Watermarks move only after MySQL committed, so a crash resends at most
 * one batch, which the (key, ts) upsert absorbs.
 */
export class Outbox {
  private readonly s: Record<
    'getMark' | 'setMark' | 'hostSamples' | 'vmSamples' | 'hosts' | 'vms' | 'lagHost' | 'lagVm',
    Statement
  >;

  constructor(
    private readonly db: Database,
    private readonly target: string,
  ) {
    const hostIp = 'coalesce(h.ip, h.name)';
    this.s = {
      getMark: db.prepare('SELECT value FROM sync_watermarks WHERE target = ? AND stream = ?'),
      setMark: db.prepare(
        'INSERT OR REPLACE INTO sync_watermarks (target, stream, value, updated_at) VALUES (?, ?, ?, ?)',
      ),
      hostSamples: db.prepare(
        `SELECT s.id, s.host_id, ${hostIp} AS host_ip, s.ts, ${hostMetrics.map((m) => `s.${m.column}`).join(', ')}
         FROM host_samples s JOIN hosts h ON h.id = s.host_id WHERE s.id > ? ORDER BY s.id LIMIT ?`,
      ),
      vmSamples: db.prepare(
        `SELECT s.id, s.vm_id, v.uuid, s.ts, ${vmMetrics.map((m) => `s.${m.column}`).join(', ')}
         FROM vm_samples s JOIN vms v ON v.id = s.vm_id WHERE s.id > ? ORDER BY s.id LIMIT ?`,
      ),
      hosts: db.prepare(
        `SELECT ${hostIp} AS hostIp, h.name AS hostName, h.cores, h.memory_bytes AS memoryBytes, h.seq,
         coalesce(h.vm_count, (SELECT count(*) FROM vms v WHERE v.host_id = h.id AND v.state = 'running')) AS vmc
         FROM hosts h
         WHERE h.seq > ? OR h.id IN (SELECT value FROM json_each(?))
           OR h.id IN (SELECT host_id FROM vms WHERE seq > ?)`,
      ),
      vms: db.prepare(
        `SELECT v.uuid, ${hostIp} AS hostIp, v.name, v.state, v.lct, v.connected_now AS connectedNow,
         v.vcpus, v.last_seen AS lastSeen, v.seq
         FROM vms v JOIN hosts h ON h.id = v.host_id
         WHERE v.seq > ? OR v.id IN (SELECT value FROM json_each(?))`,
      ),
      lagHost: db.prepare('SELECT count(*) AS n FROM host_samples WHERE id > ?'),
      lagVm: db.prepare('SELECT count(*) AS n FROM vm_samples WHERE id > ?'),
    };
  }

  mark(stream: 'host_samples' | 'vm_samples' | 'hosts' | 'vms'): number {
    return (this.s.getMark.get(this.target, stream) as { value: number } | undefined)?.value ?? 0;
  }

  /** Samples waiting to be sent. */
  lag(): number {
    const h = this.s.lagHost.get(this.mark('host_samples')) as { n: number };
    const v = this.s.lagVm.get(this.mark('vm_samples')) as { n: number };
    return h.n + v.n;
  }

  /**
   * The next sample rows after the given ids (default: the watermarks). The sync reads
   * batch n+1 from the ids batch n ended at while MySQL still commits batch n.
   */
  readBatch(
    limit: number,
    afterHostSampleId = this.mark('host_samples'),
    afterVmSampleId = this.mark('vm_samples'),
  ): OutboxBatch {
    const batch: OutboxBatch = {
      t2: [],
      t4: [],
      hostIds: new Set(),
      vmIds: new Set(),
      lastHostSampleId: afterHostSampleId,
      lastVmSampleId: afterVmSampleId,
    };
    const time = datetimeCache();
    const read = this.db.transaction(() => {
      for (const row of this.s.hostSamples.raw().all(batch.lastHostSampleId, limit) as Value[][]) {
        const [id, hostId, hostIp, ts] = row as [number, number, string, number];
        batch.t2.push(t2Row(row, hostIp, time(ts)));
        batch.hostIds.add(hostId);
        batch.lastHostSampleId = id;
      }
      for (const row of this.s.vmSamples.raw().all(batch.lastVmSampleId, limit) as Value[][]) {
        const [id, vmId, uuid, ts] = row as [number, number, string, number];
        batch.t4.push(t4Row(row, uuid, time(ts)));
        batch.vmIds.add(vmId);
        batch.lastVmSampleId = id;
      }
    });
    read();
    return batch;
  }

  /** t1 rows to write: changed hosts, hosts of the batch, hosts of changed VMs. */
  hostsToSend(hostIds: Set<number>): T1Row[] {
    return this.s.hosts.all(
      this.mark('hosts'),
      JSON.stringify([...hostIds]),
      this.mark('vms'),
    ) as T1Row[];
  }

  /** t3 rows to write: changed VMs and the VMs of the batch (their last_seen moves). */
  vmsToSend(vmIds: Set<number>): T3Row[] {
    return this.s.vms.all(this.mark('vms'), JSON.stringify([...vmIds])) as T3Row[];
  }

  /** Called only after MySQL committed everything up to these marks. */
  advance(
    marks: Partial<Record<'host_samples' | 'vm_samples' | 'hosts' | 'vms', number>>,
    now: number,
  ): void {
    this.db.transaction(() => {
      for (const [stream, value] of Object.entries(marks)) {
        if (value !== undefined) this.s.setMark.run(this.target, stream, value, now);
      }
    })();
  }
}

/** Rows of one poll share a timestamp: format each distinct one once. */
function datetimeCache(): (ms: number) => string {
  let lastMs = Number.NaN;
  let last = '';
  return (ms) => {
    if (ms !== lastMs) {
      lastMs = ms;
      last = mysqlDatetime(ms);
    }
    return last;
  };
}

/** Where each metric sits in an outbox row (after id, entity id, key, ts). */
const OFFSET = 4;
const col = (defs: readonly MetricDef<never>[], name: string): number =>
  OFFSET + defs.findIndex((m) => m.name === name);
const decodeAt = (row: Value[], index: number, scale: number): number | null =>
  decodeMetric((row[index] ?? null) as number | null, scale);

const hostAt = {
  cpu: col(hostMetrics, 'cpuPercent'),
  memUsed: col(hostMetrics, 'memUsedPercent'),
  diskRd: col(hostMetrics, 'diskReadBytesPerSec'),
  diskWr: col(hostMetrics, 'diskWriteBytesPerSec'),
  netRx: col(hostMetrics, 'netRxBytesPerSec'),
  netTx: col(hostMetrics, 'netTxBytesPerSec'),
};
const t2DetailAt = t2Detail.map((m) => ({ index: col(hostMetrics, m.name), scale: m.scale }));
const vmAt = {
  cpu: col(vmMetrics, 'cpuHostPercent'),
  memTotal: col(vmMetrics, 'memGuestTotalBytes'),
  memUsed: col(vmMetrics, 'memGuestUsedBytes'),
  diskRd: col(vmMetrics, 'diskReadBytesPerSec'),
  diskWr: col(vmMetrics, 'diskWriteBytesPerSec'),
  netRx: col(vmMetrics, 'netRxBytesPerSec'),
  netTx: col(vmMetrics, 'netTxBytesPerSec'),
};
const t4DetailAt = t4Detail.map((m) => ({ index: col(vmMetrics, m.name), scale: m.scale }));

function scaleOf(defs: readonly MetricDef<never>[], index: number): number {
  return (defs[index - OFFSET] as MetricDef<never>).scale;
}

function t2Row(row: Value[], hostIp: string, ts: string): Value[] {
  const d = (i: number): number | null => decodeAt(row, i, scaleOf(hostMetrics, i));
  const out: Value[] = [
    hostIp,
    ts,
    d(hostAt.cpu),
    d(hostAt.memUsed),
    sum(d(hostAt.diskRd), d(hostAt.diskWr)),
    sum(d(hostAt.netRx), d(hostAt.netTx)),
  ];
  for (const { index, scale } of t2DetailAt) out.push(decodeAt(row, index, scale));
  return out;
}

function t4Row(row: Value[], uuid: string, ts: string): Value[] {
  const d = (i: number): number | null => decodeAt(row, i, scaleOf(vmMetrics, i));
  const total = d(vmAt.memTotal);
  const used = d(vmAt.memUsed);
  const out: Value[] = [
    uuid,
    ts,
    d(vmAt.cpu),
    total !== null && used !== null && total > 0 ? (100 * used) / total : null,
    sum(d(vmAt.diskRd), d(vmAt.diskWr)),
    sum(d(vmAt.netRx), d(vmAt.netTx)),
  ];
  for (const { index, scale } of t4DetailAt) out.push(decodeAt(row, index, scale));
  return out;
}

function sum(a: number | null | undefined, b: number | null | undefined): number | null {
  if ((a === null || a === undefined) && (b === null || b === undefined)) return null;
  return (a ?? 0) + (b ?? 0);
}
