import type { Database, Statement } from 'better-sqlite3';
import { hostMetrics, vmMetrics } from '../metrics';
import type { MetricDef } from '../metrics';
import { centralColumn } from './central-columns';
import type { CentralTable } from './central-columns';
import { centralHostIp, centralHostKey } from './central-rows';
import {
  datetimeText,
  sqlDouble,
  sqlHundredths,
  sqlInteger,
  sqlString,
  uuidProblem,
} from './central-values';
import type { ParkedRow } from './parked-rows';
import { BucketReader } from './central-buckets';

export { mysqlDatetime } from './central-values';

export type Value = number | string | null;

/** Columns of t2_host_usage after (host_key, host_ip, ts), and where each figure comes from. */
const t2Detail = hostMetrics.filter((m) => m.name !== 'cpuPercent' && m.name !== 'memUsedPercent');
/** Columns of t4_vm_usage after (uuid, ts). */
const t4Detail = vmMetrics.filter((m) => m.name !== 'cpuHostPercent');

const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export const t2Columns = [
  'host_key',
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
  /** The SQLite sample behind each tuple, same order. */
  t2Samples: SampleRef[];
  t4Samples: SampleRef[];
  /** Rows the value boundary refused (a key or time MySQL cannot hold): parked, not sent. */
  rejected: ParkedRow[];
  /**
   * Local host / VM ids the usage rows refer to (their t1/t3 rows must exist first), each
   * with the id of its newest sample read (its t1/t3 latest figures).
   */
  hostIds: Map<number, number>;
  vmIds: Map<number, number>;
  lastHostSampleId: number;
  lastVmSampleId: number;
  /** At a coarser central resolution: every host / VM bucket up to this time (ms) is in. */
  hostBucketsUntil: number;
  vmBucketsUntil: number;
  /** A table gave `limit` rows: more are probably waiting. */
  full: boolean;
}

/** The SQLite sample behind a usage tuple: what a refused tuple is parked as. */
export interface SampleRef {
  /** host_samples / vm_samples id. */
  sampleId: number;
  /** The host's key (t2) or the VM's uuid (t4) as stored locally. */
  entity: string;
  /** ms since the epoch; null when the stored time is not a number. */
  ts: number | null;
}

/** `audit` is the id of the last audit_log entry sent (audit-sync.ts). */
type Stream =
  'host_samples' | 'vm_samples' | 'host_buckets' | 'vm_buckets' | 'hosts' | 'vms' | 'audit';
const STREAMS: readonly Stream[] = [
  'host_samples',
  'vm_samples',
  'host_buckets',
  'vm_buckets',
  'hosts',
  'vms',
  'audit',
];

/**
 * The newest sample of a host or VM as stored (scaled integers, see metrics.ts): the
 * t1/t3 latest_* figures. All null when it has none.
 */
export interface LatestStored {
  latestId: number | null;
  latestTs: number | null;
  latestCpu: number | null;
  /** Host: used percent. VM: the guest's used memory (its total is latestMemTotal). */
  latestMemUsed: number | null;
  /** VM only: the guest's memory total; null for a host. */
  latestMemTotal: number | null;
  latestDiskRd: number | null;
  latestDiskWr: number | null;
  latestNetRx: number | null;
  latestNetTx: number | null;
}

export interface T1Row extends LatestStored {
  hostIp: string;
  /** The host's identity (hosts.key): the saved host id, or its hostname. */
  hostKey: string;
  hostName: string;
  /** The name the admin gave it (hosts.label); null: none. */
  hostLabel: string | null;
  vmc: number;
  cores: number | null;
  memoryBytes: number | null;
  seq: number;
}

export interface T3Row extends LatestStored {
  uuid: string;
  hostIp: string;
  hostKey: string;
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
    | 'getMark'
    | 'setMark'
    | 'registerMark'
    | 'hostSamples'
    | 'vmSamples'
    | 'hostTail'
    | 'vmTail'
    | 'hosts'
    | 'vms'
    | 'lagHost'
    | 'lagVm'
    | 'firstHost'
    | 'firstVm'
    | 'hostLatest'
    | 'vmLatest',
    Statement
  >;

  /** At a coarser central resolution: the buckets of each table; null: raw samples are sent. */
  private readonly buckets: { host: BucketReader; vm: BucketReader } | null;

