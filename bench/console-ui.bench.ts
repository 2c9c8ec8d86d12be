// The console in Chromium, fed by the backend as serve wires it (the publish worker) polling
// replayed bed stats at 1 s. Three pages, each measured with the worker publishing and, as
// the baseline in the same run, with it silent (the page open, nothing pushed):
//   overview   100 hosts: first render (navigation start to 100 rows), then its main thread
//   desktops   2 hosts x 50 VMs: the desktops table of 100 VMs updating at 1 Hz
//   vm detail  one VM's page: 6 live charts appending at 1 Hz, at 1920x1080 and at 1280x800
//              (graphs out of view are not redrawn; the bench says how many were in view)
// How a page is measured: lib/page-metrics.ts.
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { requireBed } from '../test/helpers/bed';
import { chromiumArgs, chromiumPath } from '../test/e2e/chromium';
import { ensureBuild, projectRoot } from '../test/e2e/ensure-build';
import { PublishWorker } from './fleet/publish-worker-client';
import { recordBedStats, startReplayPeer } from './fleet/replay-peer';
import { bundleForNode } from './lib/bundle-for-node';
import { withBedGuestsCapped } from './lib/cap-bed-guests';
import {
  firstRender,
  firstRenderResults,
  mainThreadOver,
  pageResults,
  rowsAtLeast,
  sleep,
} from './lib/page-metrics';
import type { PageWindow } from './lib/page-metrics';
import type { BenchResult, Benchmark } from './lib/types';

const WINDOW_MS = 60_000;
/**
 * The bed's guests are held to a fifth of a core each while the console is measured
 * (their stats were recorded before and are replayed, so no figure changes): bed-cpu's
 * busy loop would otherwise keep one of the two cores, and the page's tasks would hold
 * the time Chromium's threads waited for the other.
 */
const GUEST_CAP_PERCENT = 20;

async function withWorker<T>(
  hosts: number,
  work: (worker: PublishWorker, url: string) => Promise<T>,
): Promise<T> {
  const bed = requireBed();
  await ensureBuild();
  const bundle = await bundleForNode('console-ui-bench', { file: 'bench/fleet/publish-worker.ts' });
  const peer = await startReplayPeer(await recordBedStats(bed.libvirt.uri));
  let worker: PublishWorker | undefined;
  try {
    return await withBedGuestsCapped(bed, GUEST_CAP_PERCENT, async () => {
      const started = await PublishWorker.start(
        bundle,
        `qemu+tcp://127.0.0.1:${peer.port}/system`,
        hosts,
        join(projectRoot, 'out', 'renderer'),
      );
      worker = started.worker;
      const { port, token } = started.ready;
      return await work(worker, `http://127.0.0.1:${port}/?token=${token}`);
    });
  } finally {
    await worker?.stop();
    await peer.close();
  }
}

/** The page's chart canvases, and how many of them are at least partly on screen. */
async function chartsInView(page: Page): Promise<{ all: number; inView: number }> {
  return (await page.evaluate(`(() => {
    const all = [...document.querySelectorAll('canvas')];
    const inView = all.filter((c) => {
      const r = c.getBoundingClientRect();
      return r.bottom > 0 && r.top < window.innerHeight && r.height > 0;
    });
    return { all: all.length, inView: inView.length };
  })()`)) as { all: number; inView: number };
}

/** The page publishing, then silent: ours and the same page's idle cost. */
async function publishingThenSilent(page: Page, worker: PublishWorker) {
  await worker.ask('publish');
  await sleep(3_000);
  const ours = await mainThreadOver(page, WINDOW_MS);
  await worker.ask('collect');
  await sleep(2_000);
  const baseline = await mainThreadOver(page, WINDOW_MS / 2);
  return { ours, baseline };
}

const windows = { oursMs: WINDOW_MS, baselineMs: WINDOW_MS / 2 };
const results = (name: string, run: { ours: PageWindow; baseline: PageWindow }) =>
  pageResults(`console in Chromium: ${name}`, run, windows);

const consoleUi: Benchmark = {
  name: 'console-ui',
  async run() {
    const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    try {
      const out: BenchResult[] = [];
      // 100 hosts: first render of the overview, then its cost while they poll.
      out.push(
        ...(await withWorker(100, async (worker, url) => {
          await worker.ask('publish');
          const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
          // The worker is collecting 5,000 VMs a second on the same 2 cores: its answers
          // are slow, so the page is waited for by its rows, not by its load event.
          await page.goto(url, { waitUntil: 'commit', timeout: 120_000 });
          await rowsAtLeast(page, 100, 120_000);
          const first = await firstRender(page, 'setmov:overview-rows');
          // The silent baseline: the same page reloaded, the backend not publishing.
          await worker.ask('collect');
          await page.reload({ waitUntil: 'commit', timeout: 120_000 });
          await rowsAtLeast(page, 100, 120_000);
          const silent = await firstRender(page, 'setmov:overview-rows');
          const run = await publishingThenSilent(page, worker);
          await page.close();
          return [
            ...firstRenderResults(
              'console in Chromium: overview of 100 hosts',
              '100 rows',
              first,
              silent,
            ),
            ...results('overview of 100 hosts', run),
          ];
        })),
      );
      // 2 hosts x 50 VMs: the desktops table of 100 VMs, then one VM's 4 live charts.
      out.push(
        ...(await withWorker(2, async (worker, url) => {
          const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
          await worker.ask('publish');
          await page.goto(url, { waitUntil: 'commit', timeout: 120_000 });
          await rowsAtLeast(page, 2, 120_000);
          await page.getByRole('tab', { name: 'Desktops' }).click();
          await rowsAtLeast(page, 100);
          const table = await publishingThenSilent(page, worker);
          await page.locator('tbody tr').first().getByRole('button').first().click();
          await page.waitForSelector('canvas');
          const charts = await publishingThenSilent(page, worker);
          const canvases = await chartsInView(page);
          // The smaller screen the console is made for: the graphs below the fold are not
          // redrawn until scrolled to, so the page costs what is on screen.
          await page.setViewportSize({ width: 1280, height: 800 });
          await sleep(2_000);
          const small = await publishingThenSilent(page, worker);
          const smallCanvases = await chartsInView(page);
          await page.close();
          return [
            ...results('desktops table of 100 VMs at 1 Hz', table),
            ...results(
              `VM page at 1920x1080, ${canvases.inView} of ${canvases.all} live charts in view at 1 Hz`,
              charts,
            ),
            ...results(
              `VM page at 1280x800, ${smallCanvases.inView} of ${smallCanvases.all} live charts in view at 1 Hz`,
              small,
            ),
          ];
        })),
      );
      return out;
    } finally {
      await browser.close();
    }
  },
};

export default consoleUi;
