// One modelled setmov agent for the central bench (bench/central.bench.ts): its own SQLite
// history, written as the agent's collector writes it (the collect sink: one transaction
// per host poll, maintenance every 250 ms at most), and its own MysqlSync. It owns a
// disjoint share of the simulated fleet's hosts. Run by plain node on an esbuild bundle,
// driven over the IPC channel (fork): see AgentCommand.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database, Statement } from 'better-sqlite3';
import { openCollectSink } from '../../src/store/collect-sink';
import type { CollectSink } from '../../src/store/collect-sink';
import { MysqlSync } from '../../src/store/mysql/mysql-sync';
import { parseMysqlUrl, targetKey } from '../../src/store/mysql/mysql-target';
import type { StoreEvent } from '../../src/store/store-events';
import type { HostSample, VmSample } from '../../src/shared/model/samples';
import type { SyncStatus } from '../../src/shared/model/sync-status';
import { makeHostSample, makeRandom, makeVmSample } from '../../test/store/sample-factory';

/** The hosts an agent owns: global indexes [from, to) of a fleet of `total` hosts. */
export interface FleetShare {
  from: number;
  to: number;
  total: number;
  vmsPerHost: number;
}

export type AgentCommand =
  /** Ingest at 1 s (each host at a phase of its own) and follow the target. */
  | {
      cmd: 'live';
      dbPath: string;
      share: FleetShare;
      url: string;
      resolutionSec: number;
      intervalMs: number;
      /** Delay before follow starts, ms (the agents' rounds spread over the interval). */
      followDelayMs: number;
      /** Adds the bench's (vm_id, ts) and (host_id, ts) indexes to the history first. */
      latestIndex: boolean;
    }
  /** Counters now (CPU, sync status), answered with the same id. */
  | { cmd: 'snap'; id: number }
  /**
   * Stops ingesting and following and answers `stopped`, then exits without waiting for
   * a round in flight (a round that is far behind can take minutes to catch up).
   */
  | { cmd: 'stop' }
  /** Writes `seconds` of the share's samples at 1 s ending at `endMs` (a backlog). */
  | { cmd: 'backlog'; dbPath: string; share: FleetShare; seconds: number; endMs: number }
  /** Adds the bench's latest-sample indexes to a history; answered with `ready`. */
  | { cmd: 'add-index'; dbPath: string }
  /** Opens a MysqlSync to the target over an existing history; answered with `ready`. */
  | { cmd: 'open'; dbPath: string; url: string }
  /** syncOnce on the opened sync until caught up; answered with `caught-up`. */
  | { cmd: 'go' }
  /**
   * One real-size agent (one host): for each history length, samples back to it, the
   * sync marked caught up, 5 s of new samples, and one timed syncOnce (raw).
   */
  | {
      cmd: 'history-round';
      dbPath: string;
      url: string;
      vmsPerHost: number;
      minutes: number[];
      thenIndex: boolean;
    }
  | { cmd: 'exit' };

export interface AgentCounters {
  /** process.cpuUsage of this process (every thread), ms */
  cpuMs: number;
  /** CPU of the collector side: making the samples, ingest and maintenance, ms */
  collectCpuMs: number;
  /** Samples ingested so far. */
  ingested: number;
  /** Host polls that fell a whole second behind and were skipped. */
  skippedPolls: number;
  status: SyncStatus | null;
  /**
   * The oldest sample not sent yet, read from the history now (above the watermarks the
   * sync keeps, as Outbox.oldestPendingAt reads it), ms since the epoch; null: none waits.
   * status().oldestPendingAt is the same figure as of the end of the last round.
   */
  pendingNowAt: number | null;
  /** CPU of reading pendingNowAt (the bench's probe, not the agent's work), ms */
  probeCpuMs: number;
  /** follow's rounds that ended (onRound calls), and the longest one so far, ms. */
  rounds: number;
  longestRoundMs: number;
  /** When the round in flight started (performance.now() of this process), or null. */
  roundAgeMs: number | null;
}

export interface HistoryRound {
  minutes: number;
  vmSamples: number;
  indexed: boolean;
  rows: number;
  wallMs: number;
  cpuMs: number;
}

export type AgentReply =
  | { type: 'started' }
  | ({ type: 'tick'; at: number } & AgentCounters)
  | ({ type: 'snap'; id: number; at: number } & AgentCounters)
  | ({ type: 'stopped'; at: number; errors: string[] } & AgentCounters)
  | { type: 'backlog-done'; samples: number; ms: number }
  | { type: 'ready' }
  | { type: 'caught-up'; rows: number; ms: number; errors: string[] }
  | { type: 'history-done'; rounds: HistoryRound[]; errors: string[] }
  | { type: 'failed'; error: string };

