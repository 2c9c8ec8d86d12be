import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBed } from '../helpers/bed';
import { spawnCli } from '../helpers/spawn-cli';
import { freePort, startAgent as startAgentProcess, until } from '../helpers/agent-process';
import type { AgentProcess } from '../helpers/agent-process';
import { sharedMysql } from '../store/helpers/test-database';

/** One sample of a scrape, by name and label text: `setmov_agent_hosts{state="up"}`. */
function metric(text: string, series: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
}

/** The agent's scrape; '' while it does not answer. */
async function scrape(port: number): Promise<string> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    return response.ok ? await response.text() : '';
  } catch {
    return '';
  }
}

/**
 * The real agent process on the bed: it watches this machine (its /proc, and the bed's
 * guests through qemu:///system), keeps the history under its state directory, and syncs
 * it to the bed's MariaDB, in a database of its own made with `setmov sync --init`.
 */
describeBed('setmov agent, as a service would run it', (bed) => {
  const tmp = mkdtempSync(join(tmpdir(), 'setmov-agent-bed-'));
  const database = `setmov_agent_bed_${randomBytes(5).toString('hex')}`;
  const url = `mysql://root@127.0.0.1:3306/${database}`;
  const configPath = join(tmp, 'agent.json');
  const stateDir = join(tmp, 'state');
  const env = { ...process.env, SETMOV_MYSQL_PASSWORD: '' };
  // Read in the tests, not here: without the bed this body runs with none, to list them.
  const uuids = (): string[] => bed.domains.map((d) => d.uuid);
  let admin: mysql.Connection;
  let port = 0;
  const running = new Set<ChildProcess>();

  const writeConfig = (value: unknown): void =>
    writeFileSync(configPath, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  const config = (): unknown => ({
    stateDir,
    hosts: [{ name: 'bed host', libvirtUri: bed.libvirt.uri, pollIntervalSec: 1 }],
    sync: { url, resolution: 'raw', intervalSec: 1 },
    metrics: { port },
  });

  const startAgent = (): AgentProcess => startAgentProcess(configPath, env, running);

  /** The bed's guests' samples in the local history, as `uuid|ts`. */
  function localSamples(): Set<string> {
    const db = new Database(join(stateDir, 'setmov.db'), { readonly: true });
    try {
      const rows = db
        .prepare(
          `SELECT v.uuid AS uuid, s.ts AS ts FROM vm_samples s JOIN vms v ON v.id = s.vm_id
           WHERE v.uuid IN (${uuids()
             .map(() => '?')
             .join(',')})`,
        )
        .all(...uuids()) as { uuid: string; ts: number }[];
      return new Set(rows.map((r) => `${r.uuid}|${r.ts}`));
    } finally {
      db.close();
    }
  }

  /** The same guests' rows in the central t4, as `uuid|ts` (ts in ms, whatever the time zone). */
  async function centralSamples(): Promise<{ keys: Set<string>; rows: number }> {
    const [rows] = await admin.query(
      `SELECT uuid, TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', ts) DIV 1000 AS ts
       FROM ${database}.t4_vm_usage WHERE uuid IN (?)`,
      [uuids()],
    );
    const list = rows as { uuid: string; ts: number | string }[];
    return { keys: new Set(list.map((r) => `${r.uuid}|${Number(r.ts)}`)), rows: list.length };
  }

  beforeAll(async () => {
    port = await freePort();
    admin = await mysql.createConnection({ ...sharedMysql });
    const init = await spawnCli(
      ['sync', '--init', '--mysql', url, '--db', join(tmp, 'init.db')],
      env,
    );
    expect(init.err).toBe('');
    expect(init.code).toBe(0);
  });

  afterAll(async () => {
    for (const child of running) child.kill('SIGKILL');
    await admin?.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin?.end();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('collects and syncs, survives a bad reload and SIGKILL without loss, stops on SIGTERM within 3 s', async () => {
    writeConfig(config());
    const first = startAgent();

    // Collecting the bed host and its guests, and sending them.
    let text = '';
    await until('samples collected and rows sent', async () => {
      text = await scrape(port);
      return (
        (metric(text, 'setmov_agent_samples_collected_total') ?? 0) > 0 &&
        (metric(text, 'setmov_agent_sync_rows_sent_total') ?? 0) > 0
      );
    });
    expect(metric(text, 'setmov_agent_hosts{state="up"}')).toBe(1);
    expect(text).toMatch(
      /^setmov_agent_host_up\{host_id="[0-9a-f-]{36}",host_name="bed host"\} 1$/m,
    );
    expect(metric(text, 'setmov_agent_sync_error')).toBe(0);
    expect(metric(text, 'setmov_agent_buffer_bytes')).toBeGreaterThan(0);
    const status = await spawnCli(['agent', 'status', '--config', configPath], env);
    expect(status.out).toMatch(/^health: +ok$/m);
    expect(status.code).toBe(0);

    // A reload with an invalid file: one line, and the agent runs on as it was.
    writeConfig({ ...(config() as object), sync: { url, resolution: 'hourly' } });
    first.child.kill('SIGHUP');
    await until('the refused reload', async () => first.log().includes('reload refused'));
    expect(first.log()).toMatch(
      /reload refused, running on as before: .*sync\.resolution: expected one of raw, 10s, 1m\n/,
    );
    const collected = metric(await scrape(port), 'setmov_agent_samples_collected_total') ?? 0;
    await until('more samples after the refused reload', async () => {
      return (metric(await scrape(port), 'setmov_agent_samples_collected_total') ?? 0) > collected;
    });
    expect(first.child.exitCode).toBeNull();
    writeConfig(config());

    // SIGKILL mid-stream: whatever the local history holds then reaches the central t4.
    await until('a sync round that sent the guests', async () => (await centralSamples()).rows > 0);
    first.child.kill('SIGKILL');
    expect(await first.exited).toEqual([null, 'SIGKILL']);
    const atKill = localSamples();
    expect(atKill.size).toBeGreaterThan(0);
    const centralAtKill = (await centralSamples()).rows;

    const second = startAgent();
    let missing: string[] = [];
    await until('the history of before the kill, all of it centrally', async () => {
      const central = (await centralSamples()).keys;
      missing = [...atKill].filter((key) => !central.has(key));
      return missing.length === 0;
    });
    expect(missing).toEqual([]);
    // And it keeps going: rows of samples taken after the restart arrive too.
    await until(
      'new rows after the restart',
      async () => (await centralSamples()).rows > atKill.size,
    );
    const central = await centralSamples();
    expect(central.rows).toBe(central.keys.size);
    expect(central.rows).toBeGreaterThan(centralAtKill);

    // SIGTERM: flushed, closed and gone within 3 s, exit code 0.
    const asked = performance.now();
    second.child.kill('SIGTERM');
    const [code, signal] = await second.exited;
    const tookMs = performance.now() - asked;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(tookMs).toBeLessThan(3000);
    expect(second.log()).toMatch(/setmov agent: stopped\n$/);
    const after = await spawnCli(['agent', 'status', '--config', configPath], env);
    expect(after.code).toBe(1);
    expect(after.out).toMatch(/^agent: +not running: the agent stopped/m);
  }, 240_000);
});
