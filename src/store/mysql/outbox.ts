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

  readBatch(limit: number): OutboxBatch {
    const batch: OutboxBatch = {
      t2: [],
      t4: [],
      hostIds: new Set(),
      vmIds: new Set(),
      lastHostSampleId: this.mark('host_samples'),
      lastVmSampleId: this.mark('vm_samples'),
    };
    const read = this.db.transaction(() => {
      for (const row of this.s.hostSamples.raw().all(batch.lastHostSampleId, limit) as Value[][]) {
        const [id, hostId, hostIp, ts] = row as [number, number, string, number];
        const v = decodeAll(hostMetrics, row, 4);
        batch.t2.push([
          hostIp,
          mysqlDatetime(ts),
          v.cpuPercent ?? null,
          v.memUsedPercent ?? null,
          sum(v.diskReadBytesPerSec, v.diskWriteBytesPerSec),
          sum(v.netRxBytesPerSec, v.netTxBytesPerSec),
          ...t2Detail.map((m) => v[m.name] ?? null),
        ]);
        batch.hostIds.add(hostId);
        batch.lastHostSampleId = id;
      }
      for (const row of this.s.vmSamples.raw().all(batch.lastVmSampleId, limit) as Value[][]) {
        const [id, vmId, uuid, ts] = row as [number, number, string, number];
        const v = decodeAll(vmMetrics, row, 4);
        const total = v.memGuestTotalBytes ?? null;
        const used = v.memGuestUsedBytes ?? null;
        batch.t4.push([
          uuid,
          mysqlDatetime(ts),
          v.cpuHostPercent ?? null,
          total !== null && used !== null && total > 0 ? (100 * used) / total : null,
          sum(v.diskReadBytesPerSec, v.diskWriteBytesPerSec),
          sum(v.netRxBytesPerSec, v.netTxBytesPerSec),
          ...t4Detail.map((m) => v[m.name] ?? null),
        ]);
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

function decodeAll(
  defs: readonly MetricDef<never>[],
  row: Value[],
  offset: number,
): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  defs.forEach(
    (m, i) => (out[m.name] = decodeMetric((row[offset + i] ?? null) as number | null, m.scale)),
  );
  return out;
}

function sum(a: number | null | undefined, b: number | null | undefined): number | null {
  if ((a === null || a === undefined) && (b === null || b === undefined)) return null;
  return (a ?? 0) + (b ?? 0);
}