const send = (reply: AgentReply): void => {
  process.send?.(reply);
};

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Samples of a VM cycle through this many variants (figures differ from second to second). */
const VARIANTS = 8;

function hostIp(h: number): string {
  return `10.77.${Math.floor(h / 250)}.${(h % 250) + 1}`;
}

/**
 * What the bench adds to make the latest-figures lookup of the sync (outbox.ts: the newest
 * sample of each host and VM, `WHERE vm_id = ? ORDER BY ts DESC LIMIT 1`) an index seek.
 */
function addLatestIndexes(db: Database): void {
  db.exec(`CREATE INDEX IF NOT EXISTS bench_vm_samples_vm_ts ON vm_samples (vm_id, ts);
           CREATE INDEX IF NOT EXISTS bench_host_samples_host_ts ON host_samples (host_id, ts)`);
}

/** The share's hosts: identity, and pre-made samples whose ts is set at each poll. */
class FleetHosts {
  readonly hosts: {
    index: number;
    key: string;
    name: string;
    ip: string;
    host: HostSample[];
    vms: VmSample[][];
  }[] = [];

  constructor(readonly share: FleetShare) {
    for (let h = share.from; h < share.to; h++) {
      const rand = makeRandom(1000 + h);
      const name = `kvm-fleet-${String(h + 1).padStart(3, '0')}`;
      const ip = hostIp(h);
      const host = Array.from({ length: VARIANTS }, () => ({
        ...makeHostSample(0, rand, name),
        ip,
        vmCount: share.vmsPerHost,
      }));
      const vms = Array.from({ length: share.vmsPerHost }, (_, v) =>
        Array.from({ length: VARIANTS }, () =>
          makeVmSample(h * share.vmsPerHost + v, 0, rand, name),
        ),
      );
      this.hosts.push({ index: h, key: `fleet-host-${h + 1}`, name, ip, host, vms });
    }
  }

  identities(): StoreEvent[] {
    return this.hosts.map((h) => ({
      type: 'host-identity',
      host: { hostKey: h.key, name: h.name, ip: h.ip, cores: 32, memoryBytes: 256 * 2 ** 30 },
    }));
  }

  /** The host's phase in the second, ms: hosts poll at phases of their own. */
  phase(i: number): number {
    return Math.floor((this.hosts[i]!.index * 1000) / this.share.total);
  }

  /** One host's poll at ts: its sample and its VMs', as the engine hands them to the store. */
  poll(i: number, ts: number, write: (e: StoreEvent) => void): number {
    const h = this.hosts[i]!;
    const variant = Math.floor(ts / 1000) % VARIANTS;
    write({ type: 'host-sample', hostKey: h.key, sample: { ...h.host[variant]!, ts } });
    for (const series of h.vms) {
      write({
        type: 'vm-sample',
        hostKey: h.key,
        sample: { ...series[variant]!, ts, lastSeen: ts },
      });
    }
    return 1 + h.vms.length;
  }

  /** Every host's polls for the seconds [fromMs, toMs), one transaction per poll. */
  fill(s: CollectSink, fromMs: number, toMs: number): number {
    let samples = 0;
    for (let sec = fromMs; sec < toMs; sec += 1000) {
      for (let i = 0; i < this.hosts.length; i++) {
        samples += this.poll(i, sec + this.phase(i), (e) => s.write(e));
        s.flush();
      }
    }
    return samples;
  }
}

let sink: CollectSink | null = null;
let fleet: FleetHosts | null = null;
let sync: MysqlSync | null = null;
let abort: AbortController | null = null;
let pollTimer: NodeJS.Timeout | null = null;
let followTimer: NodeJS.Timeout | null = null;
let tickTimer: NodeJS.Timeout | null = null;
let collectCpuMs = 0;
let ingested = 0;
let skippedPolls = 0;
const errors = new Set<string>();
let target = '';
let probeCpuMs = 0;
let probes: Statement[] | null = null;

