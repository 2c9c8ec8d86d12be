import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { CollectorEngine } from '../../../src/collector/engine/collector-engine';
import { describeBed } from '../../helpers/bed';
import { bedSshTarget } from './bed-targets';
import { EngineWatch } from './engine-watch';
import { activeResources, settledLeaks } from './handles';

const libvirtdScript = fileURLToPath(new URL('../../bed/libvirtd.sh', import.meta.url));

describeBed('fault: libvirtd restarted under a local and an SSH session', (bed) => {
  let restarted = false;
  afterAll(() => {
    // Whatever happened, leave the daemon running for the next suite.
    if (restarted) execFileSync('bash', [libvirtdScript, 'start'], { stdio: 'ignore' });
  });

  it('both go degraded (libvirt, saying why), keep /proc samples, reconnect and resume VM samples', async () => {
    const before = activeResources();
    const engine = new CollectorEngine();
    const watch = new EngineWatch(engine);
    engine.addHost({ id: 'local', ssh: null, libvirtUri: bed.libvirt.uri, pollIntervalMs: 1000 });
    engine.addHost({ ...bedSshTarget(bed), pollIntervalMs: 1000 });
    for (const id of ['local', 'bed-ssh']) {
      await watch.waitFor('host-status', (e) => e.hostId === id && e.status === 'up', 30_000);
    }

    const cut = Date.now();
    restarted = true;
    execFileSync('bash', [libvirtdScript, 'restart'], { stdio: 'ignore', timeout: 60_000 });
    const back = Date.now();

    for (const id of ['local', 'bed-ssh']) {
      const degraded = await watch.waitFor(
        'host-status',
        (e) => e.hostId === id && e.status === 'degraded',
        10_000,
        cut,
      );
      expect(degraded.event.libvirtError).not.toBeNull();
      expect(degraded.event.procError).toBeNull();
      expect(degraded.event.reason).toMatch(/^libvirt: /);
      // 1 s, then 2 s, 4 s ... jittered: the daemon is back within a few attempts.
      const up = await watch.waitFor(
        'host-status',
        (e) => e.hostId === id && e.status === 'up',
        30_000,
        degraded.at,
      );
      console.log(
        `${id}: degraded at +${degraded.at - cut} ms (${degraded.event.reason}); up again ${up.at - back} ms after the daemon was back`,
      );
      // /proc kept being sampled while libvirt was away.
      const during = watch
        .of('host-sample')
        .filter((e) => e.hostId === id && e.ts > degraded.at && e.ts < up.at);
      if (up.at - degraded.at > 2_500) expect(during.length).toBeGreaterThan(0);
      for (const s of during) expect(s.sample.vmCount).toBeNull();
      const resumed = await watch.waitFor('vm-sample', (e) => e.hostId === id, 10_000, up.at);
      expect(resumed.event.sample.state).toBe('running');
      const inventory = engine.inventory(id);
      for (const d of bed.domains) {
        expect(inventory.find((v) => v.uuid === d.uuid)).toMatchObject({
          gone: false,
          state: 'running',
        });
      }
    }
    expect(watch.of('host-status').some((e) => e.status === 'unreachable')).toBe(false);

    await engine.stop();
    watch.dispose();
    expect(await settledLeaks(before, 5_000)).toEqual({});
    expect(watch.unhandled).toEqual([]);
  }, 120_000);
});
