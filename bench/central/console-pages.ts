// The console in Chromium reading 500 × 30 from the central database: setmov serve
// --central on the bench's database, as an admin runs it, and two pages at 1920x1080.
//   overview   500 hosts: first render, then its main thread while every row's figures
//              are rewritten every 2 s (every agent's round at the raw resolution)
//   desktops   the 15,000 desktops: first render of the table (rows in view only), then
//              its main thread likewise, and with every row rewritten every 10 s (the
//              default resolution: the agents' rounds write the closed buckets together)
// Each against the same page with nothing written (the baseline, in the same run).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../test/e2e/chromium';
import { ensureBuild } from '../../test/e2e/ensure-build';
import { startServe } from '../../test/e2e/serve-process';
import {
  firstRender,
  firstRenderResults,
  mainThreadOver,
  pageResults,
  rowsAtLeast,
  sleep,
} from '../lib/page-metrics';
import type { PageWindow, RowsMark } from '../lib/page-metrics';
import type { BenchResult } from '../lib/types';

const WINDOW_MS = 30_000;
/** The console's refresh, and how often agents rewrite every row at the raw resolution. */
const WRITE_EVERY_MS = 2_000;
/** At the default 10 s resolution. */
const WRITE_EVERY_MS_10S = 10_000;
const LOAD_TIMEOUT_MS = 180_000;

/** Calls `write` every `everyMs` until the returned stop is called. */
function keepWriting(write: () => Promise<void>, everyMs = WRITE_EVERY_MS): () => Promise<void> {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await write();
      await sleep(everyMs);
    }
  })();
  return async () => {
    stopped = true;
    await loop;
  };
}

/** The page's main thread while rows are written, then while none are. */
async function writingThenSilent(
  page: Page,
  write: () => Promise<void>,
  everyMs = WRITE_EVERY_MS,
): Promise<{ ours: PageWindow; baseline: PageWindow }> {
  const stop = keepWriting(write, everyMs);
  let ours: PageWindow;
  try {
    await sleep(3_000);
    ours = await mainThreadOver(page, WINDOW_MS);
  } finally {
    await stop();
  }
  // Rows written within the last refresh are still being read and sent: let them pass.
  await sleep(5_000);
  const baseline = await mainThreadOver(page, WINDOW_MS / 2);
  return { ours, baseline };
}

/** A page opened on a view, its first render while rows are written and while not. */
async function openView(
  browser: Browser,
  url: string,
  rows: number,
  mark: RowsMark,
  write: () => Promise<void>,
) {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  const load = async () => {
    await page.goto(url, { waitUntil: 'commit', timeout: LOAD_TIMEOUT_MS });
    await rowsAtLeast(page, rows, LOAD_TIMEOUT_MS);
    return firstRender(page, mark);
  };
  const stop = keepWriting(write);
  let first;
  try {
    first = await load();
  } finally {
    await stop();
  }
  await sleep(5_000);
  const silent = await load();
  return { page, first, silent };
}

export async function consoleInChromium(
  database: string,
  scratch: string,
  hosts: number,
  vms: number,
  write: () => Promise<void>,
): Promise<BenchResult[]> {
  await ensureBuild();
  const config = join(scratch, 'config');
  mkdirSync(config, { recursive: true });
  const serve = await startServe(
    [
      '--db',
      join(scratch, 'serve.db'),
      '--central',
      `mysql://root@127.0.0.1:3306/${database}`,
      '--central-refresh',
      String(WRITE_EVERY_MS / 1000),
    ],
    // Its own configuration: no saved host of this machine's admin is polled.
    { ...process.env, XDG_CONFIG_HOME: config, SETMOV_CENTRAL_PASSWORD: '' },
  );
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  const windows = { oursMs: WINDOW_MS, baselineMs: WINDOW_MS / 2 };
  try {
    const overview = await openView(
      browser,
      `${serve.url}#/overview`,
      hosts,
      'setmov:overview-rows',
      write,
    );
    const overviewRun = await writingThenSilent(overview.page, write);
    await overview.page.close();
    const desktops = await openView(
      browser,
      `${serve.url}#/desktops`,
      vms,
      'setmov:desktops-rows',
      write,
    );
    const desktopsRun = await writingThenSilent(desktops.page, write);
    const desktopsAt10s = await writingThenSilent(desktops.page, write, WRITE_EVERY_MS_10S);
    await desktops.page.close();
    const overviewName = `central console in Chromium: overview of ${hosts} hosts, every row rewritten every 2 s`;
    const desktopsName = `central console in Chromium: desktops table of ${vms.toLocaleString('en')} VMs`;
    return [
      ...firstRenderResults(overviewName, `${hosts} rows`, overview.first, overview.silent),
      ...pageResults(overviewName, overviewRun, windows),
      ...firstRenderResults(desktopsName, 'its rows in view', desktops.first, desktops.silent),
      ...pageResults(`${desktopsName}, every row rewritten every 2 s (raw)`, desktopsRun, windows),
      ...pageResults(
        `${desktopsName}, every row rewritten every 10 s (the default resolution)`,
        desktopsAt10s,
        windows,
      ),
    ];
  } finally {
    await browser.close();
    await serve.stop();
  }
}
