import type { Database, Statement } from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { hostMetrics, vmMetrics } from '../metrics';
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
  /**
   * Usage rows as SQL tuples `(...)` in t2Columns / t4Columns order, grouped by host / VM
   * and in id order within each, so InnoDB appends runs of its (key, ts) primary key.
   */
  t2: string[];
  t4: string[];
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
      // One query per table and batch: the next `limit` ids.
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
      const hostRows = this.s.hostSamples.raw().all(batch.lastHostSampleId, limit) as Value[][];
      batch.t2 = tuplesByEntity(hostRows, t2Tuple, time);
      for (const row of hostRows) batch.hostIds.add(row[1] as number);
      batch.lastHostSampleId = (hostRows.at(-1)?.[0] as number | undefined) ?? afterHostSampleId;
      const vmRows = this.s.vmSamples.raw().all(batch.lastVmSampleId, limit) as Value[][];
      batch.t4 = tuplesByEntity(vmRows, t4Tuple, time);
      for (const row of vmRows) batch.vmIds.add(row[1] as number);
      batch.lastVmSampleId = (vmRows.at(-1)?.[0] as number | undefined) ?? afterVmSampleId;
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

/** A batch holds a few distinct timestamps (one per poll): each is formatted once. */
function datetimeCache(): (ms: number) => string {
  const known = new Map<number, string>();
  return (ms) => {
    let text = known.get(ms);
    if (text === undefined) {
      text = `'${mysqlDatetime(ms)}'`;
      known.set(ms, text);
    }
    return text;
  };
}

/**
 * SQL tuples of the rows (in id order), regrouped by entity with each entity's rows kept
 * in id order, so InnoDB appends runs of its (key, ts) primary key. The key is escaped
 * once per entity; numbers go out as their decimal text.
 */
function tuplesByEntity(
  rows: Value[][],
  write: (row: Value[], key: string, ts: string) => string,
  time: (ms: number) => string,
): string[] {
  const groups = new Map<Value, Value[][]>();
  for (const row of rows) {
    const group = groups.get(row[1] ?? null);
    if (group) group.push(row);
    else groups.set(row[1] ?? null, [row]);
  }
  const out: string[] = [];
  for (const group of groups.values()) {
    const key = mysql.escape((group[0] as Value[])[2]);
    for (const row of group) out.push(write(row, key, time(row[3] as number)));
  }
  return out;
}

/** Where each metric sits in an outbox row (after id, entity id, key, ts). */
const OFFSET = 4;
const col = (defs: readonly MetricDef<never>[], name: string): number =>
  OFFSET + defs.findIndex((m) => m.name === name);
const scaleAt = (defs: readonly MetricDef<never>[], index: number): number =>
  (defs[index - OFFSET] as MetricDef<never>).scale;

/** The figure at `index` decoded (stored / scale), or null. */
function figure(row: Value[], index: number, scale: number): number | null {
  const v = row[index];
  return typeof v === 'number' ? v / scale : null;
}

const sqlNumber = (v: number | null): string =>
  v === null || !Number.isFinite(v) ? 'NULL' : String(v);

/**
 * A stored figure as SQL text without decoding it: `2315e-2` rather than 23.15 for a
 * figure kept in hundredths. Printing an integer is several times cheaper than printing
 * a fraction, and this is most of the figures of a batch. MySQL reads both the same.
 */
function storedText(row: Value[], index: number, scale: number): string {
  const v = row[index];
  if (typeof v !== 'number') return 'NULL';
  if (scale === 100) return `${v}e-2`;
  return String(v / scale);
}

function sum(a: number | null, b: number | null): number | null {
  if (a === null && b === null) return null;
  return (a ?? 0) + (b ?? 0);
}

const host = {
  cpu: col(hostMetrics, 'cpuPercent'),
  memUsed: col(hostMetrics, 'memUsedPercent'),
  diskRd: col(hostMetrics, 'diskReadBytesPerSec'),
  diskWr: col(hostMetrics, 'diskWriteBytesPerSec'),
  netRx: col(hostMetrics, 'netRxBytesPerSec'),
  netTx: col(hostMetrics, 'netTxBytesPerSec'),
};
const hostScale = (i: number): number => scaleAt(hostMetrics, i);
const t2DetailAt = t2Detail.map((m) => [col(hostMetrics, m.name), m.scale] as const);

const hostFigure = (row: Value[], i: number): number | null => figure(row, i, hostScale(i));

function t2Tuple(row: Value[], hostIp: string, ts: string): string {
  const cpu = storedText(row, host.cpu, hostScale(host.cpu));
  const memory = storedText(row, host.memUsed, hostScale(host.memUsed));
  const disk = sum(hostFigure(row, host.diskRd), hostFigure(row, host.diskWr));
  const network = sum(hostFigure(row, host.netRx), hostFigure(row, host.netTx));
  let sql = `(${hostIp},${ts},${cpu},${memory},${sqlNumber(disk)},${sqlNumber(network)}`;
  for (const [index, scale] of t2DetailAt) sql += `,${storedText(row, index, scale)}`;
  return `${sql})`;
}

const vm = {
  cpu: col(vmMetrics, 'cpuHostPercent'),
  memTotal: col(vmMetrics, 'memGuestTotalBytes'),
  memUsed: col(vmMetrics, 'memGuestUsedBytes'),
  diskRd: col(vmMetrics, 'diskReadBytesPerSec'),
  diskWr: col(vmMetrics, 'diskWriteBytesPerSec'),
  netRx: col(vmMetrics, 'netRxBytesPerSec'),
  netTx: col(vmMetrics, 'netTxBytesPerSec'),
};
const vmScale = (i: number): number => scaleAt(vmMetrics, i);
const t4DetailAt = t4Detail.map((m) => [col(vmMetrics, m.name), m.scale] as const);

const vmFigure = (row: Value[], i: number): number | null => figure(row, i, vmScale(i));

function t4Tuple(row: Value[], uuid: string, ts: string): string {
  const cpu = storedText(row, vm.cpu, vmScale(vm.cpu));
  const total = vmFigure(row, vm.memTotal);
  const used = vmFigure(row, vm.memUsed);
  const memory = total !== null && used !== null && total > 0 ? (100 * used) / total : null;
  const disk = sum(vmFigure(row, vm.diskRd), vmFigure(row, vm.diskWr));
  const network = sum(vmFigure(row, vm.netRx), vmFigure(row, vm.netTx));
  let sql = `(${uuid},${ts},${cpu},${sqlNumber(memory)},${sqlNumber(disk)},${sqlNumber(network)}`;
  for (const [index, scale] of t4DetailAt) sql += `,${storedText(row, index, scale)}`;
  return `${sql})`;
}
