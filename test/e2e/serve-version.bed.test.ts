import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadBed } from '../helpers/bed';
import { chromiumArgs, chromiumPath, describeChromium } from './chromium';
import { ensureBuild, projectRoot } from './ensure-build';
import { startServe } from './serve-process';
import type { ServeProcess } from './serve-process';

const { version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
  version: string;
};
const screenshotPath = '/tmp/setmov-serve-version.png';
const stoppedScreenshotPath = '/tmp/setmov-serve-stopped.png';
const liveScreenshotPath = '/tmp/setmov-serve-live.png';
const screenshotDir = join(projectRoot, 'out', 'screenshots');
const bedDomains = loadBed()?.domains ?? [];

/** One view at 1280×800 and 1920×1080, as out/screenshots/<view>-<theme>-<lang>-<w>.png. */
async function shoot(page: Page, view: string, theme: string, language: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  for (const [width, height] of [
    [1920, 1080],
    [1280, 800],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(300);
    // The page itself never scrolls sideways at either size.
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(
      true,
    );
    await page.screenshot({
      path: join(screenshotDir, `${view}-${theme}-${language}-${width}.png`),
    });
  }
}
// Generous: the suite shares 2 cores with the bed's guests and the other tests.
const testTimeoutMs = 90_000;

describeChromium('the console in Chromium through `setmov serve`', () => {
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await ensureBuild();
    serve = await startServe();
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (serve?.child.exitCode === null) await serve.stop();
  }, testTimeoutMs);

  it(
    'shows SETMOV and the version obtained through the contract, under the CSP',
    async () => {
      page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const eventSocket = page.waitForEvent('websocket');
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') {
          problems.push(`${message.type()}: ${message.text()}`);
        }
      });
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('requestfailed', (request) => problems.push(`failed: ${request.url()}`));
      page.on('response', (response) => {
        if (response.status() >= 400) problems.push(`${response.status()}: ${response.url()}`);
      });

      const response = await page.goto(serve.url);
      expect(response?.status()).toBe(200);
      // The token became a cookie page scripts cannot read, and left the address bar.
      expect(page.url()).toBe(`${serve.origin}/`);
      expect(await page.evaluate('document.cookie')).toBe('');
      const [cookie] = await page.context().cookies();
      expect(cookie).toMatchObject({ value: serve.token, httpOnly: true, sameSite: 'Strict' });
      const csp = response?.headers()['content-security-policy'] ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self';");
      expect(csp).not.toContain('unsafe');

      const versionBadge = page.getByTestId('app-version');
      await expect.poll(() => versionBadge.textContent(), { timeout: 60_000 }).toBe(`v${version}`);
      expect(await page.locator('.brand-name').textContent()).toBe('SETMOV');
      // First start: this machine is the one host, and its row fills in.
      await expect.poll(() => page.locator('tbody tr').count(), { timeout: 30_000 }).toBe(1);
      expect(await page.getByRole('heading', { name: 'Hosts' }).isVisible()).toBe(true);
      expect(await page.locator('.badge').textContent()).toBe('Web console');
      expect(await page.title()).toBe('SETMOV Console');
      await page.screenshot({ path: screenshotPath });
      expect((await eventSocket).url()).toBe(`${serve.origin.replace('http', 'ws')}/api/ws`);
      expect(problems).toEqual([]);
    },
    testTimeoutMs,
  );

  it(
    "shows this machine's live figures, updated once per second",
    async () => {
      // The admin sets this machine's poll to 1 s, as the settings would.
      const api = async (name: string, params?: unknown): Promise<unknown> => {
        const response = await fetch(`${serve.origin}/api/request`, {
          method: 'POST',
          headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name, params }),
        });
        return ((await response.json()) as { ok: unknown }).ok;
      };
      const [local] = (await api('hosts.list')) as { id: string; name: string }[];
      expect(await api('hosts.update', { id: local?.id, pollIntervalSec: 1 })).toMatchObject({
        pollIntervalSec: 1,
      });
      const cpu = page.locator(`tr[data-host="${local?.name}"] [data-testid="host-cpu"]`);
      await expect.poll(() => cpu.getAttribute('data-ts'), { timeout: 30_000 }).toMatch(/^\d+$/);
      // Every sample time the page shows over 8 s: each a new sample, about 1 s apart.
      const seen = new Map<string, number>();
      const end = Date.now() + 8_000;
      while (Date.now() < end) {
        const ts = (await cpu.getAttribute('data-ts')) ?? '';
        if (!seen.has(ts)) seen.set(ts, Date.now());
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const stamps = [...seen.keys()].map(Number).sort((a, b) => a - b);
      expect(stamps.length).toBeGreaterThanOrEqual(6);
      expect(stamps.length).toBeLessThanOrEqual(10);
      const gaps = stamps.slice(1).map((ts, i) => ts - (stamps[i] as number));
      const median = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)] as number;
      expect(median).toBeGreaterThan(800);
      expect(median).toBeLessThan(1_300);
      expect(await cpu.textContent()).toMatch(/^\d+(\.\d)?%$/);
      await page.screenshot({ path: liveScreenshotPath });
    },
    testTimeoutMs,
  );

  it(
    'lists the desktops: sorted by CPU, the busy guest first; Korean and dark on request',
    async () => {
      await page.getByRole('tab', { name: 'Desktops' }).click();
      const cpuGuest = bedDomains.find((d) => d.workload === 'cpu');
      await expect
        .poll(
          () =>
            page
              .locator(`tr[data-uuid="${cpuGuest?.uuid}"] td[data-column="cpuHost"]`)
              .textContent(),
          {
            timeout: 30_000,
          },
        )
        .toMatch(/%$/);
      await page.getByRole('button', { name: 'Sort by CPU (% of host)' }).click();
      // Other domains may share this libvirtd: the bed's busy one leads the bed's.
      const order = await page
        .locator('tbody tr')
        .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-uuid')));
      const bedOrder = order.filter((uuid) => bedDomains.some((d) => d.uuid === uuid));
      expect(bedOrder[0]).toBe(cpuGuest?.uuid);
      await shoot(page, 'desktops', 'light', 'en');

      await page.getByRole('tab', { name: 'Overview' }).click();
      await shoot(page, 'overview', 'light', 'en');
      await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
      await expect.poll(() => page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
      await shoot(page, 'overview', 'dark', 'en');
      await page.getByRole('combobox', { name: 'Language' }).selectOption('ko');
      await expect.poll(() => page.getByRole('tab', { name: '데스크톱' }).count()).toBe(1);
      expect(await page.evaluate('document.documentElement.lang')).toBe('ko');
      await shoot(page, 'overview', 'dark', 'ko');
      await page.getByRole('tab', { name: '데스크톱' }).click();
      await shoot(page, 'desktops', 'dark', 'ko');
      // Kept by the backend: a reload comes back in Korean and dark.
      await page.reload();
      await expect.poll(() => page.getByRole('tab', { name: '개요' }).count()).toBe(1);
      await page.getByRole('combobox', { name: '언어' }).selectOption('en');
      await page.getByRole('combobox', { name: 'Theme' }).selectOption('light');
      await expect
        .poll(() => page.evaluate('document.documentElement.dataset.theme'))
        .toBe('light');
      await page.getByRole('tab', { name: 'Overview' }).click();
    },
    testTimeoutMs,
  );

  it(
    'enforces the CSP: an injected inline script does not run',
    async () => {
      const page = await browser.newPage();
      await page.goto(serve.url);
      // Source text, not a function: this file is compiled without the DOM's types.
      const outcome: unknown = await page.evaluate(`new Promise((resolve) => {
      document.addEventListener('securitypolicyviolation', (event) =>
        resolve({ ran: window.inlineRan === true, violated: event.effectiveDirective }));
      const script = document.createElement('script');
      script.textContent = 'window.inlineRan = true';
      document.head.append(script);
      setTimeout(() => resolve({ ran: window.inlineRan === true, violated: '' }), 10_000);
    })`);
      expect(outcome).toEqual({ ran: false, violated: 'script-src-elem' });
      await page.close();
    },
    testTimeoutMs,
  );

  it(
    'stops cleanly on SIGINT, telling the open page',
    async () => {
      expect(await serve.stop()).toBe(0);
      await expect
        .poll(() => page.getByTestId('backend-stopped').textContent(), { timeout: 30_000 })
        .toContain('The SETMOV server has stopped');
      await page.screenshot({ path: stoppedScreenshotPath });
      expect(serve.output().stdout).toContain('stopped');
      expect(serve.output().stderr).toBe('');
    },
    testTimeoutMs,
  );
});
