import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bedAgentHosts, startAgent, until, writeAgentConfig } from '../helpers/agent-process';
import type { AgentProcess } from '../helpers/agent-process';
import { loadBed } from '../helpers/bed';
import type { BedDescription } from '../helpers/bed';
import { describeGalera, killNode, startNode, waitReady, withNode } from '../helpers/galera';
import { rfbConnect } from '../helpers/rfb-client';
import { spawnCli } from '../helpers/spawn-cli';
import { virsh } from '../helpers/virsh';
import { agentStatusPath, readAgentStatus } from '../../src/agent/agent-status-file';
import { chromiumArgs, chromiumPath } from './chromium';
import { ensureBuild, projectRoot } from './ensure-build';
import { startServe } from './serve-process';
import type { ServeProcess } from './serve-process';

const bed = loadBed();
const screenshotDir = join(projectRoot, 'out', 'screenshots');
const STALE_AFTER_SEC = 15;

/** A host as the console's inventory answers it, the little this test reads of it. */
interface InventoryHostSeen {
  id: string;
  name: string;
  source: 'local' | 'central';
  vms: { uuid: string; name: string }[];
}

/**
 * A team's console: two agents write the bed's hosts (this machine's guests, and the
 * fleet behind the bed's sshd) into the bed's Galera cluster; `setmov serve --config`
 * naming the cluster, through a read-only user and watching no host itself, shows them
 * in Chromium. An RFB client's connect reaches it as the last connect, a desktop's link
 * opens its hour of history from the central tables, an agent that stops turns its host
 * stale, and the death of the node the console reads from shows as a note, nothing else.
 */
