import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadBed, type BedDescription } from '../helpers/bed';
import { libvirtVersions } from '../helpers/libvirt-versions';
import { rfbConnect } from '../helpers/rfb-client';
import { createTestDatabase } from '../store/helpers/test-database';
import { latestMysqlVersion } from '../../src/store/mysql/mysql-migrations';
import { chromiumArgs, chromiumPath, describeChromium } from './chromium';
import { ensureBuild, projectRoot } from './ensure-build';
import { startServe } from './serve-process';
import type { ServeProcess } from './serve-process';

const testTimeoutMs = 120_000;
const screenshotDir = join(projectRoot, 'out', 'screenshots');
const bed = loadBed() as BedDescription;

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
}

describeChromium('the console against the bed, as an admin uses it', () => {
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    await ensureBuild();
    database = await createTestDatabase(bed.mysql);
    serve = await startServe();
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    await page.goto(serve.url);
  }, 120_000);

  /** The VNC port of a bed guest, as the console's inventory has it. */
  async function vncPort(uuid: string): Promise<number> {
    const inventory = (await (
      await fetch(`${serve.origin}/api/request`, {
        method: 'POST',
        headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'inventory' }),
      })
    ).json()) as {
      ok: { name: string; vms: { uuid: string; graphics: { port: number | null }[] }[] }[];
    };
    const port = inventory.ok.find((h) => h.name === 'bed-ssh')?.vms.find((vm) => vm.uuid === uuid)
      ?.graphics[0]?.port;
    expect(port).toBeGreaterThanOrEqual(5900);
    return port as number;
  }

  /** The id the console knows a saved host by (the links carry it), by the host's name. */
  async function hostId(name: string): Promise<string> {
    const inventory = (await (
      await fetch(`${serve.origin}/api/request`, {
        method: 'POST',
        headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'inventory' }),
      })
    ).json()) as { ok: { id: string; name: string }[] };
    const id = inventory.ok.find((h) => h.name === name)?.id;
    expect(id).toBeTruthy();
    return id as string;
  }

  afterAll(async () => {
    await browser?.close();
    if (serve?.child.exitCode === null) await serve.stop();
    await database?.drop();
  }, testTimeoutMs);

  it(
    'adds the bed sshd through the dialog: fingerprint, trust, then every step passes',
    async () => {
      await page.getByRole('button', { name: 'Add host' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Add a KVM host' });
      await dialog.getByRole('textbox', { name: /^Name/ }).fill('bed-ssh');
      await dialog.getByRole('textbox', { name: 'Host or address' }).fill(bed.ssh.host);
      await dialog.getByRole('spinbutton', { name: 'Port' }).fill(String(bed.ssh.port));
      await dialog.getByRole('textbox', { name: 'User' }).fill(bed.ssh.user);
      await dialog.getByRole('combobox', { name: 'Authentication' }).selectOption('key');
      await dialog.getByRole('textbox', { name: 'Private key file' }).fill(bed.ssh.identityFile);
      await dialog.getByRole('spinbutton', { name: 'Poll every (seconds)' }).fill('1');
      await dialog.getByRole('button', { name: 'Save and test' }).click();
      const fingerprint = dialog.getByTestId('fingerprint');
      await expect.poll(() => fingerprint.textContent(), { timeout: 30_000 }).toMatch(/SHA256:/);
      await shoot(page, 'connect-dialog-unknown-key');
      await dialog.getByRole('button', { name: 'Trust this key' }).click();
      await expect
        .poll(() => dialog.getByText('Connected: the host is being watched.').count(), {
          timeout: 30_000,
        })
        .toBe(1);
      await shoot(page, 'connect-dialog-connected');
      await dialog.getByRole('button', { name: 'Close' }).click();
      await expect
        .poll(() => page.locator('tr[data-host="bed-ssh"] .status-pill').textContent(), {
          timeout: 30_000,
        })
        .toBe('Up');
    },
    testTimeoutMs,
  );

  it(
    "lists the bed's VMs on that host with their states",
    async () => {
      await page.getByRole('tab', { name: 'Desktops' }).click();
      await page.getByRole('combobox', { name: 'Host' }).selectOption('bed-ssh');
      for (const domain of bed.domains) {
        const row = page.locator(`tr[data-host="bed-ssh"][data-uuid="${domain.uuid}"]`);
        await expect
          .poll(() => row.locator('td[data-column="state"]').textContent(), {
            timeout: 30_000,
          })
          .toBe('running');
      }
      await shoot(page, 'desktops-two-hosts');
    },
    testTimeoutMs,
  );

  it(
    'shows an RFB client as "connected now", then its connect as the last one',
    async () => {
      const idle = bed.domains.find((d) => d.workload === 'idle');
      const port = await vncPort(idle?.uuid ?? '');
      const lct = page.locator(
        `tr[data-host="bed-ssh"][data-uuid="${idle?.uuid}"] td[data-column="lct"]`,
      );
      const before = await lct.textContent();
      const session = await rfbConnect(port as number);
      try {
        await expect.poll(() => lct.textContent(), { timeout: 15_000 }).toBe('connected now');
        await page.getByRole('checkbox', { name: 'Connected now' }).check();
        expect(await page.locator('tbody tr').count()).toBeGreaterThanOrEqual(1);
        await shoot(page, 'desktops-connected-now');
        await page.getByRole('checkbox', { name: 'Connected now' }).uncheck();
      } finally {
        await session.close();
      }
      await expect
        .poll(() => lct.textContent(), { timeout: 15_000 })
        .toMatch(/^(now|\d+ seconds? ago)$/);
      expect(before).not.toBe(await lct.textContent());
      // Its page lists the connect with the client's address.
      await page
        .locator(`tr[data-host="bed-ssh"][data-uuid="${idle?.uuid}"]`)
        .getByRole('button', { name: `Open ${idle?.name}` })
        .click();
      const events = page.getByRole('list', { name: 'Recent events' });
      await expect
        .poll(() => events.textContent(), { timeout: 15_000 })
        .toMatch(/Display connected from127\.0\.0\.1/);
      await page.getByRole('button', { name: /Back to desktops/ }).click();
    },
    testTimeoutMs,
  );

  it(
    'agrees on "connected now" in every view and the status bar after a disconnect seen from another view',
    async () => {
      const disk = bed.domains.find((d) => d.workload === 'disk') as BedDescription['domains'][0];
      const port = await vncPort(disk.uuid);
      const said = page.locator('.status-bar span', { hasText: 'Connected now' });
      const connectedNow = async () =>
        Number(/^Connected now: (\d+)$/.exec((await said.textContent()) ?? '')?.[1]);
      await page.getByRole('tab', { name: 'Desktops' }).click();
      const before = await connectedNow();
      const lct = page.locator(
        `tr[data-host="bed-ssh"][data-uuid="${disk.uuid}"] td[data-column="lct"]`,
      );
      const session = await rfbConnect(port);
      try {
        await expect.poll(() => lct.textContent(), { timeout: 15_000 }).toBe('connected now');
        await expect.poll(connectedNow, { timeout: 5_000 }).toBeGreaterThan(before);
        // The admin moves on, and the client leaves while the desktops are not shown.
        await page.getByRole('tab', { name: 'Overview' }).click();
      } finally {
        await session.close();
      }
      await expect.poll(connectedNow, { timeout: 15_000 }).toBe(before);
      await page.getByRole('tab', { name: 'Desktops' }).click();
      await expect.poll(() => lct.textContent(), { timeout: 5_000 }).not.toBe('connected now');
      await page.getByRole('tab', { name: 'Overview' }).click();
    },
    testTimeoutMs,
  );

  it(
    'tells an unreachable host from an up one, with the refusal as its reason',
    async () => {
      await page.getByRole('tab', { name: 'Overview' }).click();
      await page.getByRole('button', { name: 'Add host' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Add a KVM host' });
      await dialog.getByRole('textbox', { name: /^Name/ }).fill('bed-refused');
      await dialog.getByRole('textbox', { name: 'Host or address' }).fill('127.0.0.1');
      await dialog.getByRole('spinbutton', { name: 'Port' }).fill('1');
      await dialog.getByRole('textbox', { name: 'User' }).fill(bed.ssh.user);
      await dialog.getByRole('combobox', { name: 'Authentication' }).selectOption('agent');
      await dialog.getByRole('button', { name: 'Save and test' }).click();
      await expect
        .poll(() => dialog.textContent(), { timeout: 30_000 })
        .toMatch(/Nothing listens on 127\.0\.0\.1:1/);
      expect(await dialog.textContent()).toMatch(/bed-refused is saved, but its test fails/);
      await dialog.getByRole('button', { name: 'Close' }).click();
      const row = page.locator('tr[data-host="bed-refused"]');
      await expect
        .poll(() => row.locator('.status-pill').textContent(), { timeout: 30_000 })
        .toBe('Unreachable');
      await expect.poll(() => row.textContent(), { timeout: 15_000 }).toMatch(/refused/i);
      expect(await row.textContent()).not.toMatch(/SSH_AUTH_SOCK|agent/);
      const colour = (host: string) =>
        page
          .locator(`tr[data-host="${host}"] .status-pill`)
          // Run in the page; these tests compile without the DOM's types.
          .evaluate(
            (pill) =>
              (
                globalThis as unknown as {
                  getComputedStyle(element: unknown): { backgroundColor: string };
                }
              ).getComputedStyle(pill).backgroundColor,
          );
      expect(await colour('bed-refused')).not.toBe(await colour('bed-ssh'));
      // Edit stays in view at 1280 px, however long the reason.
      const edit = row.getByRole('button', { name: /Edit/ });
      const box = await edit.boundingBox();
      expect((box?.x ?? Infinity) + (box?.width ?? 0)).toBeLessThanOrEqual(1280);
      await shoot(page, 'overview-unreachable-light-en-1280');
      await edit.click();
      const editing = page.getByRole('dialog');
      await editing.getByRole('button', { name: 'Remove' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Remove' }).click();
      await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(0);
      // Back where the next steps start: the desktops of bed-ssh.
      await page.getByRole('tab', { name: 'Desktops' }).click();
      await page.getByRole('combobox', { name: 'Host' }).selectOption('bed-ssh');
    },
    testTimeoutMs,
  );

  it(
    'opens bed-cpu: its CPU graph rises above 80 % of its vCPU, and the ranges switch',
    async () => {
      const busy = bed.domains.find((d) => d.workload === 'cpu');
      await page
        .locator(`tr[data-host="bed-ssh"][data-uuid="${busy?.uuid}"]`)
        .getByRole('button', { name: `Open ${busy?.name}` })
        .click();
      await expect
        .poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 10_000 })
        .toBe(busy?.name);
      const guestCpu = page
        .locator('figure', { hasText: 'CPU' })
        .locator('[data-series="% of guest vCPUs"]');
      await expect
        .poll(
          async () => Number(/([\d.]+)%/.exec((await guestCpu.textContent()) ?? '')?.[1] ?? 0),
          {
            timeout: 30_000,
          },
        )
        .toBeGreaterThan(80);
      await page.waitForTimeout(3_000);
      await shoot(page, 'vm-detail-live-light-en-1280');
      await page.getByRole('button', { name: '1 hour' }).click();
      expect(await page.getByRole('button', { name: '1 hour' }).getAttribute('aria-pressed')).toBe(
        'true',
      );
      await expect
        .poll(
          async () => Number(/([\d.]+)%/.exec((await guestCpu.textContent()) ?? '')?.[1] ?? 0),
          {
            timeout: 30_000,
          },
        )
        .toBeGreaterThan(50);
      await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
      await page.setViewportSize({ width: 1920, height: 1080 });
      await page.waitForTimeout(500);
      await shoot(page, 'vm-detail-1h-dark-en-1920');
      await page.getByRole('combobox', { name: 'Theme' }).selectOption('light');
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.getByRole('button', { name: /Back to desktops/ }).click();
      await page.getByRole('combobox', { name: 'Host' }).selectOption('');
      await page.getByRole('tab', { name: 'Overview' }).click();
    },
    testTimeoutMs,
  );

  it(
    'opens a host: CPU by state, its overcommit, and exports its history as CSV',
    async () => {
      await page.getByRole('button', { name: 'Open bed-ssh' }).click();
      await expect
        .poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 10_000 })
        .toBe('bed-ssh');
      await expect
        .poll(() => page.getByTestId('overcommit').textContent(), { timeout: 30_000 })
        .toMatch(/^\d+ vCPUs on \d+ CPUs/);
      await expect
        .poll(() => page.getByTestId('libvirt-version').textContent(), { timeout: 30_000 })
        .toBe(libvirtVersions(bed.libvirt.uri).daemon);
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Export CSV' }).click();
      const file = await download;
      expect(file.suggestedFilename()).toMatch(/^bed-ssh_.*\.csv$/);
      const text = await readFile((await file.path()) as string, 'utf8');
      const lines = text.trim().split('\n');
      expect(lines[0]).toMatch(/^time,ts,host,cpuPercent,/);
      expect(lines.length).toBeGreaterThan(1);
      const said = page.getByRole('status').filter({ hasText: 'rows saved' });
      expect(await said.textContent()).toBe(`${lines.length - 1} rows saved`);
      expect(await said.getAttribute('title')).toBe(file.suggestedFilename());
      // Each interface from the per-device history, over a past range too.
      await page.getByRole('button', { name: '1 hour' }).click();
      const byNic = page.locator('figure', { hasText: 'Network by interface' });
      await expect
        .poll(() => byNic.locator('.chart-latest').count(), { timeout: 15_000 })
        .toBeGreaterThan(1);
      expect(await byNic.locator('.chart-latest').allTextContents()).toContainEqual(
        // The bed's own tap device, there on any machine the bed runs on.
        expect.stringMatching(/^bedtap-net [\d.,]+ [kMG]?B\/s$/),
      );
      await page.getByRole('button', { name: 'Live (5 min)' }).click();
      await page.waitForTimeout(2_000);
      await shoot(page, 'host-detail-live-light-en-1280');
      await page.getByRole('button', { name: /Back to hosts/ }).click();
      await shoot(page, 'overview-two-hosts-light-en-1280');
      await page.setViewportSize({ width: 1920, height: 1080 });
      await page.waitForTimeout(500);
      await shoot(page, 'overview-two-hosts-light-en-1920');
      await page.setViewportSize({ width: 1280, height: 800 });
    },
    testTimeoutMs,
  );

  it(
    'lists the hosts with their facts, and the status bar counts samples and the cache',
    async () => {
      await page.getByRole('tab', { name: 'Hosts' }).click();
      const row = page.locator('tr[data-host="bed-ssh"]');
      await expect.poll(() => row.locator('td').nth(2).textContent()).toMatch(/^\d+$/);
      expect(await row.locator('td').nth(5).textContent()).toMatch(/^\d/);
      await expect
        .poll(() => page.getByTestId('status-rate').textContent(), { timeout: 15_000 })
        .toMatch(/^[1-9][\d,]* samples\/s$/);
      expect(await page.locator('.status-bar').textContent()).toMatch(
        /History on disk: [\d.,]+ (KiB|MiB)/,
      );
      await shoot(page, 'hosts-inventory-light-en-1280');
      await page.getByRole('tab', { name: 'Overview' }).click();
    },
    testTimeoutMs,
  );

  it(
    'configures sync to the bed MariaDB and sees it turn healthy',
    async () => {
      await page.getByRole('tab', { name: 'Sync' }).click();
      // The page's first panel: what this console writes (the second, what it reads).
      const sync = page.getByRole('region', {
        name: 'Central database (MySQL / MariaDB)',
        exact: true,
      });
      await sync
        .getByRole('textbox', { name: 'Database URL' })
        .fill(`mysql://${bed.mysql.user}@${bed.mysql.host}:${bed.mysql.port}/${database.name}`);
      if (bed.mysql.password) {
        await sync.locator('input[type="password"]').fill(bed.mysql.password);
      }
      await sync.getByRole('button', { name: 'Test connection' }).click();
      const schemaStep = sync.locator('li[data-step="schema"]');
      await expect.poll(() => schemaStep.textContent(), { timeout: 30_000 }).toMatch(/Failed/);
      await sync.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => page.getByRole('status').first().textContent()).toBe('Saved.');
      await page.getByRole('button', { name: 'Initialise schema' }).click();
      await expect
        .poll(() => page.getByText(`Schema at version ${latestMysqlVersion} (was 0).`).count(), {
          timeout: 30_000,
        })
        .toBe(1);
      await page.getByRole('button', { name: 'Sync now' }).click();
      await expect
        .poll(() => page.getByTestId('sync-state').textContent(), { timeout: 30_000 })
        .toBe('Healthy');
      const [rows] = (await database.query('SELECT count(*) AS n FROM $db.t2_host_usage')) as [
        { n: number },
      ];
      expect(Number(rows.n)).toBeGreaterThan(0);
      await shoot(page, 'sync-light-en-1280');
      await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
      await expect.poll(() => page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
      await shoot(page, 'sync-dark-en-1280');
      await page.getByRole('combobox', { name: 'Theme' }).selectOption('light');
    },
    testTimeoutMs,
  );

  it(
    'reads the fleet back from the same database with a read-only user, each host once',
    async () => {
      const user = `setmov_ro_${database.name.slice(-8)}`;
      await database.query(`CREATE USER '${user}'@'127.0.0.1' IDENTIFIED BY 'ro-e2e-pw'`);
      try {
        await database.query(`GRANT SELECT ON \`${database.name}\`.* TO '${user}'@'127.0.0.1'`);
        const hostRows = () => page.locator('tr[data-host]').count();
        await page.getByRole('tab', { name: 'Overview' }).click();
        await expect.poll(hostRows).toBeGreaterThan(0);
        const before = await hostRows();
        await page.getByRole('tab', { name: 'Sync' }).click();
        const read = page.getByRole('region', { name: 'Fleet from the central database' });
        await read
          .getByRole('textbox', { name: 'Database URL' })
          .fill(`mysql://${user}@${bed.mysql.host}:${bed.mysql.port}/${database.name}`);
        await read.locator('input[type="password"]').fill('ro-e2e-pw');
        await read.getByRole('button', { name: 'Test reading' }).click();
        await expect
          .poll(() => read.locator('li[data-step]').allTextContents(), { timeout: 30_000 })
          .toEqual(['✓SettingsOK', '✓ConnectionOK', '✓SchemaOK']);
        await read.getByRole('button', { name: 'Save' }).click();
        await expect
          .poll(() => read.getByTestId('central-state').textContent(), { timeout: 30_000 })
          .toBe('Reading');
        expect(await read.getByTestId('central-node').textContent()).toBe(
          `${bed.mysql.host}:${bed.mysql.port}`,
        );
        // The password went to the backend's secret store: the form is empty again.
        expect(await read.locator('input[type="password"]').inputValue()).toBe('');
        await shoot(page, 'central-read-light-en-1280');
        await page.setViewportSize({ width: 1920, height: 1080 });
        await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
        await page.getByRole('combobox', { name: 'Language' }).selectOption('ko');
        // The panel is named in Korean now: found by its status.
        await expect.poll(() => page.getByTestId('central-state').textContent()).toBe('읽는 중');
        await shoot(page, 'central-read-dark-ko-1920');
        await page.getByRole('combobox', { name: '테마' }).selectOption('light');
        await page.getByRole('combobox', { name: '언어' }).selectOption('en');
        await page.setViewportSize({ width: 1280, height: 800 });
        // Its hosts are this console's own, written by its sync: shown once, from its polls.
        const inventory = (await (
          await fetch(`${serve.origin}/api/request`, {
            method: 'POST',
            headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ name: 'inventory' }),
          })
        ).json()) as { ok: { id: string; name: string; source: string }[] };
        const shown = inventory.ok.map((h) => `${h.name} (${h.id}, ${h.source})`).join('; ');
        const own = inventory.ok.filter((h) => h.source !== 'central');
        const readBack = inventory.ok.filter((h) => h.source === 'central');
        expect(own.length, shown).toBe(before);
        // A host removed here earlier is still in the central database, with its history:
        // shown from there. None of this console's own is shown twice.
        expect(
          readBack.filter((h) => own.some((o) => o.id === h.id || o.name === h.name)),
          shown,
        ).toEqual([]);
        await page.getByRole('tab', { name: 'Overview' }).click();
        await expect.poll(hostRows).toBe(inventory.ok.length);
        await page.getByRole('tab', { name: 'Sync' }).click();
        await read.getByRole('button', { name: 'Stop reading and forget' }).click();
        await expect.poll(() => read.getByTestId('central-state').textContent()).toBe('Not set');
      } finally {
        await database.query(`DROP USER IF EXISTS '${user}'@'127.0.0.1'`);
      }
    },
    testTimeoutMs,
  );

  it('analyses the bed: bed-idle oversized, its history and Fig. 13, applies less memory live with a preview, audits it', async () => {
    const idle = bed.domains.find((d) => d.workload === 'idle') as BedDescription['domains'][0];
    const virsh = (...args: string[]) =>
      execFileSync('virsh', ['-c', 'qemu:///system', ...args], { encoding: 'utf8' });
    const balloonKiB = () => Number(/^actual (\d+)$/m.exec(virsh('dommemstat', idle.name))?.[1]);
    const startKiB = balloonKiB();
    // With the defaults (an hour of history), the minutes this console has are too few:
    // it says so, never "nothing to change".
    await page.getByRole('tab', { name: 'Analysis' }).click();
    await expect
      .poll(() => page.locator('main').textContent(), { timeout: 30_000 })
      .toMatch(/No desktop could be analysed yet|without enough history yet/);
    expect(await page.locator('main').textContent()).not.toMatch(/Nothing to change/);
    await shoot(page, 'analysis-waiting-light-en-1280');
    // The bed's guests are 128 MiB and its history minutes: thresholds to that scale,
    // set as an admin would in the settings (the contract's settings.set).
    const set = await fetch(`${serve.origin}/api/request`, {
      method: 'POST',
      headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'settings.set',
        params: {
          analysis: {
            minHistoryMs: 60_000,
            minMemoryBytes: 64 * 1024 * 1024,
            memoryHeadroomBytes: 16 * 1024 * 1024,
            memoryStepBytes: 16 * 1024 * 1024,
            wideningMinDays: 7,
          },
        },
      }),
    });
    expect(set.status).toBe(200);
    try {
      // The page reads the settings when it opens: as after an admin changes them.
      await page.reload();
      await page.getByRole('tab', { name: 'Analysis' }).click();
      await page.getByRole('combobox', { name: 'History' }).selectOption({ label: 'Last hour' });
      const less = page.locator(`tr[data-recommendation="${idle.uuid}:less-memory"]`);
      // The analysis needs a minute of history: the steps before took less. Analyse again
      // until it has it, as an admin would.
      await expect
        .poll(
          async () => {
            if ((await less.count()) === 0)
              await page.getByRole('button', { name: 'Analyse again' }).click();
            return less.count();
          },
          { timeout: 180_000, interval: 5_000 },
        )
        .toBe(1);
      expect(await less.textContent()).toMatch(/128 MiB → \d+ MiB/);
      expect(await page.locator(`tr[data-recommendation="${idle.uuid}:fewer-vcpus"]`).count()).toBe(
        1,
      );
      await shoot(page, 'analysis-light-en-1280');

      // Filtered by kind: only memory reductions are left.
      await page.getByRole('combobox', { name: 'Kind' }).selectOption({ label: 'Less memory' });
      const kinds = await page.locator('tr[data-recommendation] .status-pill').allTextContents();
      expect(new Set(kinds)).toEqual(new Set(['Less memory']));

      // The history behind it, and the memory-vs-disk table.
      await less
        .getByRole('button', { name: `History behind Less memory for ${idle.name}` })
        .click();
      await expect
        .poll(() =>
          page.locator('figure', { hasText: 'Guest memory: used, given, advised' }).count(),
        )
        .toBe(1);
      await expect
        .poll(() => page.getByRole('region', { name: 'Disk by memory size' }).count())
        .toBe(1);
      await page.waitForTimeout(1_000);
      await shoot(page, 'analysis-history-light-en-1280');

      // Apply, live only: the preview first, then the change, then the audit log.
      await less.getByRole('button', { name: `Apply Less memory to ${idle.name}` }).click();
      const dialog = page.getByRole('dialog', { name: `Apply to ${idle.name}` });
      await expect
        .poll(() => dialog.getByTestId('apply-change').textContent(), { timeout: 30_000 })
        .toMatch(/^Memory 128 MiB → \d+ MiB$/);
      const to = Number(
        /→ (\d+) MiB/.exec((await dialog.getByTestId('apply-change').textContent()) ?? '')?.[1],
      );
      await dialog.getByRole('radio', { name: 'Running guest', exact: true }).check();
      await expect
        .poll(() => dialog.getByRole('listitem').allTextContents())
        .toEqual([`Running guest Balloon the running guest to ${to} MiB`]);
      expect(balloonKiB()).toBe(startKiB);
      await shoot(page, 'analysis-apply-preview-light-en-1280');
      expect(await dialog.textContent()).not.toMatch(/\{\w+\}/);
      await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
      await expect
        .poll(() => dialog.getByTestId('apply-result').textContent(), { timeout: 30_000 })
        .toMatch(/^Applied \(Running guest\)/);
      await expect.poll(balloonKiB, { timeout: 30_000 }).toBe(to * 1024);
      await dialog.getByRole('button', { name: 'Close' }).click();
      const audit = page.getByRole('table', { name: 'Changes made (audit log)' });
      await expect.poll(() => audit.locator('tbody tr').count(), { timeout: 15_000 }).toBe(1);
      expect(await audit.locator('tbody tr').first().textContent()).toMatch(
        new RegExp(`${idle.name}.*Memory 128 MiB → ${to} MiB.*Running guest.*Applied`),
      );

      await page
        .getByRole('combobox', { name: 'Kind' })
        .selectOption({ label: 'All recommendations' });
      await page.getByRole('combobox', { name: 'Language' }).selectOption('ko');
      await expect.poll(() => page.getByRole('tab', { name: '분석' }).count()).toBe(1);
      await shoot(page, 'analysis-light-ko-1280');
      // Korean all through: no placeholder left, the preview's steps in Korean too.
      expect(await page.locator('body').textContent()).not.toMatch(/\{\w+\}/);
      await page
        .locator('tr[data-recommendation] button')
        .filter({ hasText: '적용' })
        .first()
        .click();
      const korean = page.getByRole('dialog');
      await expect
        .poll(() => korean.getByTestId('apply-change').textContent(), { timeout: 30_000 })
        .toMatch(/→/);
      const steps = (await korean.getByRole('listitem').allTextContents()).join(' ');
      expect(steps).not.toMatch(/balloon|running guest|the config|\{\w+\}/i);
      expect(await korean.textContent()).not.toMatch(/\{\w+\}/);
      await shoot(page, 'analysis-apply-preview-light-ko-1280');
      await korean.getByRole('button', { name: '취소' }).click();
      await page.getByRole('combobox', { name: '테마' }).selectOption('dark');
      await page.setViewportSize({ width: 1920, height: 1080 });
      await page.waitForTimeout(500);
      await shoot(page, 'analysis-dark-ko-1920');
      await page.getByRole('combobox', { name: '테마' }).selectOption('light');
      await page.getByRole('combobox', { name: '언어' }).selectOption('en');
      await page.setViewportSize({ width: 1280, height: 800 });
    } finally {
      virsh('setmem', idle.name, String(startKiB), '--live');
    }
  }, 300_000);

  it(
    'opens a desktop from a pasted link, is still there after a reload, goes back, and says a stale link leads nowhere',
    async () => {
      const busy = bed.domains.find((d) => d.workload === 'cpu') as BedDescription['domains'][0];
      const host = await hostId('bed-ssh');
      const link = (hash: string) => `${serve.origin}/${hash}`;
      // A window of its own with this page's cookie, opened on the filtered desktops as
      // a colleague's link would open it: a fresh load, not a hash change.
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addCookies(await page.context().cookies());
      const tab = await context.newPage();
      const heading = () => tab.getByRole('heading', { level: 1 }).textContent();
      try {
        await tab.goto(link(`#/desktops?host=${encodeURIComponent(host)}`));
        await expect
          .poll(() => tab.getByRole('combobox', { name: 'Host' }).inputValue(), { timeout: 30_000 })
          .toBe(host);
        // The desktop's link pasted into the address bar.
        const vmHash = `#/desktops/vm/${encodeURIComponent(host)}/${busy.uuid}?range=1h`;
        await tab.goto(link(vmHash));
        await expect.poll(heading, { timeout: 30_000 }).toBe(busy.name);
        const oneHour = tab.getByRole('button', { name: '1 hour' });
        expect(await oneHour.getAttribute('aria-pressed')).toBe('true');
        await tab.reload();
        await expect.poll(heading, { timeout: 30_000 }).toBe(busy.name);
        expect(await oneHour.getAttribute('aria-pressed')).toBe('true');
        expect(await tab.evaluate('location.hash')).toBe(vmHash);

        // Back: the filtered table it was opened from.
        await tab.goBack();
        await expect
          .poll(() => tab.getByRole('searchbox', { name: 'Search desktops' }).count(), {
            timeout: 30_000,
          })
          .toBe(1);
        expect(await tab.getByRole('combobox', { name: 'Host' }).inputValue()).toBe(host);
        expect(await tab.locator(`tr[data-uuid="${busy.uuid}"]`).count()).toBe(1);
        // A search typed just before a reload is still there after it.
        await tab.getByRole('searchbox', { name: 'Search desktops' }).fill(busy.name);
        await tab.reload();
        await expect
          .poll(() => tab.getByRole('searchbox', { name: 'Search desktops' }).inputValue(), {
            timeout: 30_000,
          })
          .toBe(busy.name);

        // A desktop that is not there (deleted, or another console's).
        const gone = '00000000-dead-4000-8000-000000000000';
        await tab.goto(link(`#/desktops/vm/${encodeURIComponent(host)}/${gone}`));
        await expect.poll(heading, { timeout: 30_000 }).toBe('Desktop not found');
        expect(await tab.locator('main').textContent()).toContain(gone);
        await tab.waitForTimeout(500);
        await shoot(tab, 'not-found-light-en-1280');
        await tab.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
        await expect
          .poll(() => tab.evaluate('document.documentElement.dataset.theme'))
          .toBe('dark');
        await shoot(tab, 'not-found-dark-en-1280');
        await tab.getByRole('combobox', { name: 'Theme' }).selectOption('light');
        await tab.getByRole('button', { name: 'Back to desktops' }).click();
        await expect
          .poll(() => tab.getByRole('searchbox', { name: 'Search desktops' }).count())
          .toBe(1);
        // A damaged link: a page that says so, never a blank one.
        await tab.goto(link(`#/desktops/vm/%E0%A4%A/<script>${'가'.repeat(200)}`));
        await expect.poll(heading, { timeout: 30_000 }).toBe('No such page');
        await shoot(tab, 'not-found-link-light-en-1280');
      } finally {
        await context.close();
      }
    },
    testTimeoutMs,
  );
});
