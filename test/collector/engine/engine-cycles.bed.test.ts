import { expect, it } from 'vitest';
import { CollectorEngine } from '../../../src/collector/engine/collector-engine';
import type { HostTarget } from '../../../src/collector/engine/host-target';
import { describeBed } from '../../helpers/bed';
import { bedSshTarget } from './bed-targets';
import { EngineWatch } from './engine-watch';
import { activeResources, settledLeaks } from './handles';

const CYCLES = 200;

/**
 * Connects and disconnects 200 times, then counts the process's open handles. Every
 * `upEvery`-th cycle waits for the host to be up; the others cut it off after a random
 * 0–500 ms, in whatever phase it is (SSH handshake, identity, libvirt, inventory).
 */
async function cycles(target: HostTarget, upEvery: number): Promise<void> {
  const before = activeResources();
  const engine = new CollectorEngine();
  const watch = new EngineWatch(engine);
  for (let i = 0; i < CYCLES; i++) {
    const since = Date.now();
    engine.addHost(target);
    if (i % upEvery === 0) {
      await watch.waitFor('host-status', (e) => e.status === 'up', 30_000, since);
    } else {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 500));
    }
    await engine.removeHost(target.id);
    // Keep the record small: only the current cycle's events are looked at.
    watch.events.length = 0;
  }
  await engine.stop();
  watch.dispose();
  const leaked = await settledLeaks(before, 5_000);
  console.log(
    `${target.id}: ${CYCLES} cycles, resources before ${JSON.stringify(Object.fromEntries(before))}, leaked ${JSON.stringify(leaked)}`,
  );
  expect(leaked).toEqual({});
  expect(watch.unhandled).toEqual([]);
}

describeBed('no leaked sockets or timers after 200 connect/disconnect cycles', (bed) => {
  it('locally', () => cycles({ id: 'local', ssh: null, libvirtUri: bed.libvirt.uri }, 1), 600_000);
  // A full SSH attach costs seconds on the shared bed: up every 10th cycle, cut short otherwise.
  it('over SSH', () => cycles(bedSshTarget(bed), 10), 600_000);
});