describeGalera('a console reading the fleet from the Galera cluster', (cluster) => {
  const b = bed as BedDescription;
  const tmp = mkdtempSync(join(tmpdir(), 'setmov-central-console-'));
  const suffix = randomBytes(4).toString('hex');
  const database = `setmov_central_console_${suffix}`;
  const reader = `setmov_ro_${suffix}`;
  const readerPassword = `ro-${randomBytes(8).toString('hex')}`;
  const env = { ...process.env, SETMOV_MYSQL_PASSWORD: '' };
  const running = new Set<ChildProcess>();
  const agents: Partial<Record<'local' | 'remote', AgentProcess>> = {};
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;

  const nodeList = () =>
    cluster()
      .map((n) => `${n.host}:${n.port}`)
      .join(',');

  const configure = (name: string, host: unknown): string =>
    writeAgentConfig(join(tmp, name), host, `mysql://root@${nodeList()}/${database}`);

  const rowsSent = async (name: string): Promise<number> =>
    (await readAgentStatus(agentStatusPath(join(tmp, name, 'state'))))?.sync?.rowsSent ?? 0;

  async function request<T>(name: string): Promise<T> {
    const response = await fetch(`${serve.origin}/api/request`, {
      method: 'POST',
      headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    });
    return ((await response.json()) as { ok: T }).ok;
  }

  /**
   * A central host the console shows (polled until it does): the local agent's holds the
   * bed's guests, the remote one's the fleet behind the sshd.
   */
  async function centralHost(which: 'local' | 'remote'): Promise<InventoryHostSeen> {
    const guest = b.domains[0]?.uuid;
    const isLocal = (h: InventoryHostSeen) => h.vms.some((vm) => vm.uuid === guest);
    let found: InventoryHostSeen | undefined;
    let seen: InventoryHostSeen[] = [];
    try {
      await until(`the console shows the ${which} agent's host`, async () => {
        seen = await request<InventoryHostSeen[]>('inventory');
        found = seen.find(
          (h) => h.source === 'central' && h.vms.length > 0 && isLocal(h) === (which === 'local'),
        );
        return found !== undefined;
      });
    } catch (error) {
      const status = await request<{ central: unknown }>('app.status');
      const hosts = seen.map((h) => `${h.name} (${h.source}, ${h.vms.length} VMs)`).join(', ');
      throw new Error(
        `${(error as Error).message}; shown: ${hosts}; central: ${JSON.stringify(status.central)}; serve's log: ${serve.output().stderr}`,
      );
    }
    return found as InventoryHostSeen;
  }

  async function shoot(name: string): Promise<void> {
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
  }

  beforeAll(async () => {
    if (!existsSync(chromiumPath)) throw new Error(`Chromium is missing (${chromiumPath})`);
    await ensureBuild();
    const init = await spawnCli(
      [
        'sync',
        '--init',
        '--mysql',
        `mysql://root@${nodeList()}/${database}`,
        '--db',
        join(tmp, 'init.db'),
      ],
      env,
    );
    expect(init.err).toBe('');
    await withNode(cluster()[1], async (conn) => {
      await conn.query(`CREATE USER '${reader}'@'127.0.0.1' IDENTIFIED BY '${readerPassword}'`);
      await conn.query(`GRANT SELECT ON \`${database}\`.* TO '${reader}'@'127.0.0.1'`);
    });
    const hosts = bedAgentHosts(b);
    agents.local = startAgent(configure('local', hosts.local), env, running);
    agents.remote = startAgent(configure('remote', hosts.remote), env, running);
    await until(
      'both agents writing to the cluster',
      async () => (await rowsSent('local')) > 0 && (await rowsSent('remote')) > 0,
      90_000,
    );
    // As configuration management deploys a console beside its agents: a file of the
    // agent's conventions (the command line's --central says the same).
    const serveConfig = join(tmp, 'serve.json');
    writeFileSync(
      serveConfig,
      JSON.stringify({
        central: {
          url: `mysql://${reader}@${nodeList()}/${database}`,
          refreshSec: 1,
          staleAfterSec: STALE_AFTER_SEC,
        },
      }),
    );
    serve = await startServe(['--config', serveConfig], {
      ...process.env,
      SETMOV_CENTRAL_PASSWORD: readerPassword,
    });
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(serve.url);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    if (serve?.child.exitCode === null) await serve.stop();
    for (const child of running) child.kill('SIGKILL');
    const alive = cluster()[1];
    await withNode(alive, async (conn) => {
      await conn.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await conn.query(`DROP USER IF EXISTS '${reader}'@'127.0.0.1'`);
    }).catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  }, 240_000);

  it("shows both agents' hosts and their VMs with figures that move, watching no host itself", async () => {
    expect(await request<unknown[]>('hosts.list')).toEqual([]);
    const local = await centralHost('local');
    const remote = await centralHost('remote');
    expect([local.source, remote.source]).toEqual(['central', 'central']);
    expect(local.vms.map((vm) => vm.uuid)).toEqual(
      expect.arrayContaining(b.domains.map((d) => d.uuid)),
    );
    for (const host of [local, remote]) {
      const row = page.locator(`tr[data-host="${host.name}"]`);
      await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1);
      expect(await row.locator('th').textContent()).toContain(host.name);
      expect(host.name).not.toBe('');
      expect(await row.locator('.row-actions').textContent()).toBe('central');
      await expect.poll(() => row.locator('.status-pill').textContent()).toBe('Up');
    }
    // Live: the sample shown moves on as the agents write (10 s buckets).
    const cpu = page.locator(`tr[data-host="${local.name}"] td[data-testid="host-cpu"]`);
    const first = Number(await cpu.getAttribute('data-ts'));
    await expect
      .poll(async () => Number(await cpu.getAttribute('data-ts')), { timeout: 40_000 })
      .toBeGreaterThan(first);
    expect(await page.getByTestId('status-central').textContent()).toBe(
      `Fleet from the central database (${cluster()[0].host}:${cluster()[0].port})`,
    );
    await shoot('central-overview-light-en-1280');
  }, 180_000);

  it('shows an RFB client as connected now, then its connect as the last one', async () => {
    const local = await centralHost('local');
    const idle = b.domains.find((d) => d.workload === 'idle') as BedDescription['domains'][0];
    const display = virsh(b.libvirt.uri, 'vncdisplay', idle.uuid).trim();
    const port = 5900 + Number(display.slice(display.lastIndexOf(':') + 1));
    await page.getByRole('tab', { name: 'Desktops' }).click();
    const lct = page.locator(
      `tr[data-host="${local.name}"][data-uuid="${idle.uuid}"] td[data-column="lct"]`,
    );
    await expect.poll(() => lct.count(), { timeout: 30_000 }).toBe(1);
    const session = await rfbConnect(port);
    try {
      await expect.poll(() => lct.textContent(), { timeout: 40_000 }).toBe('connected now');
    } finally {
      await session.close();
    }
    await expect
      .poll(() => lct.textContent(), { timeout: 40_000 })
      .toMatch(/^(now|\d+ seconds? ago)$/);
  }, 120_000);

  it("opens a desktop's link: its hour of history from the central tables", async () => {
    const local = await centralHost('local');
    const busy = b.domains.find((d) => d.workload === 'cpu') as BedDescription['domains'][0];
    await page.goto(
      `${serve.origin}/#/desktops/vm/${encodeURIComponent(local.id)}/${busy.uuid}?range=1h`,
    );
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 30_000 })
      .toBe(busy.name);
    // The CPU chart's latest point, in words: a figure read back from t4, not a dash.
    const latest = page.locator('.chart-card').first().locator('.chart-latest').first();
    await expect.poll(() => latest.textContent(), { timeout: 30_000 }).toMatch(/\d/);
    await shoot('central-vm-history-light-en-1280');
    await page.goto(`${serve.origin}/#/overview`);
  }, 120_000);

  it("analyses the central fleet's desktops from the central history", async () => {
    const local = await centralHost('local');
    // The analysis' request, with its default window: every bed guest the agent writes
    // is an entry, read from t2/t4 (the console has no history of its own).
    const analysis = await request<{
      vms: { uuid: string; name: string; host: string; status: string }[];
      hosts: { name: string }[];
    }>('analysis.run');
    const entries = analysis.vms.filter((vm) => b.domains.some((d) => d.uuid === vm.uuid));
    expect(entries.map((vm) => vm.uuid).sort()).toEqual(b.domains.map((d) => d.uuid).sort());
    expect(new Set(entries.map((vm) => vm.host))).toEqual(new Set([local.name]));
    expect(analysis.hosts.map((h) => h.name)).toContain(local.name);
    await page.goto(`${serve.origin}/#/analysis`);
    const waiting = page.locator('details.analysis-waiting');
    await expect.poll(() => waiting.count(), { timeout: 30_000 }).toBe(1);
    await waiting.locator('summary').click();
    const busy = b.domains.find((d) => d.workload === 'cpu') as BedDescription['domains'][0];
    await expect.poll(() => waiting.textContent()).toContain(busy.name);
    await shoot('central-analysis-light-en-1280');
    await page.goto(`${serve.origin}/#/overview`);
  }, 120_000);

  it('turns the host of an agent that stopped stale, with the time of its last sample', async () => {
    const remote = await centralHost('remote');
    agents.remote?.child.kill('SIGTERM');
    expect(await agents.remote?.exited).toEqual([0, null]);
    const row = page.locator(`tr[data-host="${remote.name}"]`);
    await expect
      .poll(() => row.locator('.status-pill').textContent(), {
        timeout: (STALE_AFTER_SEC + 30) * 1000,
      })
      .toBe('Stale');
    expect(await row.textContent()).toMatch(/last sample/);
    const local = await centralHost('local');
    expect(await page.locator(`tr[data-host="${local.name}"] .status-pill`).textContent()).toBe(
      'Up',
    );
    await shoot('central-overview-stale-light-en-1280');
    // The same in Korean and dark, on a large screen: the stale note and the status bar.
    await page.getByRole('combobox', { name: 'Language' }).selectOption('ko');
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
    await page.setViewportSize({ width: 1920, height: 1080 });
    try {
      await expect.poll(() => row.locator('.status-pill').textContent()).toBe('수집 끊김');
      expect(await row.textContent()).toMatch(/마지막 측정/);
      expect(await page.locator('body').textContent()).not.toMatch(/\{\w+\}/);
      await shoot('central-overview-stale-dark-ko-1920');
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.getByRole('combobox', { name: '테마' }).selectOption('light');
      await page.getByRole('combobox', { name: '언어' }).selectOption('en');
    }
  }, 120_000);

  it('keeps showing the fleet when the node it reads from dies: a note says it moved', async () => {
    const [first] = cluster();
    const local = await centralHost('local');
    const cpu = page.locator(`tr[data-host="${local.name}"] td[data-testid="host-cpu"]`);
    await killNode(first);
    try {
      await expect
        .poll(() => page.getByTestId('status-central').textContent(), { timeout: 60_000 })
        .toMatch(/^Central database: reading from 127\.0\.0\.1:\d+ since /);
      // The figures go on moving, from the other node. The agent wrote through the dead
      // node too: its host may look stale for the seconds its own failover takes, and is
      // up again once it writes through another.
      const before = Number(await cpu.getAttribute('data-ts'));
      await expect
        .poll(async () => Number(await cpu.getAttribute('data-ts')), { timeout: 60_000 })
        .toBeGreaterThan(before);
      await expect
        .poll(() => page.locator(`tr[data-host="${local.name}"] .status-pill`).textContent(), {
          timeout: 60_000,
        })
        .toBe('Up');
      expect(await page.getByTestId('status-central').textContent()).toMatch(/reading from/);
      await shoot('central-overview-failover-light-en-1280');
    } finally {
      await startNode(first);
      await waitReady(first, 180_000, 3);
    }
  }, 420_000);
});
