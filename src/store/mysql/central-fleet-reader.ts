import type { Connection as CoreConnection } from 'mysql2';
import type { Connection } from 'mysql2/promise';
import { z } from 'zod';
import { mysqlDatetime } from './central-values';
import { ClusterSession } from './cluster-session';
import type { MysqlLogin } from './mysql-session';

/** A host as the central database holds it: t1_host, times in ms since the epoch. */
export interface CentralHost {
  hostKey: string;
  hostIp: string;
  hostName: string;
  /** The name the admin gave it in the agent or console that writes it; null: none. */
  hostLabel: string | null;
  /** Running VMs, as the host's agent or console last counted them. */
  runningVms: number;
  cpuCores: number | null;
  memoryBytes: number | null;
  latest: CentralLatest | null;
  updatedAtMs: number;
}

/** A VM as the central database holds it: t3_vm, times in ms since the epoch. */
export interface CentralVm {
  uuid: string;
  hostKey: string;
  name: string;
  state: string;
  connectedNow: boolean;
  vcpus: number | null;
  /** Last connect to its display; null: never seen. */
  lctMs: number | null;
  lastSeenMs: number | null;
  latest: CentralLatest | null;
  updatedAtMs: number;
}

/** The newest figures on a t1/t3 row, in t2/t4's units; null when the sample had none. */
export interface CentralLatest {
  tsMs: number;
  /** % busy (host) or % of the host's CPUs (VM). */
  cpuPercent: number | null;
  /** % used. */
  memoryPercent: number | null;
  /** Read + write, bytes/s. */
  diskBytesPerSec: number | null;
  /** Received + sent, bytes/s. */
  networkBytesPerSec: number | null;
}

/** A row the reader could not take as it is, and why: left out, the rest read. */
export interface RejectedCentralRow {
  table: 't1_host' | 't3_vm';
  key: string;
  reason: string;
}

/** What changed since the reader's previous refresh. */
export interface CentralFleetChange {
  hosts: { changed: CentralHost[]; gone: string[] };
  vms: { changed: CentralVm[]; gone: string[] };
  /** Rows that do not hold what the columns promise (this refresh's, all of them). */
  rejected: RejectedCentralRow[];
  /** The node read from (host:port). */
  node: string | null;
}

// Values from the central database are another program's writing (or anyone's with the
// rights): each row is made valid here, once, or left out with its reason.
/**
 * DATETIME texts already taken: a sync round writes one updated_at and a sample one
 * latest_ts for many rows, so a refresh meets few distinct texts among thousands.
 */
const timesSeen = new Map<string, number>();
const TIMES_KEPT = 4096;
const mysqlTime = z
  .string()
  .regex(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?$/, 'not a DATETIME')
  .transform((text, ctx) => {
    const known = timesSeen.get(text);
    if (known !== undefined) return known;
    const ms = Date.parse(`${text.replace(' ', 'T')}Z`);
    if (Number.isNaN(ms)) {
      ctx.addIssue({ code: 'custom', message: `not a time: ${text}` });
      return z.NEVER;
    }
    if (timesSeen.size >= TIMES_KEPT) timesSeen.clear();
    timesSeen.set(text, ms);
    return ms;
  });
// A figure's rules, said once: the row schemas below and the figures-only check
// (quickFigures) both hold to them.
const isPercentValue = (v: number) => v >= 0 && v <= 100_000;
const isRateValue = (v: number) => v >= 0;
const figure = z.number().finite().nullable();
const percent = figure.refine((v) => v === null || isPercentValue(v), 'out of range');
const rate = figure.refine((v) => v === null || isRateValue(v), 'negative');
const count = z.number().int().min(0).max(1e9).nullable();
const text = (max: number) => z.string().max(max);

const latestColumns = {
  latest_ts: mysqlTime.nullable(),
  latest_cpu: percent,
  latest_memory: percent,
  latest_disk: rate,
  latest_network: rate,
};

/**
 * The columns every sync round rewrites on a host's row: a row whose other columns are as
 * last read is checked on these alone, and the rest of what it was taken as stands.
 */
