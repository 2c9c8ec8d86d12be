import type { HostStatus } from '../../shared/model/engine-events';

/** Where a session is in reaching its host. */
export type SessionPhase = 'connecting' | 'attached' | 'unreachable' | 'stopped';

/** Everything a host's status is made of, as the session knows it at one moment. */
export interface HostHealthFacts {
  phase: SessionPhase;
  /** Why the host is unreachable (phase 'unreachable'). */
  unreachableReason: string | null;
  /** Failed connection attempts since the host was last up. */
  failedAttempts: number;
  /** When the host is tried again, ms since the epoch (phase 'unreachable'). */
  hostRetryAt: number | null;
  /** Why /proc cannot be read while attached; null when it can. */
  procError: string | null;
  /** Why libvirt cannot be used while attached; null when it can. */
  libvirtError: string | null;
  /** When libvirt is tried again, ms since the epoch. */
  libvirtRetryAt: number | null;
}

const CLEAR = { procError: null, libvirtError: null } as const;

/**
 * The host's status from the session's facts: attached with both /proc and libvirt working is
 * up, attached with either failing is degraded (and says which), and before or after that the
 * phase speaks for itself. Pure, so that every combination is testable without a host.
 */
export function hostHealth(facts: HostHealthFacts): HostStatus {
  const { failedAttempts } = facts;
  switch (facts.phase) {
    case 'stopped':
      return { status: 'stopped', reason: null, ...CLEAR, retryAt: null, failedAttempts };
    case 'connecting':
      return { status: 'connecting', reason: null, ...CLEAR, retryAt: null, failedAttempts };
    case 'unreachable':
      return {
        status: 'unreachable',
        reason: facts.unreachableReason,
        ...CLEAR,
        retryAt: facts.hostRetryAt,
        failedAttempts,
      };
    case 'attached': {
      const problems = [
        facts.procError === null ? null : `/proc: ${facts.procError}`,
        facts.libvirtError === null ? null : `libvirt: ${facts.libvirtError}`,
      ].filter((p): p is string => p !== null);
      const up = problems.length === 0;
      return {
        status: up ? 'up' : 'degraded',
        reason: up ? null : problems.join('; '),
        procError: facts.procError,
        libvirtError: facts.libvirtError,
        retryAt: facts.libvirtRetryAt,
        failedAttempts: up ? 0 : failedAttempts,
      };
    }
  }
}

/** Whether two statuses say the same (failedAttempts alone is no news). */
export function sameHealth(a: HostStatus, b: HostStatus): boolean {
  return (
    a.status === b.status &&
    a.reason === b.reason &&
    a.procError === b.procError &&
    a.libvirtError === b.libvirtError &&
    a.retryAt === b.retryAt
  );
}
