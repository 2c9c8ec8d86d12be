/**
 * Every view of the console at 1280×800 and 1920×1080, light and dark, English and
 * Korean, against the test bed: what to look at before calling a view done.
 * `npm run screenshots` (the bed up: `npm run testbed:up`); the files are in
 * out/screenshots/views/, named view-theme-language-width.png.
 *
 * It runs its own `setmov serve` with its own config and history folders, so the
 * admin's saved hosts and settings are not touched; the bed's sshd is added as a second
 * host, as an admin adds one.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';
import { requireBed } from '../test/helpers/bed';
import { chromiumArgs, chromiumPath } from '../test/e2e/chromium';
import { ensureBuild } from '../test/e2e/ensure-build';
import { startServe } from '../test/e2e/serve-process';
import { languages, outDir, sizes, themes } from './screenshot-variants';
import { bedSshSettings } from '../test/helpers/bed-ssh';
import { galeraNodes, withNode } from '../test/helpers/galera';

/** The tab names by language, to move between views as an admin does. */
const tabs = {
  en: {
    overview: 'Overview',
    desktops: 'Desktops',
    hosts: 'Hosts',
    analysis: 'Analysis',
    sync: 'Sync',
  },
  ko: { overview: '개요', desktops: '데스크톱', hosts: '호스트', analysis: '분석', sync: '동기화' },
} as const;

async function main(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'setmov-screenshots-'));
  process.env['XDG_CONFIG_HOME'] = join(home, 'config');
  process.env['XDG_DATA_HOME'] = join(home, 'data');
  const bed = requireBed();
  await ensureBuild();
  const serve = await startServe();
  const request = async (name: string, params?: unknown): Promise<unknown> => {
    const response = await fetch(`${serve.origin}/api/request`, {
      method: 'POST',
      headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name, params }),
    });
    const reply = (await response.json()) as { ok?: unknown; error?: { message: string } };
    if (reply.error) throw new Error(`${name}: ${reply.error.message}`);
    return reply.ok;
  };
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    const { id } = (await request('hosts.add', {
      name: 'bed-ssh',
      ssh: bedSshSettings(bed),
      pollIntervalSec: 1,
    })) as { id: string };
    const tested = (await request('hosts.test', { id })) as {
      unknownHostKey: { fingerprint: string } | null;
    };
    if (tested.unknownHostKey) {
      await request('hosts.acceptKey', {
        id,
        fingerprint: tested.unknownHostKey.fingerprint,
      });
    }
    // The bed's Galera cluster as the central database, so the Sync view shows a cluster
    // target and the node in use.
    const galera = bed.galera?.nodes ?? [];
    const screensDb = `setmov_screenshots_${process.pid}`;
    if (galera.length > 0) {
      await request('sync.set', {
        url: `mysql://root@${galera.map((n) => `${n.host}:${n.port}`).join(',')}/${screensDb}`,
        password: '',
      });
      await request('sync.init');
    }
    // A minute of figures, so the graphs and sparklines have something to draw.
    await new Promise((resolve) => setTimeout(resolve, 60_000));
    mkdirSync(outDir, { recursive: true });
    const page = await browser.newPage();
    await page.goto(serve.url);
    for (const language of languages) {
      for (const theme of themes) {
        await request('settings.set', { language, theme });
        await page.reload();
        for (const size of sizes) {
          await page.setViewportSize(size);
          await shootViews(page, `${theme}-${language}-${size.width}`, tabs[language], id);
        }
      }
    }
    await request('settings.set', { language: 'en', theme: 'system' });
    if (galera.length > 0) {
      await request('sync.remove');
      await withNode(galeraNodes(bed)[0], (conn) =>
        conn.query(`DROP DATABASE IF EXISTS ${screensDb}`),
      );
    }
  } finally {
    await browser.close();
    await serve.stop();
  }
  process.stdout.write(`screenshots in ${outDir}\n`);
}

async function shootViews(
  page: Page,
  suffix: string,
  tab: (typeof tabs)[keyof typeof tabs],
  /** The bed-ssh host's id, for a link to a desktop it does not have. */
  hostId: string,
): Promise<void> {
  const shoot = async (view: string) => {
    await page.waitForTimeout(1_500);
    await page.screenshot({ path: join(outDir, `${view}-${suffix}.png`) });
  };
  const open = (name: string) => page.getByRole('tab', { name, exact: true }).click();
  await open(tab.overview);
  await shoot('overview');
  await page.locator('tr[data-host] .host-name').first().click();
  await shoot('host');
  await open(tab.desktops);
  await shoot('desktops');
  await page.locator('tbody tr .vm-name').first().click();
  await page.waitForTimeout(2_000);
  await shoot('vm');
  // A link to a desktop that is not there (deleted, or another console's), pasted.
  const gone = `#/desktops/vm/${encodeURIComponent(hostId)}/00000000-dead-4000-8000-000000000000`;
  await page.evaluate(`location.hash = ${JSON.stringify(gone)}`);
  await shoot('not-found');
  await open(tab.hosts);
  await shoot('hosts');
  await open(tab.analysis);
  await shoot('analysis');
  await open(tab.sync);
  await shoot('sync');
  await open(tab.overview);
  await page.locator('.app-bar .button-primary, main .button-primary').first().click();
  await shoot('connect');
  await page.keyboard.press('Escape');
  // A saved host tested again from its Edit dialog: the steps and what was found there.
  await page.locator('tr[data-host="bed-ssh"] .row-actions button').click();
  await page.locator('.connect-form button[type="submit"]').click();
  await page.locator('.test-found').waitFor({ timeout: 30_000 });
  await shoot('connect-tested');
  await page.keyboard.press('Escape');
}

main().catch((error: unknown) => {
  process.stderr.write(`screenshots: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
