import type { Connection } from 'mysql2/promise';
import { z } from 'zod';
import { ClusterSession } from './cluster-session';
import type { MysqlLogin } from './mysql-session';

/** A host as the central database holds it: t1_host, times in ms since the epoch. */
export interface CentralHost {
  hostKey: string;
  hostIp: string;
  hostName: string;
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
const mysqlTime = z
  .string()
  .regex(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?$/, 'not a DATETIME')
  .transform((text, ctx) => {
    const ms = Date.parse(`${text.replace(' ', 'T')}Z`);
    if (Number.isNaN(ms)) {
      ctx.addIssue({ code: 'custom', message: `not a time: ${text}` });
      return z.NEVER;
    }
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

const LATEST = 'latest_ts, latest_cpu, latest_memory, latest_disk, latest_network';
// By primary key, whole: t1/t3 hold a row per host and VM (15,000 rows at 500 × 30),
// never the usage tables.
const HOSTS_SQL = `SELECT host_key, host_ip, host_name, vmc, cpu_cores, memory_bytes, updated_at, ${LATEST} FROM t1_host`;
const VMS_SQL = `SELECT uuid, host_key, name, state, connected_now, vcpus, lct, last_seen, updated_at, ${LATEST} FROM t3_vm`;

/**
 * Reads the fleet a console shows from the central database: every host and VM with its
 * newest figures, from t1/t3 only, in one consistent snapshot, through a read-only
 * account (it writes nothing). On a cluster it reads from one node and moves on to the
 * next when that one goes away. Each refresh says what changed since the one before,
 * so what is sent on to the pages is only that.
 */
export class CentralFleetReader {
  private readonly session: ClusterSession;
  private readonly hostPrints = new Map<string, string>();
  private readonly vmPrints = new Map<string, string>();

  constructor(login: MysqlLogin) {
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
    const { hosts, vms } = await this.readWhole();
    const rejected: RejectedCentralRow[] = [];
    const validHosts = validRows(hosts, hostRow, hostOf, 't1_host', 'host_key', rejected);
    const validVms = validRows(vms, vmRow, vmOf, 't3_vm', 'uuid', rejected);
    return {
      hosts: diff(this.hostPrints, validHosts, (h) => h.hostKey),
      vms: diff(this.vmPrints, validVms, (v) => v.uuid),
      rejected,
      node: this.session.connectedTo,
    };
  }

  close(): void {
    this.session.drop();
  }

  /** Both tables as the server has them, on the node in use or the next that answers. */
  private readWhole(): Promise<{ hosts: unknown[]; vms: unknown[] }> {
    return this.session.read(readSnapshot);
  }
}

async function readSnapshot(conn: Connection): Promise<{ hosts: unknown[]; vms: unknown[] }> {
  await conn.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
  try {
    const [hosts] = await conn.query(HOSTS_SQL);
    const [vms] = await conn.query(VMS_SQL);
    return { hosts: hosts as unknown[], vms: vms as unknown[] };
  } finally {
    await conn.query('COMMIT');
  }
}

function validRows<Schema extends z.ZodTypeAny, Row>(
  rows: unknown[],
  schema: Schema,
  make: (row: z.output<Schema>) => Row,
  table: RejectedCentralRow['table'],
  keyColumn: string,
  rejected: RejectedCentralRow[],
): Row[] {
  const valid: Row[] = [];
  for (const raw of rows) {
    const parsed = schema.safeParse(raw);
    if (parsed.success) {
      valid.push(make(parsed.data));
      continue;
    }
    const issue = parsed.error.issues[0];
    const key = String((raw as Record<string, unknown>)[keyColumn] ?? '?').slice(0, 64);
    rejected.push({ table, key, reason: `${issue?.path.join('.') ?? '?'}: ${issue?.message}` });
  }
  return valid;
}

/** The rows whose content differs from what `prints` says was seen, and the keys gone. */
function diff<Row>(
  prints: Map<string, string>,
  rows: Row[],
  keyOf: (row: Row) => string,
): { changed: Row[]; gone: string[] } {
  const changed: Row[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const key = keyOf(row);
    seen.add(key);
    const print = JSON.stringify(row);
    if (prints.get(key) === print) continue;
    prints.set(key, print);
    changed.push(row);
  }
  const gone = [...prints.keys()].filter((key) => !seen.has(key));
  for (const key of gone) prints.delete(key);
  return { changed, gone };
}
