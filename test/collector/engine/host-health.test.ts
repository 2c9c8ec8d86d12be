import { describe, expect, it } from 'vitest';
import {
  hostHealth,
  sameHealth,
  type HostHealthFacts,
} from '../../../src/collector/engine/host-health';

const attached: HostHealthFacts = {
  phase: 'attached',
  unreachableReason: null,
  failedAttempts: 2,
  hostRetryAt: null,
  procError: null,
  libvirtError: null,
  libvirtRetryAt: null,
};

describe('hostHealth', () => {
  it('is up when attached with /proc and libvirt working, and forgets the failed attempts', () => {
    expect(hostHealth(attached)).toEqual({
      status: 'up',
      reason: null,
      procError: null,
      libvirtError: null,
      retryAt: null,
      failedAttempts: 0,
    });
  });

  it('is degraded naming each failing side, with the libvirt retry time', () => {
    const status = hostHealth({
      ...attached,
      procError: 'cannot read stat',
      libvirtError: 'socket gone',
      libvirtRetryAt: 1234,
    });
    expect(status).toEqual({
      status: 'degraded',
      reason: '/proc: cannot read stat; libvirt: socket gone',
      procError: 'cannot read stat',
      libvirtError: 'socket gone',
      retryAt: 1234,
      failedAttempts: 2,
    });
  });

  it('is unreachable with its reason and host retry time, hiding stale side errors', () => {
    const status = hostHealth({
      ...attached,
      phase: 'unreachable',
      unreachableReason: 'timed out',
      hostRetryAt: 99,
      procError: 'old',
      libvirtRetryAt: 5,
    });
    expect(status).toMatchObject({
      status: 'unreachable',
      reason: 'timed out',
      procError: null,
      libvirtError: null,
      retryAt: 99,
      failedAttempts: 2,
    });
  });

  it('is connecting or stopped with nothing else to say', () => {
    for (const phase of ['connecting', 'stopped'] as const) {
      expect(hostHealth({ ...attached, phase, procError: 'x', hostRetryAt: 3 })).toEqual({
        status: phase,
        reason: null,
        procError: null,
        libvirtError: null,
        retryAt: null,
        failedAttempts: 2,
      });
    }
  });

  it('treats a changed attempt count alone as no news', () => {
    const a = hostHealth({ ...attached, phase: 'unreachable', unreachableReason: 'r' });
    expect(sameHealth(a, { ...a, failedAttempts: 7 })).toBe(true);
    expect(sameHealth(a, { ...a, retryAt: 1 })).toBe(false);
  });
});
