import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { agentHealth, STATUS_STALE_AFTER_MS } from '../../src/agent/agent-health';
import {
  agentStatusPath,
  readAgentStatus,
  writeAgentStatus,
  type AgentStatus,
} from '../../src/agent/agent-status-file';
import { runCli } from '../helpers/run-cli';

const root = mkdtempSync(join(tmpdir(), 'setmov-agent-status-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const status = (overrides: Partial<AgentStatus> = {}): AgentStatus => ({
  version: 1,
  pid: process.pid,
  state: 'running',
  startedAt: Date.now() - 60_000,
  updatedAt: Date.now(),
  configPath: '/etc/setmov/agent.json',
  metricsUrl: null,
  hosts: [{ id: 'h1', name: 'this host', state: 'up', reason: null, lastError: null }],
  samplesCollected: 10,
  samplesDropped: 0,
  sync: {
    target: 'mysql://agent@db:3306/setmov',
    resolution: '10s',
    node: 'db:3306',
    state: 'idle',
    lagSeconds: 1,
    rowsPending: 2,
    rowsParked: 0,
    rowsSent: 30,
    failovers: 0,
    conflictRetries: 0,
    lastSuccessAt: Date.now(),
    lastError: null,
  },
  bufferBytes: 8192,
  lastError: null,
  ...overrides,
});

/** A pid no process has: one that just exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid ?? 0;
}

describe('the status file', () => {
  it('is replaced whole, 0644 whatever the umask, with no temporary file left', async () => {
    const dir = join(root, 'write');
    mkdirSync(dir);
    const path = agentStatusPath(dir);
    const old = process.umask(0o077);
    try {
      await writeAgentStatus(path, status({ samplesCollected: 1 }));
      await writeAgentStatus(path, status({ samplesCollected: 2 }));
    } finally {
      process.umask(old);
    }
    expect(statSync(path).mode & 0o777).toBe(0o644);
    expect(readdirSync(dir)).toEqual(['agent-status.json']);
    expect((await readAgentStatus(path))?.samplesCollected).toBe(2);
    expect(await readAgentStatus(join(dir, 'none.json'))).toBeUndefined();
  });
});

describe("the agent's health", () => {
  const now = Date.now();
  it('is ok when the agent runs and its sync is not in error', () => {
    expect(agentHealth(status(), now)).toEqual({ running: true, ok: true, problem: null });
    expect(agentHealth(status({ sync: { ...status().sync, state: 'syncing' } }), now).ok).toBe(
      true,
    );
  });

  it('is not ok when the sync fails, and says why', () => {
    const failing = status({
      sync: {
        ...status().sync,
        state: 'error',
        lastError: { code: 'auth-failed', message: 'denied', at: now },
      },
    });
    expect(agentHealth(failing, now)).toEqual({
      running: true,
      ok: false,
      problem: 'the sync fails: auth-failed: denied',
    });
  });

  it('is not running when stopped, dead or hung', async () => {
    expect(agentHealth(status({ state: 'stopped' }), now)).toMatchObject({
      running: false,
      problem: 'the agent stopped',
    });
    const pid = await deadPid();
    expect(agentHealth(status({ pid }), now)).toMatchObject({
      running: false,
      problem: `the agent (pid ${pid}) is not running`,
    });
    expect(
      agentHealth(status({ updatedAt: now - STATUS_STALE_AFTER_MS - 1000 }), now),
    ).toMatchObject({ running: false, problem: expect.stringMatching(/the agent hangs/) });
  });
});

describe('setmov agent status', () => {
  /** A configuration whose state directory holds this status (none: no file). */
  async function statusOf(
    name: string,
    written: AgentStatus | null,
    json = false,
  ): Promise<{ code: number; out: string }> {
    const stateDir = join(root, name);
    mkdirSync(stateDir, { recursive: true });
    const config = join(stateDir, 'agent.json');
    writeFileSync(
      config,
      JSON.stringify({ stateDir, hosts: [], sync: { url: 'mysql://a@db/setmov' } }),
    );
    if (written) await writeAgentStatus(agentStatusPath(stateDir), written);
    const { code, out, err } = await runCli([
      'agent',
      'status',
      '--config',
      config,
      ...(json ? ['--json'] : []),
    ]);
    expect(err).toBe('');
    return { code, out };
  }

  it('exits 0 and prints the state when the agent runs and syncs', async () => {
    const { code, out } = await statusOf('ok', status());
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`^agent: +running, pid ${process.pid}, since `, 'm'));
    expect(out).toMatch(/^ {2}this host {2}h1 {2}up$/m);
    expect(out).toMatch(/^sync: +idle, to mysql:\/\/agent@db:3306\/setmov at 10s, node db:3306$/m);
    expect(out).toMatch(/lag 1 s, 2 rows pending, 0 parked, 30 sent/);
    expect(out).toMatch(/^buffer: +8\.0 KiB/m);
    expect(out).toMatch(/^health: +ok$/m);
  });

  it('prints the status file as JSON with its health', async () => {
    const { code, out } = await statusOf('json', status(), true);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      pid: process.pid,
      sync: { rowsSent: 30 },
      health: { running: true, ok: true, problem: null },
    });
  });

  it('exits 1 when the sync is in error', async () => {
    const { code, out } = await statusOf(
      'sync-error',
      status({
        sync: {
          ...status().sync,
          state: 'error',
          lastError: { code: 'connection-refused', message: 'db:3306 refused', at: Date.now() },
        },
      }),
    );
    expect(code).toBe(1);
    expect(out).toMatch(/last error .*: connection-refused: db:3306 refused/);
    expect(out).toMatch(/^health: +not ok: the sync fails: connection-refused/m);
  });

  it('exits 1 when the agent is not running, or never ran', async () => {
    const dead = await statusOf('dead', status({ pid: await deadPid() }));
    expect(dead.code).toBe(1);
    expect(dead.out).toMatch(/^agent: +not running: the agent \(pid \d+\) is not running/m);
    expect((await statusOf('stopped', status({ state: 'stopped' }))).code).toBe(1);
    const never = await statusOf('never', null);
    expect(never.code).toBe(1);
    expect(never.out).toMatch(/^agent: not running \(no .*agent-status\.json/);
  });
});
