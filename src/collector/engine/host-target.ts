import type { SshTarget } from '../ssh/ssh-target';

/** The libvirt URI a host is watched through when none is given. */
export const DEFAULT_LIBVIRT_URI = 'qemu:///system';
export const DEFAULT_POLL_INTERVAL_MS = 2_000;
export const MIN_POLL_INTERVAL_MS = 1_000;
export const MAX_POLL_INTERVAL_MS = 60_000;
/** What the memory stats period of a running balloon is set to when it is 0 (virt-manager's choice too). */
export const DEFAULT_MEMORY_STATS_PERIOD_SEC = 2;

/** One host the engine watches: this machine, or a host over SSH, with its libvirt URI. */
export interface HostTarget {
  /** Unique within an engine: the saved host's id, or a label such as 'local'. */
  id: string;
  /** null: this machine (/proc read directly, libvirt through its local socket). */
  ssh: SshTarget | null;
  /** Default qemu:///system. Over SSH only its driver and path count: the transport is the SSH connection. */
  libvirtUri?: string;
  /** Time between polls, ms (default 2 000, 1 000 to 60 000). */
  pollIntervalMs?: number;
  /**
   * Memory stats period set on running domains with a virtio balloon whose period is 0,
   * s (default 2); 0 turns this off (the engine never changes a domain then).
   */
  memoryStatsPeriodSec?: number;
  /** Where /proc is read locally (tests); ignored over SSH. */
  procRoot?: string;
}

/** A HostTarget with its defaults filled in. */
export interface ResolvedHostTarget extends HostTarget {
  libvirtUri: string;
  pollIntervalMs: number;
  memoryStatsPeriodSec: number;
}

/** A target that cannot be watched as given (bad interval, empty id, ...). */
export class HostTargetError extends Error {
  override readonly name = 'HostTargetError';
}

export function resolveHostTarget(target: HostTarget): ResolvedHostTarget {
  if (target.id.trim() === '') throw new HostTargetError('a host needs a non-empty id');
  const pollIntervalMs = target.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  if (
    !Number.isFinite(pollIntervalMs) ||
    pollIntervalMs < MIN_POLL_INTERVAL_MS ||
    pollIntervalMs > MAX_POLL_INTERVAL_MS
  ) {
    throw new HostTargetError(
      `${target.id}: the poll interval must be 1 to 60 s, not ${pollIntervalMs / 1000} s`,
    );
  }
  const period = target.memoryStatsPeriodSec ?? DEFAULT_MEMORY_STATS_PERIOD_SEC;
  if (!Number.isInteger(period) || period < 0 || period > 3600) {
    throw new HostTargetError(
      `${target.id}: the memory stats period must be a whole number of seconds from 0 to 3600, not ${period}`,
    );
  }
  return {
    ...target,
    libvirtUri: target.libvirtUri ?? DEFAULT_LIBVIRT_URI,
    pollIntervalMs,
    memoryStatsPeriodSec: period,
  };
}