/** The history's oldest sample above the target's watermarks, as Outbox.oldestPendingAt reads it. */
function pendingNow(): number | null {
  const db = sink?.store.db;
  if (!db?.open || target === '') return null;
  const c0 = cpuMs();
  probes ??= (['host_samples', 'vm_samples'] as const).map((table) =>
    db.prepare(
      `SELECT ts FROM ${table} WHERE id > coalesce((SELECT value FROM sync_watermarks WHERE target = ? AND stream = '${table}'), 0) ORDER BY id LIMIT 1`,
    ),
  );
  let oldest: number | null = null;
  for (const probe of probes) {
    const row = probe.get(target) as { ts: number } | undefined;
    if (row && (oldest === null || row.ts < oldest)) oldest = row.ts;
  }
  probeCpuMs += cpuMs() - c0;
  return oldest;
}

function counters(): AgentCounters {
  return {
    cpuMs: cpuMs(),
    collectCpuMs,
    ingested,
    skippedPolls,
    status: sync?.status() ?? null,
    pendingNowAt: pendingNow(),
    probeCpuMs,
    rounds,
    longestRoundMs,
    roundAgeMs:
      sync?.status().state === 'syncing' ? Math.max(0, performance.now() - roundStartedAt) : null,
  };
}

function noteError(status: SyncStatus): void {
  if (status.lastError) errors.add(`${status.lastError.code}: ${status.lastError.message}`);
}

let rounds = 0;
let longestRoundMs = 0;
/** follow starts a round at once, then after each round's end and the interval's pause. */
let roundStartedAt = 0;
let pauseMs = 0;

/** follow's onRound: a round ended (the next starts after the interval's pause). */
function roundEnded(status: SyncStatus): void {
  noteError(status);
  rounds++;
  longestRoundMs = Math.max(longestRoundMs, performance.now() - roundStartedAt);
  roundStartedAt = performance.now() + pauseMs;
}

function openSink(path: string, share: FleetShare): CollectSink {
  mkdirSync(dirname(path), { recursive: true });
  sink = openCollectSink({ dbPath: path });
  fleet = new FleetHosts(share);
  for (const e of fleet.identities()) sink.write(e);
  sink.flush();
  return sink;
}

/** Each host polls once a second at its phase; a poll a whole second late is skipped. */
function startPolling(): void {
  const f = fleet!;
  const s = sink!;
  const base = Math.ceil(Date.now() / 1000) * 1000 + 1000;
  const due = f.hosts.map((_, i) => base + f.phase(i));
  const next = (): void => {
    const now = Date.now();
    for (let i = 0; i < due.length; i++) {
      if (due[i]! > now) continue;
      if (now - due[i]! >= 1000) {
        const behind = Math.floor((now - due[i]!) / 1000);
        skippedPolls += behind;
        due[i]! += behind * 1000;
      }
      const c0 = cpuMs();
      ingested += f.poll(i, Date.now(), (e) => s.write(e));
      s.flush();
      collectCpuMs += cpuMs() - c0;
      due[i]! += 1000;
    }
    pollTimer = setTimeout(next, Math.max(0, Math.min(...due) - Date.now()));
  };
  pollTimer = setTimeout(next, Math.max(0, base - Date.now()));
}

/** Marks every sample, host and VM of the history as sent to the target (a caught-up sync). */
function markCaughtUp(db: Database, key: string, now: number): void {
  const max = (sql: string) => (db.prepare(sql).get() as { v: number | null }).v ?? 0;
  const marks = {
    host_samples: max('SELECT max(id) AS v FROM host_samples'),
    vm_samples: max('SELECT max(id) AS v FROM vm_samples'),
    host_buckets: 0,
    vm_buckets: 0,
    hosts: max('SELECT max(seq) AS v FROM hosts'),
    vms: max('SELECT max(seq) AS v FROM vms'),
    audit: 0,
  };
  const set = db.prepare(
    'INSERT OR REPLACE INTO sync_watermarks (target, stream, value, updated_at) VALUES (?, ?, ?, ?)',
  );
  db.transaction(() => {
    for (const [stream, value] of Object.entries(marks)) set.run(key, stream, value, now);
  })();
}

