import type { AuditChangeKind, AuditScope } from '../shared/model/audit-entry';
import { AffectFlag, MEM_MAXIMUM, VCPU_MAXIMUM } from '../collector/libvirt/domain-flags';

/** What libvirt says about a domain's size now, as far as a resize needs it. */
export interface DomainSize {
  running: boolean;
  /** Has a definition for its next boot (a transient domain has none). */
  persistent: boolean;
  memoryBytes: number;
  /** The most the running guest can be ballooned up to. */
  maxMemoryBytes: number;
  vcpus: number;
  /** The most vCPUs hot-plug can reach now; null when not running. */
  maxVcpusLive: number | null;
  /** The most vCPUs the next boot allows; null when transient. */
  maxVcpusConfig: number | null;
}

export interface ResizeRequest {
  change: AuditChangeKind;
  /** Bytes for memory, a count for vCPUs. */
  to: number;
  scope: AuditScope;
}

/** The floors no change goes under, whatever asked for it. */
export interface SafeMinimums {
  minMemoryBytes: number;
  minVcpus: number;
}

/** One libvirt call of a resize. */
export interface ResizeStep {
  scope: 'live' | 'config';
  /** memory: DOMAIN_SET_MEMORY_FLAGS (KiB); vcpus: DOMAIN_SET_VCPUS_FLAGS. */
  call: 'memory' | 'vcpus';
  value: number;
  flags: number;
  /** What it does, in words, for the preview. */
  what: string;
}

export interface ResizePlan {
  change: AuditChangeKind;
  from: number;
  to: number;
  steps: ResizeStep[];
  /** Parts of the asked scope that cannot be done, and why. */
  skipped: string[];
}

export type ResizeRefusal = 'below-minimum' | 'no-change' | 'nothing-possible';

export class ResizeRefused extends Error {
  override readonly name = 'ResizeRefused';
  constructor(
    readonly code: ResizeRefusal,
    message: string,
  ) {
    super(message);
  }
}

const MiB = 1024 * 1024;
const mib = (bytes: number) => `${Math.round(bytes / MiB)} MiB`;
const wantsLive = (scope: AuditScope) => scope !== 'config';
const wantsConfig = (scope: AuditScope) => scope !== 'live';

/**
 * The calls that resize a domain as asked, or a refusal saying why not. Pure: the
 * domain's size in, the plan out; nothing is changed here. Live changes go through the
 * balloon or vCPU hot-plug and cannot pass the maximum the guest was started with; the
 * config for the next boot can, by raising its maximum first.
 */
export function planResize(
  size: DomainSize,
  request: ResizeRequest,
  minimums: SafeMinimums,
): ResizePlan {
  const memory = request.change === 'memory';
  const to = memory ? Math.ceil(request.to / 1024) * 1024 : Math.round(request.to);
  const from = memory ? size.memoryBytes : size.vcpus;
  const floor = memory ? minimums.minMemoryBytes : minimums.minVcpus;
  const show = memory ? mib : (n: number) => `${n} vCPU${n === 1 ? '' : 's'}`;
  if (!(to >= floor))
    throw new ResizeRefused(
      'below-minimum',
      `${show(to)} is under the safe minimum of ${show(floor)}`,
    );
  if (to === from) throw new ResizeRefused('no-change', `it already has ${show(to)}`);

  const steps: ResizeStep[] = [];
  const skipped: string[] = [];
  const call = memory ? 'memory' : 'vcpus';
  const value = (n: number) => (memory ? n / 1024 : n);
  if (wantsLive(request.scope)) {
    const liveMax = memory ? size.maxMemoryBytes : size.maxVcpusLive;
    if (!size.running) skipped.push('live: the domain is not running');
    else if (liveMax !== null && to > liveMax)
      skipped.push(
        `live: ${show(to)} is above the ${show(liveMax)} it was started with; the config change takes effect at the next boot`,
      );
    else
      steps.push({
        scope: 'live',
        call,
        value: value(to),
        flags: AffectFlag.LIVE,
        what: memory
          ? `balloon the running guest to ${show(to)}`
          : `hot-plug the running guest to ${show(to)}`,
      });
  }
  if (wantsConfig(request.scope)) {
    const configMax = memory ? size.maxMemoryBytes : size.maxVcpusConfig;
    if (!size.persistent) skipped.push('config: the domain is transient, it has no next boot');
    else {
      if (configMax !== null && to > configMax)
        steps.push({
          scope: 'config',
          call,
          value: value(to),
          flags: AffectFlag.CONFIG | (memory ? MEM_MAXIMUM : VCPU_MAXIMUM),
          what: `raise the maximum in the config to ${show(to)}`,
        });
      steps.push({
        scope: 'config',
        call,
        value: value(to),
        flags: AffectFlag.CONFIG,
        what: `set ${show(to)} in the config for the next boot`,
      });
    }
  }
  if (steps.length === 0) throw new ResizeRefused('nothing-possible', skipped.join('; '));
  return { change: request.change, from, to, steps, skipped };
}

/** The plan in words: what the preview shows before anything is done. */
export function describePlan(plan: ResizePlan): string[] {
  const show = plan.change === 'memory' ? mib : (n: number) => `${n} vCPU${n === 1 ? '' : 's'}`;
  return [
    `${plan.change}: ${show(plan.from)} → ${show(plan.to)}`,
    ...plan.steps.map((s) => `  ${s.scope}: ${s.what}`),
    ...plan.skipped.map((s) => `  not done: ${s}`),
  ];
}
