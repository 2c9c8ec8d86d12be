import { describe, expect, it } from 'vitest';
import { resizeDomain } from '../../src/actions/resize-domain';
import { planResize } from '../../src/actions/resize-plan';
import type { DomainSize } from '../../src/actions/resize-plan';
import type { LibvirtConnection } from '../../src/collector/libvirt/libvirt-connection';
import type { DomainRef } from '../../src/collector/libvirt/remote-types';

const MiB = 1024 * 1024;
const domain = { name: 'desk', uuid: '5e7a0b0d-0000-4000-8000-000000000001', id: 3 } as DomainRef;
const size: DomainSize = {
  running: true,
  persistent: true,
  memoryBytes: 4096 * MiB,
  maxMemoryBytes: 4096 * MiB,
  vcpus: 4,
  maxVcpusLive: 4,
  maxVcpusConfig: 4,
};
const minimums = { minMemoryBytes: 512 * MiB, minVcpus: 1 };

/**
 * libvirt refusing the calls whose flags are listed: the refusals a real daemon gives
 * only in states a test cannot bring about on demand (a balloon driver that does not
 * answer, a config locked by another client). The calls made are recorded.
 */
function libvirtRefusing(refused: number[]) {
  const calls: [string, number, number][] = [];
  const call =
    (name: string) =>
    (_d: DomainRef, value: number | bigint, flags = 0) => {
      calls.push([name, Number(value), flags]);
      return refused.includes(flags)
        ? Promise.reject(new Error(`libvirt error 1: refused (${name} flags ${flags})`))
        : Promise.resolve();
    };
  const lv = {
    domainSetMemoryFlags: call('memory'),
    domainSetVcpusFlags: call('vcpus'),
  } as unknown as LibvirtConnection;
  return { lv, calls };
}

describe('resizeDomain', () => {
  it('makes every call of the plan in order and calls it applied', async () => {
    const { lv, calls } = libvirtRefusing([]);
    const plan = planResize(
      size,
      { change: 'memory', to: 2048 * MiB, scope: 'live+config' },
      minimums,
    );
    expect(await resizeDomain(lv, domain, plan, 'live+config')).toEqual({
      result: 'applied',
      scope: 'live+config',
      detail: null,
    });
    expect(calls).toEqual([
      ['memory', 2048 * 1024, 1],
      ['memory', 2048 * 1024, 2],
    ]);
  });

  it("is partial when live refuses and the config takes it, with libvirt's words", async () => {
    const { lv } = libvirtRefusing([1]);
    const plan = planResize(size, { change: 'vcpus', to: 2, scope: 'live+config' }, minimums);
    expect(await resizeDomain(lv, domain, plan, 'live+config')).toEqual({
      result: 'partial',
      scope: 'config',
      detail: 'live: libvirt error 1: refused (vcpus flags 1)',
    });
  });

  it('does not set a config size whose maximum could not be raised, and says what was not done', async () => {
    const { lv, calls } = libvirtRefusing([2 | 4]);
    const plan = planResize(
      size,
      { change: 'memory', to: 6144 * MiB, scope: 'live+config' },
      minimums,
    );
    const outcome = await resizeDomain(lv, domain, plan, 'live+config');
    expect(outcome.result).toBe('failed');
    expect(outcome.scope).toBe('live+config');
    expect(outcome.detail).toMatch(
      /^live: 6144 MiB is above the 4096 MiB it was started with.*; config: libvirt error 1/,
    );
    // The maximum was refused: the config's size was never asked for.
    expect(calls).toEqual([['memory', 6144 * 1024, 6]]);
  });
});
