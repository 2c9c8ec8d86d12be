/**
 * The Analysis view of a console that reads its fleet from the central database only, at
 * 1280×800 and 1920×1080, light and dark, English and Korean: recommendations on
 * desktops of hosts the console does not watch, each offering *Connect host…* in place
 * of *Apply…*. `npm run screenshots:central` (this machine's MariaDB on 127.0.0.1:3306,
 * no bed needed); the files are in out/screenshots/views/, named
 * central-analysis-theme-language-width.png.
 *
 * It makes a database of its own (2 hosts × 4 desktops with a week of history every
 * minute), runs its own `setmov serve --central` with its own config, and drops both.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { benchCentralDatabase } from '../bench/lib/bench-central-database';
import { fillCentralWeek } from '../bench/lib/central-week-fill';
import { DAY_MS } from '../src/shared/time-ms';
import { chromiumArgs, chromiumPath } from '../test/e2e/chromium';
import { ensureBuild } from '../test/e2e/ensure-build';
import { startServe } from '../test/e2e/serve-process';
import { languages, outDir, sizes, themes } from './screenshot-variants';

async function main(): Promise<void> {
  await ensureBuild();
  const { database, scratch, admin, drop } = await benchCentralDatabase('screens');
  try {
    const toMs = Math.floor(Date.now() / 60_000) * 60_000;
    await fillCentralWeek(admin, database, toMs, {
      hosts: 2,
      vmsPerHost: 4,
      stepSec: 60,
      windowMs: 7 * DAY_MS,
    });
    const serve = await startServe(
      ['--db', join(scratch, 'serve.db'), '--central', `mysql://root@127.0.0.1:3306/${database}`],
      // Its own configuration: no saved host of this machine's admin is polled.
      {
        ...process.env,
        XDG_CONFIG_HOME: join(scratch, 'config'),
        XDG_DATA_HOME: join(scratch, 'data'),
        SETMOV_CENTRAL_PASSWORD: '',
      },
    );
    const request = async (name: string, params?: unknown): Promise<void> => {
      const response = await fetch(`${serve.origin}/api/request`, {
        method: 'POST',
        headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name, params }),
      });
      const reply = (await response.json()) as { error?: { message: string } };
      if (reply.error) throw new Error(`${name}: ${reply.error.message}`);
    };
    const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    try {
      mkdirSync(outDir, { recursive: true });
      const page = await browser.newPage();
      await page.goto(`${serve.url}#/analysis`);
      for (const language of languages) {
        for (const theme of themes) {
          // The agents' newest samples: the hosts are up, not stale.
          for (const table of ['t1_host', 't3_vm']) {
            await admin.query(
              `UPDATE \`${database}\`.${table} SET latest_ts = UTC_TIMESTAMP(3), updated_at = UTC_TIMESTAMP(3)`,
            );
          }
          await request('settings.set', { language, theme });
          await page.reload();
          // The recommendations are there once a central desktop's row offers to connect.
          await page
            .locator('[data-testid="analysis-central-note"]')
            .first()
            .waitFor({ timeout: 120_000 });
          for (const size of sizes) {
            await page.setViewportSize(size);
            await page.waitForTimeout(1_000);
            const name = `central-analysis-${theme}-${language}-${size.width}.png`;
            await page.screenshot({ path: join(outDir, name) });
          }
        }
      }
      await request('settings.set', { language: 'en', theme: 'system' });
    } finally {
      await browser.close();
      await serve.stop();
    }
  } finally {
    await drop();
  }
  process.stdout.write(`screenshots in ${outDir}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `screenshots:central: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