  /** `resolutionMs`: 0 sends every raw sample; more sends per-bucket averages (central-buckets.ts). */
  constructor(
    private readonly db: Database,
    private readonly target: string,
    resolutionMs = 0,
  ) {
    const hostIp = 'coalesce(h.ip, h.name)';
    this.buckets =
      resolutionMs > 0
        ? {
            host: new BucketReader(
              db,
              {
                samples: 'host_samples',
                entityColumn: 'host_id',
                join: 'JOIN hosts h ON h.id = s.host_id',
                key: 'h.key',
                trailing: hostIp,
                entities: 'hosts',
                columns: hostMetrics.map((m) => m.column),
              },
              resolutionMs,
            ),
            vm: new BucketReader(
              db,
              {
                samples: 'vm_samples',
                entityColumn: 'vm_id',
                join: 'JOIN vms v ON v.id = s.vm_id',
                key: 'v.uuid',
                entities: 'vms',
                columns: vmMetrics.map((m) => m.column),
              },
              resolutionMs,
            ),
          }
        : null;
    this.s = {
      getMark: db.prepare('SELECT value FROM sync_watermarks WHERE target = ? AND stream = ?'),
      setMark: db.prepare(
        'INSERT OR REPLACE INTO sync_watermarks (target, stream, value, updated_at) VALUES (?, ?, ?, ?)',
      ),
      registerMark: db.prepare(
        'INSERT OR IGNORE INTO sync_watermarks (target, stream, value, updated_at) VALUES (?, ?, 0, ?)',
      ),
      // One query per table and batch: the next `limit` ids.
      hostSamples: db.prepare(
        `SELECT s.id, s.host_id, h.key, s.ts, ${hostMetrics.map((m) => `s.${m.column}`).join(', ')},
         ${hostIp} AS host_ip
         FROM host_samples s JOIN hosts h ON h.id = s.host_id WHERE s.id > ? ORDER BY s.id LIMIT ?`,
      ),
      vmSamples: db.prepare(
        `SELECT s.id, s.vm_id, v.uuid, s.ts, ${vmMetrics.map((m) => `s.${m.column}`).join(', ')}
         FROM vm_samples s JOIN vms v ON v.id = s.vm_id WHERE s.id > ? ORDER BY s.id LIMIT ?`,
      ),
      // The newest sample of each entity among the last `limit` of the table (by id):
      // the latest figures of a raw batch that is behind.
      hostTail: db.prepare(
        `SELECT host_id AS entity, max(id) AS newest FROM host_samples
         WHERE id > (SELECT coalesce(max(id), 0) FROM host_samples) - ? AND id > ? GROUP BY host_id`,
      ),
      vmTail: db.prepare(
        `SELECT vm_id AS entity, max(id) AS newest FROM vm_samples
         WHERE id > (SELECT coalesce(max(id), 0) FROM vm_samples) - ? AND id > ? GROUP BY vm_id`,
      ),
      hosts: db.prepare(
        `SELECT ${hostIp} AS hostIp, h.key AS hostKey, h.name AS hostName, h.label AS hostLabel, h.cores,
         h.memory_bytes AS memoryBytes, h.seq,
         coalesce(h.vm_count, (SELECT count(*) FROM vms v WHERE v.host_id = h.id AND v.state = 'running')) AS vmc,
         h.id AS entityId
         FROM hosts h
         WHERE h.seq > ? OR h.id IN (SELECT value FROM json_each(?))
           OR h.id IN (SELECT host_id FROM vms WHERE seq > ?)`,
      ),
      vms: db.prepare(
        `SELECT v.uuid, ${hostIp} AS hostIp, h.key AS hostKey, v.name, v.state, v.lct,
         v.connected_now AS connectedNow, v.vcpus, v.last_seen AS lastSeen, v.seq, v.id AS entityId
         FROM vms v JOIN hosts h ON h.id = v.host_id
         WHERE v.seq > ? OR v.id IN (SELECT value FROM json_each(?))`,
      ),
      // The samples named, by id (no index leads from an entity to its newest sample:
      // migration 002 keys the sample indexes minute first, for cheap commits).
      hostLatest: db.prepare(
        `SELECT host_id AS entity, id AS latestId, ts AS latestTs, cpu AS latestCpu,
         mem_used_pct AS latestMemUsed, NULL AS latestMemTotal, disk_rd AS latestDiskRd,
         disk_wr AS latestDiskWr, net_rx AS latestNetRx, net_tx AS latestNetTx
         FROM host_samples WHERE id IN (SELECT value FROM json_each(?))`,
      ),
      vmLatest: db.prepare(
        `SELECT vm_id AS entity, id AS latestId, ts AS latestTs, cpu_host AS latestCpu,
         mem_used AS latestMemUsed, mem_total AS latestMemTotal, disk_rd AS latestDiskRd,
         disk_wr AS latestDiskWr, net_rx AS latestNetRx, net_tx AS latestNetTx
         FROM vm_samples WHERE id IN (SELECT value FROM json_each(?))`,
      ),
      lagHost: db.prepare('SELECT count(*) AS n FROM host_samples WHERE id > ?'),
      lagVm: db.prepare('SELECT count(*) AS n FROM vm_samples WHERE id > ?'),
      // Ids grow with time: the first unsent id is about the oldest unsent sample.
      firstHost: db.prepare('SELECT ts FROM host_samples WHERE id > ? ORDER BY id LIMIT 1'),
      firstVm: db.prepare('SELECT ts FROM vm_samples WHERE id > ? ORDER BY id LIMIT 1'),
    };
  }

