import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createBackend } from '../../src/backend/backend';
import { loadSettings } from '../../src/backend/settings-file';
import { loadHosts } from '../../src/collector/hosts-config/hosts-config';
import { requestSchemas } from '../../src/shared/contract/schemas';
import { makeRandom } from '../store/sample-factory';
import { MemorySecretStore } from '../backend/memory-secret-store';

/**
 * Every contract request, sent with hostile params by a caller holding the admin token:
 * huge, deeply nested, of the wrong type, with __proto__ and constructor keys, paths to
 * devices, escapes, and each one several times at once. Properties, not answers: no
 * reply is an internal error, health answers within 100 ms throughout, memory stays
 * bounded, and whatever was saved loads again.
 *
 * Hosts and MySQL targets that would pass validation are pointed at 127.0.0.1 port 1,
 * so nothing here ever leaves the machine. A bed test for its timing: the bed files run
 * one at a time, so health's latency is the server's, not that of tests running beside.
 */

const UUID = '5e7a0b0d-0000-4000-8000-000000000001';
const HEALTH_BUDGET_MS = 100;
const ROUNDS = 6;
const RSS_GROWTH_LIMIT_BYTES = 256 * 1024 * 1024;

/** Where a `setmov serve` in a child process listens, and its admin token. */
interface Served {
  child: ChildProcess;
  url: string;
  token: string;
}