const hostFigures = z.object({ updated_at: mysqlTime, ...latestColumns });
const hostRow = hostFigures.extend({
  host_key: text(64).min(1),
  host_ip: text(64),
  host_name: text(255),
  host_label: text(255).nullable(),
  vmc: z.number().int().min(0).max(1e9),
  cpu_cores: count,
  memory_bytes: z.number().int().min(0).nullable(),
});

/** A VM's: its figures and when it was last seen. */
const vmFigures = hostFigures.extend({ last_seen: mysqlTime.nullable() });
const vmRow = vmFigures.extend({
  uuid: z.string().regex(/^[0-9a-fA-F-]{36}$/, 'not a UUID'),
  host_key: text(64).min(1),
  name: text(255),
  state: text(32),
  connected_now: z.number().int().min(0).max(1),
  vcpus: count,
  lct: mysqlTime.nullable(),
});

type HostFigures = z.output<typeof hostFigures>;
type VmFigures = z.output<typeof vmFigures>;

/** A time column's value as mysqlTime takes it; undefined where it does not. */
function timeOf(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const known = timesSeen.get(value);
  if (known !== undefined) return known;
  const parsed = mysqlTime.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

const figureOk = (value: unknown, rule: (v: number) => boolean): value is number | null =>
  value === null || (typeof value === 'number' && Number.isFinite(value) && rule(value));

/**
 * A host row's figures as hostFigures would take them, checked without zod: every sync
 * round rewrites them on every row, and a refresh of 15,000 rows spent more on the
 * schema's machinery than on the values. Undefined when any of them is not plainly valid:
 * the whole row then goes through its schema, which says why.
 */
export function quickHostFigures(raw: Record<string, unknown>): HostFigures | undefined {
  const updated = timeOf(raw.updated_at);
  const ts = raw.latest_ts === null ? null : timeOf(raw.latest_ts);
  const { latest_cpu: cpu, latest_memory: memory, latest_disk: disk } = raw;
  const network = raw.latest_network;
  if (updated === undefined || ts === undefined) return undefined;
  if (!figureOk(cpu, isPercentValue) || !figureOk(memory, isPercentValue)) return undefined;
  if (!figureOk(disk, isRateValue) || !figureOk(network, isRateValue)) return undefined;
  return {
    updated_at: updated,
    latest_ts: ts,
    latest_cpu: cpu,
    latest_memory: memory,
    latest_disk: disk,
    latest_network: network,
  };
}

/** A VM row's figures as vmFigures would take them; see quickHostFigures. */
export function quickVmFigures(raw: Record<string, unknown>): VmFigures | undefined {
  const lastSeen = raw.last_seen === null ? null : timeOf(raw.last_seen);
  if (lastSeen === undefined) return undefined;
  const figures = quickHostFigures(raw) as VmFigures | undefined;
  // Set on the host's object rather than spread into a new one: this runs for every VM.
  if (figures !== undefined) figures.last_seen = lastSeen;
  return figures;
}

/** The zod schemas of a row's figures, that the quick checks must agree with (tests). */
export const figureSchemas = { host: hostFigures, vm: vmFigures };

function latestOf(row: HostFigures): CentralLatest | null {
  if (row.latest_ts === null) return null;
  return {
    tsMs: row.latest_ts,
    cpuPercent: row.latest_cpu,
    memoryPercent: row.latest_memory,
    diskBytesPerSec: row.latest_disk,
    networkBytesPerSec: row.latest_network,
  };
}

function hostOf(row: z.output<typeof hostRow>): CentralHost {
  return {
    hostKey: row.host_key,
    hostIp: row.host_ip,
    hostName: row.host_name,
    hostLabel: row.host_label,
    runningVms: row.vmc,
    cpuCores: row.cpu_cores,
    memoryBytes: row.memory_bytes,
    latest: latestOf(row),
    updatedAtMs: row.updated_at,
  };
}

/**
 * A row's newest figures set on what it was taken as, in place: every round rewrites them
 * on every row, and 15,000 new objects per refresh, kept until the next one, outlived the
 * young generation each time; collecting them cost more than reading the rows. Whoever
 * holds a row (the fleet source) sees its newest figures; its other fields never change
 * in place (a row whose other columns differ is taken anew).
 */
function setLatest(
  taken: { latest: CentralLatest | null; updatedAtMs: number },
  row: HostFigures,
): void {
  taken.updatedAtMs = row.updated_at;
  const { latest } = taken;
  if (row.latest_ts === null || latest === null) {
    taken.latest = latestOf(row);
    return;
  }
  latest.tsMs = row.latest_ts;
  latest.cpuPercent = row.latest_cpu;
  latest.memoryPercent = row.latest_memory;
  latest.diskBytesPerSec = row.latest_disk;
  latest.networkBytesPerSec = row.latest_network;
}

function vmOf(row: z.output<typeof vmRow>): CentralVm {
  return {
    uuid: row.uuid.toLowerCase(),
    hostKey: row.host_key,
    name: row.name,
    state: row.state,
    connectedNow: row.connected_now === 1,
    vcpus: row.vcpus,
    lctMs: row.lct,
    lastSeenMs: row.last_seen,
    latest: latestOf(row),
    updatedAtMs: row.updated_at,
  };
}

/** Whether a host or VM was taken with these figures (the columns every round rewrites). */
function sameLatest(
  taken: { latest: CentralLatest | null; updatedAtMs: number },
  row: HostFigures,
): boolean {
  const { latest } = taken;
  if (taken.updatedAtMs !== row.updated_at) return false;
  if (latest === null) return row.latest_ts === null;
  return (
    latest.tsMs === row.latest_ts &&
    Object.is(latest.cpuPercent, row.latest_cpu) &&
    Object.is(latest.memoryPercent, row.latest_memory) &&
    Object.is(latest.diskBytesPerSec, row.latest_disk) &&
    Object.is(latest.networkBytesPerSec, row.latest_network)
  );
}

const vmHasFigures = (vm: CentralVm, row: VmFigures): boolean =>
  vm.lastSeenMs === row.last_seen && sameLatest(vm, row);

function setVmFigures(vm: CentralVm, row: VmFigures): void {
  vm.lastSeenMs = row.last_seen;
  setLatest(vm, row);
}

/** How one table's rows are checked and taken. */
interface TableRows<Row, Whole extends z.ZodObject, Figures extends z.ZodObject> {
  table: RejectedCentralRow['table'];
  keyColumn: string;
  schema: Whole;
  make: (row: z.output<Whole>) => Row;
  keyOf: (row: Row) => string;
  /** The columns every sync round rewrites (a subset of `schema`'s). */
  figures: Figures;
  /** Those columns checked as `figures` would, or undefined (the whole row is checked). */
  quickFigures: (raw: Record<string, unknown>) => z.output<Figures> | undefined;
  /** Whether a row taken before holds these figures already. */
  hasFigures: (row: Row, figures: z.output<Figures>) => boolean;
  /** Sets new figures on a row taken before (in place: see setLatest). */
  setFigures: (row: Row, figures: z.output<Figures>) => void;
}

/**
 * A row as last read: the values of its columns besides the figures, what it was taken
 * as, and which read returned it last. Not the row the server sent: kept from one refresh
 * to the next, 15,000 of those outlived the young generation at every refresh, and
 * collecting them was most of a refresh's cost. The values are replaced only when they
 * differ, so a refresh of new figures leaves nothing of its rows behind.
 */
interface SeenRow<Row> {
  others: unknown[];
  taken: { row: Row } | { rejected: RejectedCentralRow; raw: Record<string, unknown> };
  read: number;
}

/**
 * One table's rows as last read, to tell a refresh what changed. A row whose columns
 * besides the figures are as last read has only its figures checked, and is a change
 * when they differ from those it was taken with; any other difference has the whole row
 * checked again. Nothing is redone for a row that did not change.
 */
class TableDiff<Row, Whole extends z.ZodObject, Figures extends z.ZodObject> {
  private readonly seen = new Map<string, SeenRow<Row>>();
  private readonly rejectedRows = new Map<string, RejectedCentralRow>();
  private readonly figureColumns: string[];
  private readonly otherColumns: string[];
  private reads = 0;
  /**
   * This refresh's changes so far. A set: a read that failed part way has its retry on
   * another node take the same rows again, and a row it had set its figures on already
   * is no change the second time, yet is one of this refresh.
   */
  private readonly changed = new Set<Row>();
  private gone: string[] = [];

  constructor(private readonly rows: TableRows<Row, Whole, Figures>) {
    this.figureColumns = Object.keys(rows.figures.shape);
    this.otherColumns = Object.keys(rows.schema.shape).filter(
      (column) => !this.figureColumns.includes(column),
    );
  }

  /** A refresh begins: what it finds changed is gathered from here until finish(). */
  begin(): void {
    this.changed.clear();
    this.gone = [];
  }

  /**
   * A read begins (a refresh's, or its retry on another node): takeRow() is handed its
   * rows as they arrive, so that none outlives its turn.
   */
  beginRead(): void {
    this.reads += 1;
  }

  /** One row of the read: taken when new or different, and noted as still there. */
  takeRow(value: unknown): void {
    const read = this.reads;
    const raw = value as Record<string, unknown>;
    const key = String(raw[this.rows.keyColumn] ?? '?').slice(0, 64);
    const before = this.seen.get(key);
    if (before) before.read = read;
    const same = before !== undefined && this.sameOthers(before.others, raw);
    const row = same ? this.withNewFigures(before, raw) : undefined;
    if (row === null) return;
    if (row !== undefined) {
      // The row it was taken as, its new figures set: nothing else of it to keep.
      this.changed.add(row);
      return;
    }
    const taken = this.check(raw, key);
    const takenBefore = before?.taken;
    if (before) {
      if (!same) before.others = this.othersOf(raw);
      before.taken = taken;
    } else this.seen.set(key, { others: this.othersOf(raw), taken, read });
    if ('row' in taken) {
      this.changed.add(taken.row);
      this.rejectedRows.delete(key);
    } else {
      this.rejectedRows.set(key, taken.rejected);
      if (takenBefore && 'row' in takenBefore) this.gone.push(this.rows.keyOf(takenBefore.row));
    }
  }

  /**
   * The rows that are new or differ since the refresh began, and the keys gone (or now
   * rejected); every rejection known goes into `rejected`. `whole`: the last read was the
   * whole table, so a key not in it is gone; otherwise it held only the rows written
   * lately, and the rest stand.
   */
  finish(whole: boolean, rejected: RejectedCentralRow[]): { changed: Row[]; gone: string[] } {
    const { gone } = this;
    if (whole) {
      for (const [key, seen] of this.seen) {
        if (seen.read === this.reads) continue;
        this.seen.delete(key);
        this.rejectedRows.delete(key);
        if ('row' in seen.taken) gone.push(this.rows.keyOf(seen.taken.row));
      }
    }
    for (const row of this.rejectedRows.values()) rejected.push(row);
    return { changed: [...this.changed], gone };
  }

  /** Rows known: every key the last reads returned. */
  get size(): number {
    return this.seen.size;
  }

  private othersOf(raw: Record<string, unknown>): unknown[] {
    return this.otherColumns.map((column) => raw[column]);
  }

  private sameOthers(others: unknown[], raw: Record<string, unknown>): boolean {
    const columns = this.otherColumns;
    for (let i = 0; i < columns.length; i++) {
      if (others[i] !== raw[columns[i] as string]) return false;
    }
    return true;
  }

  /**
   * A row whose other columns are as last read: null when nothing of it changed, the row
   * it was taken as with its new figures set, or undefined when it is to be checked whole.
   */
  private withNewFigures(
    before: SeenRow<Row>,
    raw: Record<string, unknown>,
  ): Row | null | undefined {
    const { rows } = this;
    if (!('row' in before.taken)) {
      // Rejected before: unchanged unless a figure changed too.
      const old = before.taken.raw;
      return this.figureColumns.every((column) => old[column] === raw[column]) ? null : undefined;
    }
    const figures = rows.quickFigures(raw);
    if (!figures) return undefined;
    const taken = before.taken.row;
    if (rows.hasFigures(taken, figures)) return null;
    rows.setFigures(taken, figures);
    return taken;
  }

  private check(raw: Record<string, unknown>, key: string): SeenRow<Row>['taken'] {
    const { rows } = this;
    const parsed = rows.schema.safeParse(raw);
    if (parsed.success) return { row: rows.make(parsed.data) };
    const issue = parsed.error.issues[0];
    const reason = `${issue?.path.join('.') ?? '?'}: ${issue?.message}`;
    return { rejected: { table: rows.table, key, reason }, raw };
  }
}

const LATEST = 'latest_ts, latest_cpu, latest_memory, latest_disk, latest_network';
// t1/t3 only, never the usage tables: a row per host and VM (15,000 rows at 500 × 30).
const HOSTS_SQL = `SELECT host_key, host_ip, host_name, host_label, vmc, cpu_cores, memory_bytes, updated_at, ${LATEST} FROM t1_host`;
const VMS_SQL = `SELECT uuid, host_key, name, state, connected_now, vcpus, lct, last_seen, updated_at, ${LATEST} FROM t3_vm`;
/** Rows written since a time, through the updated_at index (migration 004). */
const SINCE = ' WHERE updated_at >= ?';

/**
 * How far back of the last read's start a refresh reads again, ms. A row's updated_at
 * is the writing node's clock when its statement ran; it may commit, and reach the node
 * read from, a little later, with a time before the last read. The rows read again that
 * did not change cost a comparison each.
 */
export const CENTRAL_REREAD_MS = 1_000;
/**
 * How often a refresh reads both tables whole, ms: it finds the rows deleted (retention,
 * an admin) and any row that came later than CENTRAL_REREAD_MS allows for.
 */
export const CENTRAL_WHOLE_READ_EVERY_MS = 30_000;

/**
 * Above this share of the VMs written since the last read, a refresh reads both tables
 * whole: a scan of t3 costs the server less than as many lookups through the index (a
 * 10 s resolution's agents write every VM within a few seconds), and finds deletions.
 */
const WHOLE_READ_SHARE = 0.25;
/** Up to this many rows written, a read of them is cheap whatever the fleet's size. */
const WHOLE_READ_MIN_VMS = 200;

/** How one read went: whether it was of the tables whole, and the server's clock at its start. */
interface ReadSnapshot {
  whole: boolean;
  /** The node's UTC_TIMESTAMP(3) when the snapshot began, as text. */
  startedAt: string;
}

/**
 * Reads the fleet a console shows from the central database: every host and VM with its
 * newest figures, from t1/t3 only, in one consistent snapshot, through a read-only
 * account (it writes nothing). On a cluster it reads from one node and moves on to the
 * next when that one goes away. A refresh reads the rows written since the one before
 * (and both tables whole every CENTRAL_WHOLE_READ_EVERY_MS) and says what changed, so
 * what is sent on to the pages is only that.
 */
export class CentralFleetReader {
  private readonly session: ClusterSession;
  private readonly hosts = newHostDiff();
  private readonly vms = newVmDiff();
  /** Where the next refresh reads from (the last start less CENTRAL_REREAD_MS); null: whole. */
  private since: string | null = null;
  private lastWholeReadMs = 0;

  constructor(
    login: MysqlLogin,
    private readonly now: () => number = Date.now,
  ) {
    this.session = new ClusterSession(login);
  }

  /** Times the reader moved to another node of the cluster. */
  get failovers(): number {
    return this.session.failovers;
  }

  /**
   * Reads t1/t3 and answers what changed since the last refresh (everything, the first
   * time). Throws a SyncError (sync-error.ts: schema missing or of another version, access denied,
   * no node answers); the reader stays usable and the next refresh tries again.
   */
  async refresh(): Promise<CentralFleetChange> {
    const nowMs = this.now();
    const due = this.since === null || nowMs - this.lastWholeReadMs >= CENTRAL_WHOLE_READ_EVERY_MS;
    const failovers = this.session.failovers;
    const since = due ? null : this.since;
    const wholeAbove = Math.max(WHOLE_READ_MIN_VMS, Math.floor(this.vms.size * WHOLE_READ_SHARE));
    this.hosts.begin();
    this.vms.begin();
    const read = await this.session.read((conn) =>
      readSnapshot(conn, since, wholeAbove, this.hosts, this.vms),
    );
    // Another node's rows may have reached it at other times: read it whole next.
    this.since = this.session.failovers === failovers ? rereadFrom(read.startedAt) : null;
    if (read.whole) this.lastWholeReadMs = nowMs;
    const rejected: RejectedCentralRow[] = [];
    return {
      hosts: this.hosts.finish(read.whole, rejected),
      vms: this.vms.finish(read.whole, rejected),
      rejected,
      node: this.session.connectedTo,
    };
  }

  close(): void {
    this.session.close();
  }
}

/** The DATETIME text CENTRAL_REREAD_MS before `startedAt` (the server's own text). */
function rereadFrom(startedAt: string): string | null {
  const started = mysqlTime.safeParse(startedAt);
  return started.success ? mysqlDatetime(started.data - CENTRAL_REREAD_MS) : null;
}

/** t1_host's rows as last read (exported for tests). */
export const newHostDiff = () =>
  new TableDiff({
    table: 't1_host',
    keyColumn: 'host_key',
    schema: hostRow,
    make: hostOf,
    keyOf: (host) => host.hostKey,
    figures: hostFigures,
    quickFigures: quickHostFigures,
    hasFigures: sameLatest,
    setFigures: setLatest,
  });

/** t3_vm's rows as last read (exported for tests). */
export const newVmDiff = () =>
  new TableDiff({
    table: 't3_vm',
    keyColumn: 'uuid',
    schema: vmRow,
    make: vmOf,
    keyOf: (vm) => vm.uuid,
    figures: vmFigures,
    quickFigures: quickVmFigures,
    hasFigures: vmHasFigures,
    setFigures: setVmFigures,
  });

/** Where a read's rows go, one at a time (TableDiff). */
interface RowTaker {
  beginRead(): void;
  takeRow(value: unknown): void;
}

/**
 * Both tables, or their rows written since `since` when there are no more than
 * `wholeAbove` such VMs, as one consistent snapshot, each row handed on as it arrives.
 */
async function readSnapshot(
  conn: Connection,
  since: string | null,
  wholeAbove: number,
  hosts: RowTaker,
  vms: RowTaker,
): Promise<ReadSnapshot> {
  await conn.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
  try {
    const [clock] = await conn.query('SELECT UTC_TIMESTAMP(3) AS started_at');
    const startedAt = String((clock as { started_at: unknown }[])[0]?.started_at ?? '');
    let whole = since === null;
    if (!whole) {
      // Counted in the index alone: cheap whatever the answer.
      const [counted] = await conn.query(`SELECT count(*) AS n FROM t3_vm${SINCE}`, [since]);
      whole = Number((counted as { n: unknown }[])[0]?.n) > wholeAbove;
    }
    const where = whole ? '' : SINCE;
    const params = whole ? [] : [since];
    await eachRow(conn, HOSTS_SQL + where, params, hosts);
    await eachRow(conn, VMS_SQL + where, params, vms);
    return { whole, startedAt };
  } finally {
    await conn.query('COMMIT');
  }
}

/**
 * A query's rows handed to `taker` as a read of its own, one by one as they arrive, not
 * gathered first: 15,000 rows held until the last came outlived the young generation,
 * and copying them out of it cost more than reading them.
 */
function eachRow(conn: Connection, sql: string, params: unknown[], taker: RowTaker): Promise<void> {
  // The promise API gathers the rows; its connection's own query streams them.
  const core = (conn as unknown as { connection: CoreConnection }).connection;
  taker.beginRead();
  return new Promise((resolve, reject) => {
    let failed: unknown;
    core
      .query(sql, params)
      .on('result', (row) => {
        if (failed !== undefined) return;
        try {
          taker.takeRow(row);
        } catch (error) {
          failed = error;
        }
      })
      .on('error', reject)
      .on('end', () => (failed === undefined ? resolve() : reject(failed)));
  });
}