  mark(stream: Stream): number {
    return (this.s.getMark.get(this.target, stream) as { value: number } | undefined)?.value ?? 0;
  }

  /** Samples waiting to be sent. */
  lag(): number {
    const h = this.s.lagHost.get(this.mark('host_samples')) as { n: number };
    const v = this.s.lagVm.get(this.mark('vm_samples')) as { n: number };
    return h.n + v.n;
  }

  /** When the oldest sample not sent yet was taken, ms since the epoch; null: none waits. */
  oldestPendingAt(): number | null {
    const h = this.s.firstHost.get(this.mark('host_samples')) as { ts: number } | undefined;
    const v = this.s.firstVm.get(this.mark('vm_samples')) as { ts: number } | undefined;
    const times = [h?.ts, v?.ts].filter((t): t is number => typeof t === 'number');
    return times.length === 0 ? null : Math.min(...times);
  }

  /**
   * The next usage rows after `after` (the batch before, not landed yet: the sync reads
   * batch n+1 while MySQL still commits batch n), or after the watermarks.
   */
  readBatch(limit: number, after?: OutboxBatch, nowMs = Date.now()): OutboxBatch {
    const batch: OutboxBatch = {
      t2: [],
      t4: [],
      t2Samples: [],
      t4Samples: [],
      rejected: [],
      hostIds: new Map(),
      vmIds: new Map(),
      lastHostSampleId: after?.lastHostSampleId ?? this.mark('host_samples'),
      lastVmSampleId: after?.lastVmSampleId ?? this.mark('vm_samples'),
      hostBucketsUntil: after?.hostBucketsUntil ?? this.mark('host_buckets'),
      vmBucketsUntil: after?.vmBucketsUntil ?? this.mark('vm_buckets'),
      full: false,
    };
    const time = datetimeCache();
    const read = this.db.transaction(() => {
      const host = this.readTable(
        'host',
        batch.lastHostSampleId,
        batch.hostBucketsUntil,
        limit,
        nowMs,
      );
      tuplesByEntity(host.rows, t2Encoding, time, batch.t2, batch.t2Samples, batch.rejected);
      batch.hostIds = host.entities;
      batch.lastHostSampleId = host.lastSampleId;
      batch.hostBucketsUntil = host.untilMs ?? batch.hostBucketsUntil;
      const vm = this.readTable('vm', batch.lastVmSampleId, batch.vmBucketsUntil, limit, nowMs);
      tuplesByEntity(vm.rows, t4Encoding, time, batch.t4, batch.t4Samples, batch.rejected);
      batch.vmIds = vm.entities;
      batch.lastVmSampleId = vm.lastSampleId;
      batch.vmBucketsUntil = vm.untilMs ?? batch.vmBucketsUntil;
      batch.full = host.more || vm.more;
    });
    read();
    return batch;
  }

