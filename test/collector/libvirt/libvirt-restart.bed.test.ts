import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { connectLibvirt } from '../../../src/collector/libvirt/connect';
import { CONSOLE_STATS_GROUPS } from '../../../src/collector/libvirt/domain-stats';
import { LibvirtClosedError, LibvirtProtocolError } from '../../../src/collector/libvirt/errors';
import { describeBed } from '../../helpers/bed';
import { libvirtExtras, waitFor } from './bed-helpers';

const run = promisify(execFile);
const CALL_TIMEOUT_MS = 10_000;

/**
 * Restarts the bed's libvirtd (test/bed/libvirtd.sh restart) while calls are in flight. Its own
 * file: other suites must not run while the daemon is away. The guests keep running, and the
 * suite waits until the new daemon lists them all running again.
 */
describeBed('libvirt client when libvirtd restarts under it', (bed) => {
  const control = libvirtExtras(bed).controlScript ?? 'test/bed/libvirtd.sh';

  afterAll(async () => {
    await run('bash', [control, 'start'], { timeout: 120_000 });
    await waitFor(
      'libvirtd back with every bed domain running',
      async () => {
        try {
          const lv = await connectLibvirt({ uri: bed.libvirt.uri, callTimeoutMs: 5_000 });
          try {
            const running = (await lv.listAllDomains()).filter((d) => d.id >= 0).map((d) => d.uuid);
            return bed.domains.every((d) => running.includes(d.uuid));
          } finally {
            await lv.close();
          }
        } catch {
          return false;
        }
      },
      120_000,
      500,
    );
  }, 300_000);

  it(
    'rejects in-flight calls with a typed error within their timeout and reports closed',
    { timeout: 180_000 },
    async () => {
      const lv = await connectLibvirt({ uri: bed.libvirt.uri, callTimeoutMs: CALL_TIMEOUT_MS });
      const closed = new Promise<{ at: number; reason: Error | null }>((resolve) =>
        lv.onClose((reason) => resolve({ at: Date.now(), reason })),
      );
      const outcomes: { ok: boolean; error?: unknown; settledAt: number; startedAt: number }[] = [];
      let restartAt = 0;
      // Keep 8 stats calls queued at the daemon at all times, so some are in flight when it goes.
      const worker = async () => {
        while (!lv.isClosed) {
          const startedAt = Date.now();
          try {
            await lv.getAllDomainStats(CONSOLE_STATS_GROUPS);
            outcomes.push({ ok: true, startedAt, settledAt: Date.now() });
          } catch (error) {
            outcomes.push({ ok: false, error, startedAt, settledAt: Date.now() });
          }
        }
      };
      const workers = Array.from({ length: 8 }, worker);
      await waitFor('a few polls', () => outcomes.length >= 16, 30_000);
      restartAt = Date.now();
      const restart = run('bash', [control, 'restart'], { timeout: 120_000 });
      const { at, reason } = await closed;
      await Promise.all(workers);
      await restart;

      expect(reason).toBeInstanceOf(LibvirtClosedError);
      expect(at - restartAt).toBeLessThan(CALL_TIMEOUT_MS);
      const failed = outcomes.filter((o) => !o.ok);
      expect(failed.length).toBeGreaterThan(0);
      for (const o of failed) {
        expect(
          o.error instanceof LibvirtClosedError || o.error instanceof LibvirtProtocolError,
        ).toBe(true);
        expect(o.settledAt - Math.max(o.startedAt, restartAt)).toBeLessThan(CALL_TIMEOUT_MS);
      }
      await expect(lv.getHostname()).rejects.toBeInstanceOf(LibvirtClosedError);
      await lv.close();
    },
  );
});
