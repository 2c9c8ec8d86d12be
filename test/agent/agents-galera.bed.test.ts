import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadBed } from '../helpers/bed';
import type { BedDescription } from '../helpers/bed';
import { bedAgentHosts, startAgent, until, writeAgentConfig } from '../helpers/agent-process';
import type { AgentProcess } from '../helpers/agent-process';
import { describeGalera, killNode, startNode, waitReady, withNode } from '../helpers/galera';
import type { GaleraNode } from '../helpers/galera';
import { spawnCli } from '../helpers/spawn-cli';
import { MysqlSync } from '../../src/store/mysql/mysql-sync';
import { parseMysqlUrl } from '../../src/store/mysql/mysql-target';
import { CentralFleetReader } from '../../src/store/mysql/central-fleet-reader';
import { agentStatusPath, readAgentStatus } from '../../src/agent/agent-status-file';
import type { AgentStatus } from '../../src/agent/agent-status-file';

const bed = loadBed();

/** (uuid, bucket end ms) → cpu in hundredths (null: not measured), from a history or t4. */
type Buckets = Map<string, number | null>;

/**
 * Two agents sync into the bed's 3-node Galera cluster at the default 10 s resolution: one
 * watches this machine (qemu:///system, the bed's guests), the other the bed's sshd as a
 * second host (the test driver's fleet of fake domains behind it). The node both write to
 * is killed with SIGKILL mid-sync; they move to the next node and go on; the node is
 * started again and rejoins. In the end every node holds exactly the two local histories'
 * 10 s buckets, with their averages: none lost, none twice, the same on all three.
 */
