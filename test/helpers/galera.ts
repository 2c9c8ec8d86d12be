import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll } from 'vitest';
import { bedMissingMessage, describeNeeding, loadBed } from './bed';
import type { BedDescription, BedGaleraNode } from './bed';

/**
 * The bed's 3-node Galera cluster (test/bed/galera.sh, bed.json's "galera"): its nodes,
 * killing one with SIGKILL, starting it again as a joiner, and waiting for it to be back.
 */

const run = promisify(execFile);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A node with what it takes to reach it and to start it again. */
export interface GaleraNode extends BedGaleraNode {
  user: string;
  password: string;
  /** test/bed/galera.sh */
  controlScript: string;
}

/** Why the bed's Galera tests cannot run (null when they can): for describeNeeding. */
export function galeraMissing(bed: BedDescription | null): string | null {
  if (bed?.galera) return null;
  return 'the test bed has no Galera cluster (bed.json without "galera"): run `npm run testbed:up` again';
}

/** The cluster's three nodes, node1 first. */
export function galeraNodes(bed: BedDescription): [GaleraNode, GaleraNode, GaleraNode] {
  const galera = bed.galera;
  if (!galera) throw new Error(galeraMissing(bed) ?? 'no Galera cluster');
  const [a, b, c, ...more] = galera.nodes.map((node): GaleraNode => ({
    ...node,
    user: galera.user,
    password: galera.password,
    controlScript: galera.controlScript,
  }));
  if (!a || !b || !c || more.length > 0)
    throw new Error(`bed.json's galera has ${galera.nodes.length} nodes, not 3`);
  return [a, b, c];
}

/** A connection to the node as root (empty password); end it when done. */
export function connectNode(node: GaleraNode): Promise<mysql.Connection> {
  return mysql.createConnection({
    host: node.host,
    port: node.port,
    user: node.user,
    password: node.password,
    connectTimeout: 5000,
  });
}

/** Runs `fn` on a fresh connection to the node and closes it. */
export async function withNode<T>(
  node: GaleraNode,
  fn: (conn: mysql.Connection) => Promise<T>,
): Promise<T> {
  const conn = await connectNode(node);
  try {
    return await fn(conn);
  } finally {
    await conn.end().catch(() => conn.destroy());
  }
}

/** The node's wsrep_* status variables (SHOW GLOBAL STATUS answers even while it joins). */
export async function wsrepStatus(node: GaleraNode): Promise<Record<string, string>> {
  return withNode(node, async (conn) => {
    const [rows] = await conn.query<mysql.RowDataPacket[]>("SHOW GLOBAL STATUS LIKE 'wsrep_%'");
    return Object.fromEntries(rows.map((r) => [String(r.Variable_name), String(r.Value)]));
  });
}

/** wsrep_cluster_size as the node sees it. */
export async function clusterSize(node: GaleraNode): Promise<number> {
  return Number((await wsrepStatus(node)).wsrep_cluster_size);
}

/** The pid in the node's pid file, when that process still runs (a zombie does not count). */
export function nodePid(node: GaleraNode): number | null {
  if (!existsSync(node.pidFile)) return null;
  const pid = Number(readFileSync(node.pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    // the state letter follows the parenthesised command name
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return null;
    return cmdline.includes(node.cnf) ? pid : null;
  } catch {
    return null;
  }
}

/** Kills the node's mariadbd with SIGKILL and waits until it is gone. */
export async function killNode(node: GaleraNode, timeoutMs = 10_000): Promise<void> {
  const pid = nodePid(node);
  if (pid === null) throw new Error(`${node.name} does not run (pid file ${node.pidFile})`);
  process.kill(pid, 'SIGKILL');
  const deadline = Date.now() + timeoutMs;
  while (nodePid(node) !== null) {
    if (Date.now() > deadline) throw new Error(`${node.name} (pid ${pid}) outlived SIGKILL`);
    await sleep(50);
  }
}

/**
 * Starts a node that was killed or stopped, as a joiner of the running nodes (it
 * bootstraps only when none runs), by `galera.sh start-node N`: as the mysql user, with
 * the same settings as the bed's bring-up. Returns once mariadbd runs; see waitReady.
 */
export async function startNode(node: GaleraNode): Promise<void> {
  await run('bash', [node.controlScript, 'start-node', String(node.index)], { timeout: 60_000 });
}

/**
 * Waits until the node says wsrep_ready=ON and wsrep_local_state_comment=Synced (and,
 * when `size` is given, wsrep_cluster_size=size); throws after timeoutMs with what it
 * last said and the tail of its error log.
 */
export async function waitReady(node: GaleraNode, timeoutMs: number, size?: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    try {
      const s = await wsrepStatus(node);
      last = `wsrep_ready=${s.wsrep_ready}, ${s.wsrep_local_state_comment}, cluster size ${s.wsrep_cluster_size}, ${s.wsrep_cluster_status}`;
      if (
        s.wsrep_ready === 'ON' &&
        s.wsrep_local_state_comment === 'Synced' &&
        (size === undefined || Number(s.wsrep_cluster_size) === size)
      )
        return;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline) {
      const log = existsSync(node.errorLog)
        ? readFileSync(node.errorLog, 'utf8').split('\n').slice(-15).join('\n')
        : '(no error log)';
      throw new Error(
        `${node.name} (${node.host}:${node.port}) not ready within ${timeoutMs} ms: ${last}\n${node.errorLog}:\n${log}`,
      );
    }
    await sleep(1000);
  }
}

/** Waits until the node sees a cluster of `size` nodes (a killed one is evicted after evs.suspect_timeout, 30 s). */
export async function waitClusterSize(
  node: GaleraNode,
  size: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = NaN;
  for (;;) {
    last = await clusterSize(node).catch(() => NaN);
    if (last === size) return;
    if (Date.now() > deadline)
      throw new Error(`${node.name}: cluster size ${last}, not ${size}, after ${timeoutMs} ms`);
    await sleep(500);
  }
}

/** Starts every node an earlier run left down, then waits until all three are Synced together. */
export async function wholeCluster(nodes: readonly GaleraNode[]): Promise<void> {
  for (const node of nodes) if (nodePid(node) === null) await startNode(node);
  await Promise.all(nodes.map((node) => waitReady(node, 180_000, nodes.length)));
}

/**
 * describe() for tests on the bed's cluster (skipped or failed as describeNeeding says
 * when the bed or its cluster is missing): the three nodes, all Synced in one cluster
 * before the tests, and brought back after them whatever the tests did to them.
 */
export function describeGalera(
  name: string,
  body: (nodes: () => [GaleraNode, GaleraNode, GaleraNode]) => void,
): void {
  const bed = loadBed();
  describeNeeding(name, bed ? galeraMissing(bed) : bedMissingMessage, () => {
    let nodes: [GaleraNode, GaleraNode, GaleraNode] | undefined;
    beforeAll(async () => {
      nodes = galeraNodes(bed as BedDescription);
      await wholeCluster(nodes);
    }, 240_000);
    afterAll(async () => {
      if (nodes) await wholeCluster(nodes);
    }, 240_000);
    body(() => {
      if (!nodes) throw new Error('the cluster is not set up yet');
      return nodes;
    });
  });
}