async function historyRounds(
  c: Extract<AgentCommand, { cmd: 'history-round' }>,
): Promise<HistoryRound[]> {
  const share: FleetShare = { from: 0, to: 1, total: 1, vmsPerHost: c.vmsPerHost };
  const s = openSink(c.dbPath, share);
  const f = fleet!;
  const key = targetKey(parseMysqlUrl(c.url));
  sync = new MysqlSync({ dbPath: c.dbPath, target: parseMysqlUrl(c.url), password: '' });
  const rounds: HistoryRound[] = [];
  const origin = Math.floor(Date.now() / 1000) * 1000 - 30_000;
  let filledMin = 0;
  const timed = async (minutes: number, indexed: boolean): Promise<void> => {
    markCaughtUp(s.store.db, key, Date.now());
    // 5 s of new samples, the newest of the history: what one round of follow sends.
    const now = Math.floor(Date.now() / 1000) * 1000;
    f.fill(s, now, now + 5000);
    const c0 = cpuMs();
    const t0 = performance.now();
    const rows = await sync!.syncOnce();
    rounds.push({
      minutes,
      vmSamples: (s.store.db.prepare('SELECT count(*) AS n FROM vm_samples').get() as { n: number })
        .n,
      indexed,
      rows,
      wallMs: performance.now() - t0,
      cpuMs: cpuMs() - c0,
    });
  };
  // An untimed first round: connection, prepared statements, JIT, the central t1/t3 rows.
  f.fill(s, origin - 60_000, origin);
  markCaughtUp(s.store.db, key, Date.now());
  f.fill(s, origin + 1000, origin + 6000);
  await sync.syncOnce();
  filledMin = 1;
  for (const minutes of c.minutes) {
    // Older samples, back to `minutes` before origin (their ids are newer: ids only grow).
    f.fill(s, origin - minutes * 60_000, origin - filledMin * 60_000);
    filledMin = minutes;
    await timed(minutes, false);
  }
  if (c.thenIndex) {
    addLatestIndexes(s.store.db);
    await timed(filledMin, true);
  }
  noteError(sync.status());
  return rounds;
}

async function handle(c: AgentCommand): Promise<void> {
  switch (c.cmd) {
    case 'live': {
      const s = openSink(c.dbPath, c.share);
      if (c.latestIndex) addLatestIndexes(s.store.db);
      target = targetKey(parseMysqlUrl(c.url));
      sync = new MysqlSync({
        dbPath: c.dbPath,
        target: parseMysqlUrl(c.url),
        password: '',
        centralResolutionSec: c.resolutionSec,
        intervalMs: c.intervalMs,
      });
      startPolling();
      followTimer = setTimeout(() => {
        abort = new AbortController();
        pauseMs = c.intervalMs;
        roundStartedAt = performance.now();
        void sync!.follow(abort.signal, roundEnded);
      }, c.followDelayMs);
      tickTimer = setInterval(() => send({ type: 'tick', at: Date.now(), ...counters() }), 1000);
      send({ type: 'started' });
      return;
    }
    case 'snap':
      send({ type: 'snap', id: c.id, at: Date.now(), ...counters() });
      return;
    case 'stop': {
      if (pollTimer) clearTimeout(pollTimer);
      if (followTimer) clearTimeout(followTimer);
      if (tickTimer) clearInterval(tickTimer);
      abort?.abort();
      const final = counters();
      if (final.status) noteError(final.status);
      send({ type: 'stopped', at: Date.now(), errors: [...errors], ...final });
      // A round in flight is cut off: the server rolls its transaction back.
      setTimeout(() => process.exit(0), 100);
      return;
    }
    case 'backlog': {
      const t0 = performance.now();
      const s = openSink(c.dbPath, c.share);
      const samples = fleet!.fill(s, c.endMs - c.seconds * 1000, c.endMs);
      s.close();
      sink = null;
      send({ type: 'backlog-done', samples, ms: performance.now() - t0 });
      return;
    }
    case 'add-index': {
      const s = openCollectSink({ dbPath: c.dbPath });
      addLatestIndexes(s.store.db);
      s.close();
      send({ type: 'ready' });
      return;
    }
    case 'open':
      sync = new MysqlSync({ dbPath: c.dbPath, target: parseMysqlUrl(c.url), password: '' });
      send({ type: 'ready' });
      return;
    case 'go': {
      const t0 = performance.now();
      // One syncOnce sends until caught up; a failed round is tried again after a pause,
      // as follow would (what was committed stays counted in sentRows).
      for (let attempt = 1; attempt <= 5; attempt++) {
        try {
          await sync!.syncOnce();
          break;
        } catch {
          noteError(sync!.status());
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
      send({
        type: 'caught-up',
        rows: sync!.status().sentRows,
        ms: performance.now() - t0,
        errors: [...errors],
      });
      return;
    }
    case 'history-round': {
      const rounds = await historyRounds(c);
      send({ type: 'history-done', rounds, errors: [...errors] });
      return;
    }
    case 'exit':
      await sync?.close();
      sink?.close();
      process.exit(0);
  }
}

process.on('message', (message: AgentCommand) => {
  handle(message).catch((error: unknown) => {
    send({ type: 'failed', error: error instanceof Error ? error.message : String(error) });
  });
});
process.on('disconnect', () => process.exit(0));
