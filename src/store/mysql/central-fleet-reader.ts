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
const figure = z.number().finite().nullable();
const percent = figure.refine((v) => v === null || (v >= 0 && v <= 100_000), 'out of range');
const rate = figure.refine((v) => v === null || v >= 0, 'negative');
const count = z.number().int().min(0).max(1e9).nullable();
const text = (max: number) => z.string().max(max);

const latestColumns = {
  latest_ts: mysqlTime.nullable(),
  latest_cpu: percent,
  latest_memory: percent,
  latest_disk: rate,
  latest_network: rate,
};

const hostRow = z.object({
  host_key: text(64).min(1),
  host_ip: text(64),
  host_name: text(255),
  host_label: text(255).nullable(),
  vmc: z.number().int().min(0).max(1e9),
  cpu_cores: count,
  memory_bytes: z.number().int().min(0).nullable(),
  updated_at: mysqlTime,
  ...latestColumns,
});

const vmRow = z.object({
  uuid: z.string().regex(/^[0-9a-fA-F-]{36}$/, 'not a UUID'),
  host_key: text(64).min(1),
  name: text(255),
  state: text(32),
  connected_now: z.number().int().min(0).max(1),
  vcpus: count,
  lct: mysqlTime.nullable(),
  last_seen: mysqlTime.nullable(),
  updated_at: mysqlTime,
  ...latestColumns,
});

function latestOf(row: z.output<typeof hostRow> | z.output<typeof vmRow>): CentralLatest | null {
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

/** A row as last read: the server's values, and what they were taken as. */
interface SeenRow<Row> {
  raw: Record<string, unknown>;
  taken: { row: Row } | { rejected: RejectedCentralRow };
}

/**
 * One table's rows as last read, to tell a refresh what changed. A row is compared with
 * its previous self column by column, as the server sent it: only a row that differs is
 * checked and taken again (every sync round rewrites the figures, so in a busy fleet most
 * rows do, but nothing else is redone for the rest, and no fingerprint is kept per row).
 */
class TableDiff<Row> {
  private readonly seen = new Map<string, SeenRow<Row>>();
  private readonly columns: string[];

  constructor(
    private readonly table: RejectedCentralRow['table'],
    private readonly keyColumn: string,
    private readonly schema: z.ZodObject,
    private readonly make: (row: never) => Row,
    private readonly keyOfRow: (row: Row) => string,
  ) {
    this.columns = Object.keys(schema.shape);
  }

  /**
   * The rows that are new or differ and the keys gone (or now rejected); every rejection
   * known goes into `rejected`. `whole`: `rows` is the whole table, so a key not in it is
   * gone; otherwise it holds only the rows written lately, and the rest stand.
   */
  take(
    rows: unknown[],
    whole: boolean,
    rejected: RejectedCentralRow[],
  ): { changed: Row[]; gone: string[] } {
    const changed: Row[] = [];
    const present = new Set<string>();
    const gone: string[] = [];
    for (const value of rows) {
      const raw = value as Record<string, unknown>;
      const key = String(raw[this.keyColumn] ?? '?').slice(0, 64);
      present.add(key);
      const before = this.seen.get(key);
      if (before && this.same(before.raw, raw)) continue;
      const taken = this.check(raw, key);
      this.seen.set(key, { raw, taken });
      if ('row' in taken) changed.push(taken.row);
      else if (before && 'row' in before.taken) gone.push(this.keyOfRow(before.taken.row));
    }
    for (const [key, seen] of this.seen) {
      if (whole && !present.has(key)) {
        this.seen.delete(key);
        if ('row' in seen.taken) gone.push(this.keyOfRow(seen.taken.row));
      } else if ('rejected' in seen.taken) rejected.push(seen.taken.rejected);
    }
    return { changed, gone };
  }

  /** Rows known: every key the last reads returned. */
  get size(): number {
    return this.seen.size;
  }

  private same(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
    for (const column of this.columns) if (a[column] !== b[column]) return false;
    return true;
  }

  private check(raw: Record<string, unknown>, key: string): SeenRow<Row>['taken'] {
    const parsed = this.schema.safeParse(raw);
    if (parsed.success) return { row: this.make(parsed.data as never) };
    const issue = parsed.error.issues[0];
    const reason = `${issue?.path.join('.') ?? '?'}: ${issue?.message}`;
    return { rejected: { table: this.table, key, reason } };
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

/** One refresh's rows as the server sent them, and the server's clock at its start. */
interface Snapshot {
  /** Whether these are the tables whole. */
  whole: boolean;
  hosts: unknown[];
  vms: unknown[];
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
  private readonly hosts = new TableDiff('t1_host', 'host_key', hostRow, hostOf, (h) => h.hostKey);
  private readonly vms = new TableDiff('t3_vm', 'uuid', vmRow, vmOf, (v) => v.uuid);
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
    const read = await this.session.read((conn) => readSnapshot(conn, since, wholeAbove));
    // Another node's rows may have reached it at other times: read it whole next.
    this.since = this.session.failovers === failovers ? rereadFrom(read.startedAt) : null;
    if (read.whole) this.lastWholeReadMs = nowMs;
    const rejected: RejectedCentralRow[] = [];
    return {
      hosts: this.hosts.take(read.hosts, read.whole, rejected),
      vms: this.vms.take(read.vms, read.whole, rejected),
      rejected,
      node: this.session.connectedTo,
    };
  }

  close(): void {
    this.session.drop();
  }
}

/** The DATETIME text CENTRAL_REREAD_MS before `startedAt` (the server's own text). */
function rereadFrom(startedAt: string): string | null {
  const started = mysqlTime.safeParse(startedAt);
  return started.success ? mysqlDatetime(started.data - CENTRAL_REREAD_MS) : null;
}

/**
 * Both tables, or their rows written since `since` when there are no more than
 * `wholeAbove` such VMs, as one consistent snapshot.
 */
async function readSnapshot(
  conn: Connection,
  since: string | null,
  wholeAbove: number,
): Promise<Snapshot> {
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
    const [hosts] = await conn.query(HOSTS_SQL + where, params);
    const [vms] = await conn.query(VMS_SQL + where, params);
    return { whole, hosts: hosts as unknown[], vms: vms as unknown[], startedAt };
  } finally {
    await conn.query('COMMIT');
  }
}
