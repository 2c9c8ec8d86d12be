import { describe, expect, it } from 'vitest';
import { describePlan, planResize, ResizeRefused } from '../../src/actions/resize-plan';
import type { DomainSize } from '../../src/actions/resize-plan';
import { AffectFlag, MEM_MAXIMUM, VCPU_MAXIMUM } from '../../src/collector/libvirt/domain-flags';

const MiB = 1024 * 1024;
const running: DomainSize = {
  running: true,
  persistent: true,
  memoryBytes: 4096 * MiB,
  maxMemoryBytes: 4096 * MiB,
  vcpus: 4,
  maxVcpusLive: 4,
  maxVcpusConfig: 4,
};
const minimums = { minMemoryBytes: 512 * MiB, minVcpus: 1 };

describe('planResize', () => {
  it('shrinks memory live through the balloon and in the config, in KiB', () => {
    const plan = planResize(
      running,
      { change: 'memory', to: 2048 * MiB, scope: 'live+config' },
      minimums,
    );
    expect(plan.from).toBe(4096 * MiB);
    expect(plan.to).toBe(2048 * MiB);
    expect(plan.steps).toEqual([
      expect.objectContaining({
        scope: 'live',
        call: 'memory',
        value: 2048 * 1024,
        flags: AffectFlag.LIVE,
      }),
      expect.objectContaining({
        scope: 'config',
        call: 'memory',
        value: 2048 * 1024,
        flags: AffectFlag.CONFIG,
      }),
    ]);
    expect(describePlan(plan)).toEqual([
      'memory: 4096 MiB → 2048 MiB',
      '  live: balloon the running guest to 2048 MiB',
      '  config: set 2048 MiB in the config for the next boot',
    ]);
  });

  it('raises the config maximum first to grow past it, and says live cannot', () => {
    const plan = planResize(
      running,
      { change: 'memory', to: 6144 * MiB, scope: 'live+config' },
      minimums,
    );
    expect(plan.steps.map((s) => [s.scope, s.flags, s.sets])).toEqual([
      ['config', AffectFlag.CONFIG | MEM_MAXIMUM, 'maximum'],
      ['config', AffectFlag.CONFIG, 'size'],
    ]);
    // Words for the command line, and the parts for a page to word in its language.
    expect(plan.skipped).toEqual([
      {
        scope: 'live',
        why: 'above-started-maximum',
        maximum: 4096 * MiB,
        text: 'live: 6144 MiB is above the 4096 MiB it was started with; the config change takes effect at the next boot',
      },
    ]);
    const vcpus = planResize(running, { change: 'vcpus', to: 6, scope: 'live+config' }, minimums);
    expect(vcpus.steps.map((s) => [s.scope, s.value, s.flags])).toEqual([
      ['config', 6, AffectFlag.CONFIG | VCPU_MAXIMUM],
      ['config', 6, AffectFlag.CONFIG],
    ]);
  });

  it('changes only the config of a domain that is off, only live for a transient one', () => {
    const off = planResize(
      { ...running, running: false, maxVcpusLive: null },
      { change: 'vcpus', to: 2, scope: 'live+config' },
      minimums,
    );
    expect(off.steps.map((s) => s.scope)).toEqual(['config']);
    expect(off.skipped).toEqual([
      { scope: 'live', why: 'not-running', maximum: null, text: 'live: the domain is not running' },
    ]);
    const transient = planResize(
      { ...running, persistent: false, maxVcpusConfig: null },
      { change: 'vcpus', to: 2, scope: 'live+config' },
      minimums,
    );
    expect(transient.steps.map((s) => s.scope)).toEqual(['live']);
    expect(transient.skipped.map((p) => [p.why, p.text])).toEqual([
      ['transient', 'config: the domain is transient, it has no next boot'],
    ]);
  });

  it('refuses under the safe minimums, a change to the same size, and nothing doable', () => {
    const refusal = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(ResizeRefused);
        return (error as ResizeRefused).code;
      }
      throw new Error('not refused');
    };
    expect(
      refusal(() =>
        planResize(running, { change: 'memory', to: 256 * MiB, scope: 'live+config' }, minimums),
      ),
    ).toBe('below-minimum');
    expect(
      refusal(() => planResize(running, { change: 'vcpus', to: 0, scope: 'config' }, minimums)),
    ).toBe('below-minimum');
    expect(
      refusal(() => planResize(running, { change: 'vcpus', to: 4, scope: 'config' }, minimums)),
    ).toBe('no-change');
    expect(
      refusal(() =>
        planResize(
          { ...running, persistent: false },
          { change: 'memory', to: 1024 * MiB, scope: 'config' },
          minimums,
        ),
      ),
    ).toBe('nothing-possible');
    expect(
      refusal(() => planResize(running, { change: 'memory', to: NaN, scope: 'live' }, minimums)),
    ).toBe('below-minimum');
  });
});
