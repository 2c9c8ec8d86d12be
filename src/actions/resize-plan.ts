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
  /** The size the guest has, or the most it may be given (raised first to grow past it). */
  sets: 'size' | 'maximum';
  /** What it does, in English words, for the command line; a page words it from the above. */
  what: string;
}

/** A part of the asked scope that cannot be done. */
export interface SkippedPart {
  scope: 'live' | 'config';
  why: 'not-running' | 'above-started-maximum' | 'transient';
  /** The maximum the running guest was started with (bytes or vCPUs), for above-started-maximum. */
  maximum: number | null;
  /** Why, in English words, for the command line and the audit log. */
  text: string;
}

export interface ResizePlan {
  change: AuditChangeKind;
  from: number;
  to: number;
  steps: ResizeStep[];
  skipped: SkippedPart[];
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
  const skipped: SkippedPart[] = [];
  const call = memory ? 'memory' : 'vcpus';
  const value = (n: number) => (memory ? n / 1024 : n);
  if (wantsLive(request.scope)) {
    const liveMax = memory ? size.maxMemoryBytes : size.maxVcpusLive;
    if (!size.running)
      skipped.push({
        scope: 'live',
        why: 'not-running',
        maximum: null,
        text: 'live: the domain is not running',
      });
    else if (liveMax !== null && to > liveMax)
      skipped.push({
        scope: 'live',
        why: 'above-started-maximum',
        maximum: liveMax,
        text: `live: ${show(to)} is above the ${show(liveMax)} it was started with; the config change takes effect at the next boot`,
      });
    else
      steps.push({
        scope: 'live',
        call,
        value: value(to),
        flags: AffectFlag.LIVE,
        sets: 'size',
        what: memory
          ? `balloon the running guest to ${show(to)}`
          : `hot-plug the running guest to ${show(to)}`,
      });
  }
  if (wantsConfig(request.scope)) {
    const configMax = memory ? size.maxMemoryBytes : size.maxVcpusConfig;
    if (!size.persistent)
      skipped.push({
        scope: 'config',
        why: 'transient',
        maximum: null,
        text: 'config: the domain is transient, it has no next boot',
      });
    else {
      if (configMax !== null && to > configMax)
        steps.push({
          scope: 'config',
          call,
          value: value(to),
          flags: AffectFlag.CONFIG | (memory ? MEM_MAXIMUM : VCPU_MAXIMUM),
          sets: 'maximum',
          what: `raise the maximum in the config to ${show(to)}`,
        });
      steps.push({
        scope: 'config',
        call,
        value: value(to),
        flags: AffectFlag.CONFIG,
        sets: 'size',
        what: `set ${show(to)} in the config for the next boot`,
      });
    }
  }
  if (steps.length === 0)
    throw new ResizeRefused('nothing-possible', skipped.map((s) => s.text).join('; '));
  return { change: request.change, from, to, steps, skipped };
}

/** The plan in words: what the preview shows before anything is done. */
export function describePlan(plan: ResizePlan): string[] {
  const show = plan.change === 'memory' ? mib : (n: number) => `${n} vCPU${n === 1 ? '' : 's'}`;
  return [
    `${plan.change}: ${show(plan.from)} → ${show(plan.to)}`,
    ...plan.steps.map((s) => `  ${s.scope}: ${s.what}`),
    ...plan.skipped.map((s) => `  not done: ${s.text}`),
  ];
}
