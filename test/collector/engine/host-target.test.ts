import { describe, expect, it } from 'vitest';
import { HostTargetError, resolveHostTarget } from '../../../src/collector/engine/host-target';

describe('resolveHostTarget', () => {
  it('fills in qemu:///system, 2 s and a 2 s memory stats period', () => {
    expect(resolveHostTarget({ id: 'local', ssh: null })).toMatchObject({
      libvirtUri: 'qemu:///system',
      pollIntervalMs: 2000,
      memoryStatsPeriodSec: 2,
    });
  });

  it.each([999, 60_001, NaN, 0, -1000])('refuses a poll interval of %s ms', (ms) => {
    expect(() => resolveHostTarget({ id: 'h', ssh: null, pollIntervalMs: ms })).toThrow(
      HostTargetError,
    );
  });

  it('accepts the bounds, 1 s and 60 s', () => {
    expect(resolveHostTarget({ id: 'h', ssh: null, pollIntervalMs: 1000 }).pollIntervalMs).toBe(
      1000,
    );
    expect(resolveHostTarget({ id: 'h', ssh: null, pollIntervalMs: 60_000 }).pollIntervalMs).toBe(
      60_000,
    );
  });

  it('lets a period of 0 turn the memory stats setting off, and refuses nonsense', () => {
    expect(
      resolveHostTarget({ id: 'h', ssh: null, memoryStatsPeriodSec: 0 }).memoryStatsPeriodSec,
    ).toBe(0);
    expect(() => resolveHostTarget({ id: 'h', ssh: null, memoryStatsPeriodSec: 1.5 })).toThrow(
      /whole number/,
    );
  });

  it('refuses an empty id', () => {
    expect(() => resolveHostTarget({ id: ' ', ssh: null })).toThrow(/non-empty id/);
  });
});