describeGalera('two setmov agents on a Galera cluster that loses a node', (cluster) => {
  const b = bed as BedDescription;
  const tmp = mkdtempSync(join(tmpdir(), 'setmov-agents-galera-'));
  const database = `setmov_agents_galera_${randomBytes(5).toString('hex')}`;
  const env = { ...process.env, SETMOV_MYSQL_PASSWORD: '' };
  const running = new Set<ChildProcess>();
  let url = '';

  const agentDir = (name: string): string => join(tmp, name);
  /** The agent's sync status as it last wrote it; throws until it has written one. */
  const syncOf = async (name: string): Promise<AgentStatus['sync']> => {
    const status = await readAgentStatus(agentStatusPath(join(agentDir(name), 'state')));
    if (!status) throw new Error(`agent ${name} has written no status yet`);
    return status.sync;
  };
  const rowsSent = (names: readonly string[]): Promise<number[]> =>
    Promise.all(names.map(async (n) => (await syncOf(n)).rowsSent));

  /** Writes the agent's configuration in a folder of its own; returns its path. */
  const configure = (name: string, host: unknown): string =>
    writeAgentConfig(agentDir(name), host, url);

  /** The history's 10 s buckets of every VM, as the sync averages them. */
  function localBuckets(name: string): Buckets {
    const db = new Database(join(agentDir(name), 'state', 'setmov.db'), { readonly: true });
    try {
      const rows = db
        .prepare(
          `SELECT v.uuid, ((s.ts + 9999) / 10000) * 10000 AS bucket, CAST(round(avg(s.cpu_host)) AS INTEGER) AS cpu
             FROM vm_samples s JOIN vms v ON v.id = s.vm_id GROUP BY v.uuid, bucket`,
        )
        .all() as { uuid: string; bucket: number; cpu: number | null }[];
      return new Map(rows.map((r) => [`${r.uuid}|${r.bucket}`, r.cpu]));
    } finally {
      db.close();
    }
  }

  /** t4 as one node holds it, after that node applied everything committed before. */
  async function centralBuckets(node: GaleraNode): Promise<Buckets> {
    return withNode(node, async (conn) => {
      await conn.query('SET SESSION wsrep_sync_wait = 1');
      const [rows] = await conn.query<mysql.RowDataPacket[]>(
        `SELECT uuid, TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', ts) DIV 1000 AS ts,
             round(cpu * 100) AS cpu FROM ${database}.t4_vm_usage`,
      );
      return new Map(
        rows.map((r) => [
          `${String(r.uuid)}|${Number(r.ts)}`,
          r.cpu === null ? null : Number(r.cpu),
        ]),
      );
    });
  }

  beforeAll(async () => {
    const nodes = cluster();
    url = `mysql://root@${nodes.map((n) => `${n.host}:${n.port}`).join(',')}/${database}`;
    const init = await spawnCli(
      ['sync', '--init', '--mysql', url, '--db', join(tmp, 'init.db')],
      env,
    );
    expect(init.err).toBe('');
    expect(init.code).toBe(0);
  }, 240_000);

  afterAll(async () => {
    for (const child of running) child.kill('SIGKILL');
    await withNode(cluster()[1], (conn) => conn.query(`DROP DATABASE IF EXISTS ${database}`)).catch(
      () => undefined,
    );
    rmSync(tmp, { recursive: true, force: true });
  }, 240_000);

  it('fail over, lose nothing, write nothing twice, and leave three identical nodes', async () => {
    const nodes = cluster();
    const bedHosts = bedAgentHosts(b);
    const local = configure('local', bedHosts.local);
    const remote = configure('remote', bedHosts.remote);
    const agents: Record<'local' | 'remote', AgentProcess> = {
      local: startAgent(local, env, running),
      remote: startAgent(remote, env, running),
    };
    const names = ['local', 'remote'] as const;
    const first = `${nodes[0].host}:${nodes[0].port}`;
    await until(
      'both agents syncing to the first node',
      async () => {
        const syncs = await Promise.all(names.map((n) => syncOf(n).catch(() => null)));
        return syncs.every((s) => s?.node === first && s.rowsSent > 0);
      },
      90_000,
    );

    // A console reads the fleet through the same node list: both agents' hosts and VMs.
    const fleet = new CentralFleetReader({
      target: parseMysqlUrl(url),
      password: '',
      connectTimeoutMs: 5000,
    });
    const seen = await fleet.refresh();
    expect(seen.node).toBe(first);
    expect(seen.hosts.changed).toHaveLength(2);
    expect(seen.rejected).toEqual([]);
    const bedUuids = b.domains.map((d) => d.uuid);
    expect(seen.vms.changed.map((v) => v.uuid)).toEqual(expect.arrayContaining(bedUuids));

    // The node they write to, and the console reads from, dies mid-sync.
    await killNode(nodes[0]);
    const sentAtKill = await rowsSent(names);
    await until(
      'both agents on another node, sending again',
      async () => {
        const syncs = await Promise.all(names.map(syncOf));
        return syncs.every(
          (s, i) => s.node !== first && s.failovers >= 1 && s.rowsSent > (sentAtKill[i] ?? 0),
        );
      },
      90_000,
    );
    for (const n of names) expect(agents[n].child.exitCode).toBeNull();
    // The console's next refresh reads on another node; the figures go on moving.
    const after = await fleet.refresh();
    expect(after.node).not.toBe(first);
    expect(fleet.failovers).toBe(1);
    expect(after.hosts.gone).toEqual([]);
    expect(after.vms.changed.length).toBeGreaterThan(0);
    fleet.close();

    // It comes back and rejoins; the agents go on where they are.
    await startNode(nodes[0]);
    await waitReady(nodes[0], 180_000, 3);
    const sentAtRejoin = await rowsSent(names);
    await until('more rows after the rejoin', async () =>
      (await rowsSent(names)).every((sent, i) => sent > (sentAtRejoin[i] ?? 0)),
    );

    for (const n of names) {
      agents[n].child.kill('SIGTERM');
      expect(await agents[n].exited).toEqual([0, null]);
    }
    // What the agents had not sent when they stopped (the open buckets): one last
    // round as the agent would make it, with every bucket closed.
    for (const n of names) {
      const sync = new MysqlSync({
        dbPath: join(agentDir(n), 'state', 'setmov.db'),
        target: parseMysqlUrl(url),
        password: '',
        centralResolutionSec: 10,
        now: () => Date.now() + 60_000,
      });
      try {
        await sync.syncOnce();
      } finally {
        await sync.close();
      }
    }

    const [mine, theirs] = [localBuckets('local'), localBuckets('remote')];
    const expected: Buckets = new Map([...mine, ...theirs]);
    // The agents' VMs are their own (the bed's guests, the fleet's fakes), and each has some.
    expect(mine.size).toBeGreaterThan(b.domains.length);
    expect(theirs.size).toBeGreaterThan(0);
    expect(expected.size).toBe(mine.size + theirs.size);
    for (const node of nodes) {
      const central = await centralBuckets(node);
      const missing = [...expected.keys()].filter((k) => !central.has(k));
      const extra = [...central.keys()].filter((k) => !expected.has(k));
      const wrong = [...expected].filter(([k, cpu]) => central.has(k) && central.get(k) !== cpu);
      expect({ node: node.name, missing, extra, wrong }).toEqual({
        node: node.name,
        missing: [],
        extra: [],
        wrong: [],
      });
    }
    // Two hosts of one machine: one address, two identities, two t1 rows.
    const hosts = await withNode(nodes[2], async (conn) => {
      const [rows] = await conn.query<mysql.RowDataPacket[]>(
        `SELECT host_key, host_ip FROM ${database}.t1_host`,
      );
      return rows;
    });
    expect(hosts).toHaveLength(2);
    expect(new Set(hosts.map((h) => String(h.host_key))).size).toBe(2);
  }, 600_000);
});