  /** One table's next rows: raw samples, or at a coarser resolution its buckets. */
  private readTable(
    kind: 'host' | 'vm',
    afterId: number,
    bucketsUntil: number,
    limit: number,
    nowMs: number,
  ): UsageRead {
    if (this.buckets) {
      const read = this.buckets[kind].read(
        { lastSampleId: afterId, untilMs: bucketsUntil },
        limit,
        nowMs,
      );
      // Every entity with a new sample: its t1/t3 row carries the latest figures.
      const entities = new Map(read.fresh);
      for (const row of read.rows) {
        const entity = row[ROW.entityId] as number;
        if (!entities.has(entity)) entities.set(entity, row[ROW.sampleId] as number);
      }
      return { rows: read.rows, entities, ...read.marks, more: read.more };
    }
    const query = kind === 'host' ? this.s.hostSamples : this.s.vmSamples;
    const rows = query.raw().all(afterId, limit) as Value[][];
    // Rows come in id order: an entity's last row is its newest.
    const entities = new Map<number, number>();
    for (const row of rows) entities.set(row[ROW.entityId] as number, row[ROW.sampleId] as number);
    const lastSampleId = (rows.at(-1)?.[ROW.sampleId] as number | undefined) ?? afterId;
    const more = rows.length >= limit;
    if (more) {
      // Behind (a backlog, or more coming in than a batch holds): t1/t3 take the newest
      // figures of the history's tail, not the batch's, so the fleet's "now" in the
      // central database stays fresh while the usage rows catch up. Only the tail is
      // read, whatever the backlog; a later batch's older figures do not overwrite
      // them (latest_ts only moves forward, upsert-sql.ts).
      const tail = kind === 'host' ? this.s.hostTail : this.s.vmTail;
      for (const { entity, newest } of tail.all(limit, lastSampleId) as TailRow[])
        entities.set(entity, newest);
    }
    return { rows, entities, lastSampleId, untilMs: null, more };
  }

  /**
   * The central keys of every host and VM this history holds (host_key as t1/t2 have
   * it, valid UUIDs): the rows this sync writes, and so the rows it prunes.
   */
  ownKeys(): { hostKeys: string[]; uuids: string[] } {
    const hostKeys = this.db.prepare('SELECT key FROM hosts').pluck().all();
    const uuids = this.db.prepare('SELECT uuid FROM vms').pluck().all();
    return {
      hostKeys: [...new Set(hostKeys.map(centralHostKey))],
      uuids: (uuids as unknown[]).filter((u): u is string => uuidProblem(u) === null),
    };
  }

  /**
   * t1 rows to write: changed hosts, hosts of the batch, hosts of changed VMs; those of
   * the batch with the figures of their newest sample in it.
   */
  hostsToSend(hostIds: Map<number, number>): T1Row[] {
    const rows = this.s.hosts.all(
      this.mark('hosts'),
      JSON.stringify([...hostIds.keys()]),
      this.mark('vms'),
    ) as (Omit<T1Row, keyof LatestStored> & { entityId: number })[];
    return withLatest(rows, this.s.hostLatest, hostIds);
  }

  /** t3 rows to write: changed VMs and the VMs of the batch, with their newest figures. */
  vmsToSend(vmIds: Map<number, number>): T3Row[] {
    const rows = this.s.vms.all(this.mark('vms'), JSON.stringify([...vmIds.keys()])) as (Omit<
      T3Row,
      keyof LatestStored
    > & { entityId: number })[];
    return withLatest(rows, this.s.vmLatest, vmIds);
  }

  /**
   * Called only after MySQL committed everything up to these marks; `alongside` runs in
   * the same SQLite transaction (the batch's parked rows).
   */
  advance(
    marks: Partial<Record<Stream, number>>,
    now: number,
    alongside: () => void = () => undefined,
  ): void {
    this.db.transaction(() => {
      alongside();
      for (const [stream, value] of Object.entries(marks)) {
        if (value !== undefined) this.s.setMark.run(this.target, stream, value, now);
      }
    })();
  }

  /**
   * Records the target's watermarks (at 0 where it has none yet): a target with
   * watermarks is one the store keeps unsent samples for (maintain.ts).
   */
  register(now: number): void {
    this.db.transaction(() => {
      for (const stream of STREAMS) this.s.registerMark.run(this.target, stream, now);
    })();
  }
}

/**
 * Forgets a target the admin removed: its watermarks and its parked rows. Pruning keeps
 * every sample some target has not taken (maintain.ts), so a removed target's
 * watermarks would hold the history from its last sync on for good.
 */
