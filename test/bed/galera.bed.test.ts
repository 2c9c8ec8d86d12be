import { randomBytes } from 'node:crypto';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  clusterSize,
  describeGalera,
  killNode,
  nodePid,
  startNode,
  waitClusterSize,
  waitReady,
  withNode,
  wsrepStatus,
} from '../helpers/galera';
import type { GaleraNode } from '../helpers/galera';

/**
 * The bed's 3-node Galera cluster (test/bed/galera.sh): all three Synced in one
 * primary component, a row written on node1 read on node2 and node3, and a node killed
 * with SIGKILL that is started again, rejoins and holds the row written while it was down.
 */
describeGalera("the bed's Galera cluster", (cluster) => {
  let nodes: [GaleraNode, GaleraNode, GaleraNode];
  const db = `bed_galera_${randomBytes(5).toString('hex')}`;

  /** Reads through `node` after it has applied everything committed before (causal read). */
  const notes = (node: GaleraNode): Promise<string[]> =>
    withNode(node, async (conn) => {
      await conn.query('SET SESSION wsrep_sync_wait = 1');
      const [rows] = await conn.query<mysql.RowDataPacket[]>(
        `SELECT note FROM ${db}.t ORDER BY id`,
      );
      return rows.map((r) => String(r.note));
    });
  const write = (node: GaleraNode, id: number, note: string): Promise<unknown> =>
    withNode(node, (conn) =>
      conn.query(`INSERT INTO ${db}.t (id, note) VALUES (?, ?)`, [id, note]),
    );

  beforeAll(async () => {
    nodes = cluster();
    await withNode(nodes[0], async (conn) => {
      await conn.query(`CREATE DATABASE ${db}`);
      await conn.query(`CREATE TABLE ${db}.t (id INT PRIMARY KEY, note VARCHAR(64) NOT NULL)`);
    });
  });

  // Through the first node that answers: a test that failed half-way may leave one down.
  afterAll(async () => {
    if (!nodes) return;
    for (const node of nodes) {
      const dropped = await withNode(node, (conn) => conn.query(`DROP DATABASE IF EXISTS ${db}`))
        .then(() => true)
        .catch(() => false);
      if (dropped) break;
    }
  }, 60_000);

  it('has three Synced nodes in one primary component of size 3', async () => {
    const states = await Promise.all(nodes.map((node) => wsrepStatus(node)));
    expect(nodes.map((n) => n.port)).toEqual([4306, 4307, 4308]);
    for (const s of states) {
      expect(s.wsrep_ready).toBe('ON');
      expect(s.wsrep_connected).toBe('ON');
      expect(s.wsrep_local_state_comment).toBe('Synced');
      expect(s.wsrep_cluster_status).toBe('Primary');
      expect(Number(s.wsrep_cluster_size)).toBe(3);
    }
    // one cluster, not three clusters of one
    expect(new Set(states.map((s) => s.wsrep_cluster_state_uuid)).size).toBe(1);
    for (const node of nodes) expect(await clusterSize(node)).toBe(3);
  });

  it('replicates a row written on node1 to node2 and node3', async () => {
    await write(nodes[0], 1, 'written on node1');
    expect(await notes(nodes[1])).toEqual(['written on node1']);
    expect(await notes(nodes[2])).toEqual(['written on node1']);
  });

  it('restarts a node killed with SIGKILL: it rejoins and holds what was written while it was down', async () => {
    const [first, second, victim] = nodes;
    await killNode(victim);
    expect(nodePid(victim)).toBeNull();
    // The survivors evict it after evs.suspect_timeout (30 s) and go on as two.
    await waitClusterSize(first, 2, 120_000);
    await write(first, 2, 'written while node3 was down');
    expect(await notes(second)).toEqual(['written on node1', 'written while node3 was down']);

    await startNode(victim);
    expect(nodePid(victim)).not.toBeNull();
    await waitReady(victim, 180_000, 3);
    expect(await clusterSize(victim)).toBe(3);
    expect(await clusterSize(first)).toBe(3);
    expect(await notes(victim)).toEqual(['written on node1', 'written while node3 was down']);
    // and it takes writes again, seen by the others
    await write(victim, 3, 'written on node3 after its restart');
    expect(await notes(first)).toHaveLength(3);
  }, 400_000);
});