/** The real `setmov serve` in a process of its own, with its config and history in dir. */
function startServeChild(dir: string): Promise<Served> {
  const child = spawn(
    process.execPath,
    [
      join(import.meta.dirname, '../cli/serve-in-child.mjs'),
      '--port',
      '0',
      '--db',
      join(dir, 'history.db'),
    ],
    {
      env: {
        ...process.env,
        XDG_CONFIG_HOME: join(dir, 'config'),
        XDG_DATA_HOME: join(dir, 'data'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += String(chunk);
      const match = /SETMOV console at (\S+)/.exec(stdout);
      if (!match?.[1]) return;
      clearTimeout(timer);
      const url = new URL(match[1]);
      resolve({ child, url: `${url.origin}/`, token: url.searchParams.get('token') ?? '' });
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
}

/** A process's resident memory, bytes, from /proc. */
function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) * 1024;
}

/**
 * Health probed from a thread of its own every 50 ms: the fuzzing thread builds and
 * parses large frames, which must not count as the server's latency.
 */
async function startHealthProbe(server: Served): Promise<{ stop: () => Promise<number[]> }> {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const latencies = [];
     let running = true;
     parentPort.on('message', () => { running = false; });
     const probe = () => fetch(workerData.url + 'api/health', {
       headers: { authorization: 'Bearer ' + workerData.token },
     });
     (async () => {
       // The thread's first fetch loads its HTTP client (half a second): not the server's time.
       await (await probe()).text();
       parentPort.postMessage('ready');
       while (running) {
         const started = performance.now();
         const response = await probe();
         await response.text();
         latencies.push(response.status === 200 ? performance.now() - started : Infinity);
         await new Promise((resolve) => setTimeout(resolve, 50));
       }
       parentPort.postMessage(latencies);
     })();`,
    { eval: true, workerData: { url: server.url, token: server.token } },
  );
  await new Promise((resolve) => worker.once('message', resolve));
  return {
    stop: () =>
      new Promise((resolve) => {
        worker.once('message', (latencies: number[]) => {
          void worker.terminate();
          resolve(latencies);
        });
        worker.postMessage('stop');
      }),
  };
}

/** A valid request of each name: the starting point the mutations spoil. */
const validParams: Record<string, unknown> = {
  'hosts.add': {
    name: 'fz',
    ssh: { host: '127.0.0.1', port: 1, username: 'u', auth: { method: 'agent' } },
  },
  'hosts.update': { id: 'fz', pollIntervalSec: 5 },
  'hosts.remove': { id: 'fz' },
  'hosts.test': { id: 'fz' },
  'hosts.acceptKey': { id: 'fz', fingerprint: `SHA256:${'A'.repeat(43)}` },
  history: {
    entity: { kind: 'vm', uuid: UUID },
    metrics: ['cpuHostPercent'],
    fromMs: 0,
    toMs: Date.now(),
    maxPoints: 100,
  },
  'history.devices': { entity: { kind: 'vm', uuid: UUID }, fromMs: 0, toMs: 1e12, maxPoints: 10 },
  'vm.events': { uuid: UUID, limit: 10 },
  'host.events': { id: 'fz', limit: 10 },
  'settings.set': { theme: 'dark', analysis: { idleDays: 3 } },
  'events.subscribe': { topics: ['overview', `vm:${UUID}`] },
  'sync.set': { url: 'mysql://root@127.0.0.1:1/fz', tlsCaFile: null, enabled: false },
  'sync.test': { url: 'mysql://root@127.0.0.1:1/fz', tlsCaFile: '/dev/zero' },
  'central.set': {
    url: 'mysql://root@127.0.0.1:1/fz',
    tlsCaFile: null,
    enabled: true,
    refreshSec: 2,
    staleAfterSec: 60,
  },
  'central.test': { url: 'mysql://root@127.0.0.1:1/fz', tlsCaFile: '/dev/zero' },
  export: { entity: { kind: 'vm', uuid: UUID }, fromMs: 0, toMs: 1e12, format: 'csv' },
  'analysis.run': { windowMs: 3_600_000 },
  'analysis.preview': { id: `${UUID}:less-memory`, windowMs: 3_600_000, scope: 'live' },
  'analysis.apply': { id: `${UUID}:less-memory`, windowMs: 3_600_000, scope: 'live' },
  'analysis.memoryVsDisk': { uuid: UUID, windowMs: 3_600_000 },
  'audit.list': { uuid: UUID, limit: 5 },
};

const hostileStrings = [
  '',
  ' \t ',
  'x'.repeat(70_000),
  '__proto__',
  'constructor',
  '../../../../etc/passwd',
  '/dev/zero',
  '/dev/stdin',
  '~/.ssh/id_ed25519',
  'qemu:///system?netcat=perl&socket=-esystem("id")',
  'qemu+ssh://root@127.0.0.1:1/system?keyfile=/etc/shadow',
  'mysql://root@[::1]:1/db',
  'mysql://a%3Ab@127.0.0.1:1/db',
  'mysql://a%E0%A4%A@127.0.0.1:1/db',
  '\u0000',
  '\u001b]0;owned\u0007\u001b[2J',
  '\u202eevil',
  "'; DROP TABLE hosts; --",
  '=cmd|"/c calc"!A1',
  '🙂'.repeat(2000),
  'host:*a*a*a*a*a*a*a*a*a*b',
];

function deep(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = i % 2 ? { a: value } : [value];
  return value;
}

/** A hostile value of any type. */
function hostileValue(rand: () => number): unknown {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  switch (Math.floor(rand() * 10)) {
    case 0:
      return pick(hostileStrings);
    case 1:
      return pick([0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 53, 1e-9]);
    case 2:
      return pick([null, true, false, [], {}, [[]], ['x'], [1, 2, 3]]);
    case 3:
      return Array.from({ length: 20_000 }, (_, i) => `t${i}`);
    case 4:
      return deep(1_000);
    case 5:
      return JSON.parse(
        '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}',
      );
    case 6:
      return { toString: 'x', valueOf: 1, hasOwnProperty: null };
    default:
      return pick(hostileStrings);
  }
}

/** Keeps every target a valid request could name on this machine's port 1. */
function onLoopbackOnly(params: unknown): unknown {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return params;
  const copy: Record<string, unknown> = { ...(params as Record<string, unknown>) };
  if (typeof copy.url === 'string') copy.url = 'mysql://root@127.0.0.1:1/fz';
  const ssh = copy.ssh;
  if (typeof ssh === 'object' && ssh !== null && !Array.isArray(ssh)) {
    copy.ssh = { ...(ssh as object), host: '127.0.0.1', port: 1 };
  }
  return copy;
}

/** The params of one fuzzed request: a valid one with a field spoiled, or anything at all. */
function fuzzParams(name: string, rand: () => number): unknown {
  const base = validParams[name];
  if (base === undefined || typeof base !== 'object' || rand() < 0.3) return hostileValue(rand);
  const spoiled: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  const keys = Object.keys(spoiled);
  const key = keys[Math.floor(rand() * keys.length)] ?? 'x';
  const roll = rand();
  if (roll < 0.15) {
    Object.defineProperty(spoiled, '__proto__', { value: { admin: true }, enumerable: true });
  } else if (roll < 0.3) {
    spoiled[`extra${Math.floor(rand() * 10)}`] = hostileValue(rand);
  } else {
    spoiled[key] = hostileValue(rand);
  }
  return onLoopbackOnly(spoiled);
}

/**
 * A page's WebSocket that opens again after the server closed it: a frame over the size
 * limit is answered by closing the socket (1009), and its requests by nothing.
 */
class PageSockets {
  private socket: Promise<WebSocket> | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, (reply: unknown) => void>();
  readonly closeCodes: number[] = [];

  constructor(private readonly server: Served) {}

  private open(): Promise<WebSocket> {
    const socket = new WebSocket(`${this.server.url.replace(/^http/, 'ws')}api/ws`, {
      headers: { authorization: `Bearer ${this.server.token}` },
    });
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { id: number | null; reply?: unknown };
      if (typeof frame.id === 'number') this.settle(frame.id, frame.reply);
    });
    socket.on('error', () => undefined);
    socket.on('close', (code) => {
      this.closeCodes.push(code);
      this.socket = null;
      for (const id of [...this.pending.keys()]) this.settle(id, { closed: code });
    });
    return new Promise((resolve, reject) =>
      socket.once('open', () => resolve(socket)).once('error', reject),
    );
  }

  private settle(id: number, reply: unknown): void {
    this.pending.get(id)?.(reply);
    this.pending.delete(id);
  }

  async request(name: string, params: unknown): Promise<unknown> {
    const socket = await (this.socket ??= this.open());
    const id = this.nextId++;
    const answered = new Promise<unknown>((resolve) => this.pending.set(id, resolve));
    socket.send(JSON.stringify({ id, name, params }));
    return answered;
  }

  close(): void {
    void this.socket?.then((socket) => socket.close());
  }
}

describe('the contract under hostile params', () => {
  let dir: string;
  let server: Served;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'setmov-fuzz-'));
    server = await startServeChild(dir);
  }, 90_000);

  afterAll(() => {
    server?.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every request without an internal error, health stays quick, memory bounded, files load again', async () => {
    const rand = makeRandom(20261206);
    const names = [...Object.keys(requestSchemas), 'no.such.request', '__proto__', 'constructor'];
    const pid = server.child.pid ?? 0;
    const rssBefore = rssBytes(pid);
    let rssPeak = rssBefore;

    const pages = new PageSockets(server);
    const overWs = (name: string, params: unknown) => pages.request(name, params);
    const overHttp = async (name: string, params: unknown): Promise<unknown> => {
      const response = await fetch(`${server.url}api/request`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${server.token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ name, params }),
      });
      return response.json();
    };

    const replies: unknown[] = [];
    /** Every request name once, each sent three times at once (one WebSocket write, and HTTP). */
    const round = async (): Promise<void> => {
      for (const name of names) {
        const params = fuzzParams(name, rand);
        replies.push(
          ...(await Promise.all([
            overWs(name, params),
            overWs(name, params),
            overHttp(name, params),
          ])),
        );
        rssPeak = Math.max(rssPeak, rssBytes(pid));
      }
    };
    // A first round unmeasured: the CLI runs its sources through tsx, and a module
    // imported on first use (ssh2 on the first SSH connection) is loaded then, once.
    await round();
    const probe = await startHealthProbe(server);
    for (let measured = 0; measured < ROUNDS - 1; measured++) await round();
    const latencies = await probe.stop();
    pages.close();

    const internal = replies.filter(
      (reply) => (reply as { error?: { code?: string } }).error?.code === 'internal',
    );
    expect(internal).toEqual([]);
    // A socket is closed only for a frame over the size limit (1009), never otherwise.
    expect(pages.closeCodes.filter((code) => code !== 1009)).toEqual([]);
    expect(server.child.exitCode).toBeNull();
    expect(replies.length).toBe(names.length * ROUNDS * 3);
    expect(latencies.length).toBeGreaterThan(10);
    expect(Math.max(...latencies)).toBeLessThan(HEALTH_BUDGET_MS);
    expect(rssPeak - rssBefore).toBeLessThan(RSS_GROWTH_LIMIT_BYTES);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    // What the requests saved is what the next start reads.
    server.child.kill('SIGINT');
    await new Promise((resolve) => server.child.once('exit', resolve));
    await expect(loadHosts(join(dir, 'config', 'hosts.json'))).resolves.toBeInstanceOf(Array);
    await expect(loadSettings(join(dir, 'config', 'settings.json'))).resolves.toBeTypeOf('object');
    const again = await createBackend({
      appVersion: { version: '0.0.0-fuzz', name: 'setmov' },
      dbPath: join(dir, 'again.db'),
      configDir: join(dir, 'config'),
      secrets: new MemorySecretStore(),
    });
    await again.close();
  }, 180_000);
});
