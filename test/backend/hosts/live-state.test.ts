import { expect, it } from 'vitest';
import { LiveState } from '../../../src/backend/hosts/live-state';
import { CollectorEngine } from '../../../src/collector/engine/collector-engine';
import type { DetailedVmSample } from '../../../src/shared/model/engine-events';
import { makeRandom, makeVmSample } from '../../store/sample-factory';

it('forgets the last sample of a VM that is gone (a daemon rotating UUIDs does not grow it)', () => {
  const live = new LiveState(
    new CollectorEngine(),
    { publish: () => undefined, wants: () => false },
    () => undefined,
  );
  const rand = makeRandom(4);
  for (let i = 0; i < 1_000; i++) {
    const sample = {
      ...makeVmSample(i, i * 1000, rand),
      stateReason: 1,
    } as DetailedVmSample;
    live.observe({ type: 'vm-sample', hostId: 'kvm', ts: sample.ts, sample });
    live.observe({
      type: 'inventory-changed',
      hostId: 'kvm',
      ts: sample.ts,
      change: 'gone',
      host: 'kvm',
      vm: { uuid: sample.uuid } as never,
    });
  }
  const last = { ...makeVmSample(5_000, 1, rand), stateReason: 1 } as DetailedVmSample;
  live.observe({ type: 'vm-sample', hostId: 'kvm', ts: 1, sample: last });
  expect(live.sampledVmCount).toBe(1);
});