export function forgetSyncTarget(db: Database, target: string): void {
  db.transaction(() => {
    db.prepare('DELETE FROM sync_watermarks WHERE target = ?').run(target);
    db.prepare('DELETE FROM sync_parked WHERE target = ?').run(target);
  })();
}

const NO_LATEST: LatestStored = {
  latestId: null,
  latestTs: null,
  latestCpu: null,
  latestMemUsed: null,
  latestMemTotal: null,
  latestDiskRd: null,
  latestDiskWr: null,
  latestNetRx: null,
  latestNetTx: null,
};

/** The t1/t3 rows, each with the figures of its newest sample `newest` names (or none). */
function withLatest<Row extends { entityId: number }>(
  rows: Row[],
  query: Statement,
  newest: Map<number, number>,
): (Omit<Row, 'entityId'> & LatestStored)[] {
  const latest = new Map(
    (query.all(JSON.stringify([...newest.values()])) as (LatestStored & { entity: number })[]).map(
      ({ entity, ...figures }) => [entity, figures],
    ),
  );
  return rows.map(({ entityId, ...row }) => ({ ...row, ...(latest.get(entityId) ?? NO_LATEST) }));
}

/** One table's part of a batch. */
interface TailRow {
  entity: number;
  newest: number;
}

interface UsageRead {
  rows: Value[][];
  /** Local host / VM ids whose t1/t3 rows go with the batch, with their newest sample id. */
  entities: Map<number, number>;
  lastSampleId: number;
  /** Buckets only: every bucket up to this time is in the batch. */
  untilMs: number | null;
  more: boolean;
}

/** A batch holds a few distinct timestamps (one per poll): each is checked and formatted once. */
function datetimeCache(): (ms: Value) => string | null {
  const known = new Map<Value, string | null>();
  return (ms) => {
    let text = known.get(ms);
    if (text === undefined) {
      const valid = datetimeText(ms);
      text = valid === null ? null : `'${valid}'`;
      known.set(ms, text);
    }
    return text;
  };
}

/** How one usage table's rows become tuples. */
interface UsageEncoding {
  table: CentralTable;
  /** The entity's key columns as literals (from its first row), or why they cannot be. */
  key(row: Value[]): { literal: string } | { problem: string };
  tuple(row: Value[], key: string, ts: string): string;
}

/**
 * SQL tuples of the rows (in id order), regrouped by entity with each entity's rows kept
 * in id order, so InnoDB appends runs of its (key, ts) primary key. The key is checked
 * and encoded once per entity. A row whose key or time MySQL cannot hold is refused here
 * with its reason instead of failing the batch on the server.
 */
function tuplesByEntity(
  rows: Value[][],
  encoding: UsageEncoding,
  time: (ms: Value) => string | null,
  tuples: string[],
  sent: SampleRef[],
  rejected: ParkedRow[],
): void {
  const groups = new Map<Value, Value[][]>();
  for (const row of rows) {
    const entityId = row[ROW.entityId] ?? null;
    const group = groups.get(entityId);
    if (group) group.push(row);
    else groups.set(entityId, [row]);
  }
  for (const group of groups.values()) {
    const key = encoding.key(group[0] as Value[]);
    for (const row of group) {
      if ('problem' in key) {
        rejected.push({ table: encoding.table, ...sampleOf(row), reason: key.problem });
        continue;
      }
      const ts = time(row[ROW.ts] ?? null);
      if (ts === null) {
        const reason = `time ${String(row[ROW.ts])} ms is outside DATETIME's years 1000-9999`;
        rejected.push({ table: encoding.table, ...sampleOf(row), reason });
        continue;
      }
      tuples.push(encoding.tuple(row, key.literal, ts));
      sent.push(sampleOf(row));
    }
  }
}

/**
 * Where readBatch's raw rows (read by position, for speed) keep each field; the metrics
 * follow from OFFSET on.
 */
const ROW = { sampleId: 0, entityId: 1, key: 2, ts: 3 } as const;
const OFFSET = 4;

function sampleOf(row: Value[]): SampleRef {
  const ts = row[ROW.ts];
  return {
    sampleId: row[ROW.sampleId] as number,
    entity: String(row[ROW.key]),
    ts: typeof ts === 'number' ? ts : null,
  };
}
const col = (defs: readonly MetricDef<never>[], name: string): number =>
  OFFSET + defs.findIndex((m) => m.name === name);
const scaleAt = (defs: readonly MetricDef<never>[], index: number): number =>
  (defs[index - OFFSET] as MetricDef<never>).scale;

/** The figure at `index` decoded (stored / scale), or null. */
function figure(row: Value[], index: number, scale: number): number | null {
  const v = row[index];
  return typeof v === 'number' ? v / scale : null;
}

function sum(a: number | null, b: number | null): number | null {
  if (a === null && b === null) return null;
  return (a ?? 0) + (b ?? 0);
}

/**
 * The literal of a stored figure for its central column: hundredths as plain decimals,
 * KiB-scaled memory as whole bytes in BIGINT's range, counts in INT's, rates as doubles.
 */
function columnLiteral(
  table: CentralTable,
  column: string,
  scale: number,
): (stored: Value) => string {
  const { type } = centralColumn(table, column);
  if (type.sql === 'double' && scale === 100) return sqlHundredths;
  const bits = type.sql === 'bigint' ? 64 : type.sql === 'int' ? 32 : null;
  if (bits !== null) return (v) => (typeof v === 'number' ? sqlInteger(v / scale, bits) : 'NULL');
  if (type.sql !== 'double') throw new TypeError(`${table}.${column} is not a number column`);
  return (v) => (typeof v === 'number' ? sqlDouble(v / scale) : 'NULL');
}

type Literal = (row: Value[]) => string;

/** Literals of the detail columns, each reading its figure from the outbox row. */
function detailLiterals(
  table: CentralTable,
  defs: readonly MetricDef<never>[],
  detail: readonly MetricDef<never>[],
): Literal[] {
  return detail.map((m) => {
    const index = col(defs, m.name);
    const literal = columnLiteral(table, snake(m.name), m.scale);
    return (row) => literal(row[index] ?? null);
  });
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
const hostFigure = (row: Value[], i: number): number | null => figure(row, i, hostScale(i));
const t2Cpu = columnLiteral('t2_host_usage', 'cpu', hostScale(host.cpu));
const t2Memory = columnLiteral('t2_host_usage', 'memory', hostScale(host.memUsed));
const t2Details = detailLiterals('t2_host_usage', hostMetrics, t2Detail);

const t2Encoding: UsageEncoding = {
  table: 't2_host_usage',
  // host_key, then host_ip: the trailing column of the host rows (after the metrics).
  key: (row) => ({
    literal: `${sqlString(centralHostKey(row[ROW.key]))},${sqlString(centralHostIp(row.at(-1)))}`,
  }),
  tuple(row, hostIp, ts) {
    const cpu = t2Cpu(row[host.cpu] ?? null);
    const memory = t2Memory(row[host.memUsed] ?? null);
    const disk = sum(hostFigure(row, host.diskRd), hostFigure(row, host.diskWr));
    const network = sum(hostFigure(row, host.netRx), hostFigure(row, host.netTx));
    let sql = `(${hostIp},${ts},${cpu},${memory},${sqlDouble(disk)},${sqlDouble(network)}`;
    for (const literal of t2Details) sql += `,${literal(row)}`;
    return `${sql})`;
  },
};

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
const vmFigure = (row: Value[], i: number): number | null => figure(row, i, vmScale(i));
const t4Cpu = columnLiteral('t4_vm_usage', 'cpu', vmScale(vm.cpu));
const t4Details = detailLiterals('t4_vm_usage', vmMetrics, t4Detail);

const t4Encoding: UsageEncoding = {
  table: 't4_vm_usage',
  key(row) {
    const uuid = row[ROW.key];
    const problem = uuidProblem(uuid);
    return problem ? { problem } : { literal: sqlString(uuid as string) };
  },
  tuple(row, uuid, ts) {
    const cpu = t4Cpu(row[vm.cpu] ?? null);
    const total = vmFigure(row, vm.memTotal);
    const used = vmFigure(row, vm.memUsed);
    const memory = total !== null && used !== null && total > 0 ? (100 * used) / total : null;
    const disk = sum(vmFigure(row, vm.diskRd), vmFigure(row, vm.diskWr));
    const network = sum(vmFigure(row, vm.netRx), vmFigure(row, vm.netTx));
    let sql = `(${uuid},${ts},${cpu},${sqlDouble(memory)},${sqlDouble(disk)},${sqlDouble(network)}`;
    for (const literal of t4Details) sql += `,${literal(row)}`;
    return `${sql})`;
  },
};
