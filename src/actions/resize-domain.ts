import type { DomainRef } from '../collector/libvirt/remote-types';
import type { LibvirtConnection } from '../collector/libvirt/libvirt-connection';
import { AffectFlag, VCPU_MAXIMUM } from '../collector/libvirt/domain-flags';
import type { AuditResult, AuditScope } from '../shared/model/audit-entry';
import type { DomainSize, ResizePlan } from './resize-plan';

const RUNNING = 1;
const BLOCKED = 2;
const PAUSED = 3;

/** The domain's size now, read from libvirt (info, persistence and vCPU maximums). */
export async function readDomainSize(
  lv: LibvirtConnection,
  domain: DomainRef,
): Promise<DomainSize> {
  const [info, persistent] = await Promise.all([
    lv.domainGetInfo(domain),
    lv.domainIsPersistent(domain),
  ]);
  // A paused guest still has a live definition the balloon and hot-plug act on.
  const running = info.state === RUNNING || info.state === BLOCKED || info.state === PAUSED;
  const [maxVcpusLive, maxVcpusConfig] = await Promise.all([
    running ? lv.domainGetVcpusFlags(domain, AffectFlag.LIVE | VCPU_MAXIMUM) : null,
    persistent ? lv.domainGetVcpusFlags(domain, AffectFlag.CONFIG | VCPU_MAXIMUM) : null,
  ]);
  return {
    running,
    persistent,
    memoryBytes: Number(info.memoryKiB) * 1024,
    maxMemoryBytes: Number(info.maxMemKiB) * 1024,
    vcpus: info.nrVirtCpu,
    maxVcpusLive,
    maxVcpusConfig,
  };
}

export interface ResizeOutcome {
  result: AuditResult;
  /** The scopes the change took effect in; the asked ones when it failed. */
  scope: AuditScope;
  /** What failed or was not done, with libvirt's words; null when all went through. */
  detail: string | null;
}

/**
 * Runs the plan's calls in order. A config step after a failed one of the same scope is
 * not tried (its maximum was not raised); live and config go on independently, so a
 * guest whose balloon refuses still gets its next-boot size.
 */
export async function resizeDomain(
  lv: LibvirtConnection,
  domain: DomainRef,
  plan: ResizePlan,
  asked: AuditScope,
): Promise<ResizeOutcome> {
  const failed = new Set<'live' | 'config'>();
  const done = new Set<'live' | 'config'>();
  const problems = plan.skipped.map((s) => s.text);
  for (const step of plan.steps) {
    if (failed.has(step.scope)) continue;
    try {
      if (step.call === 'memory')
        await lv.domainSetMemoryFlags(domain, BigInt(step.value), step.flags);
      else await lv.domainSetVcpusFlags(domain, step.value, step.flags);
      done.add(step.scope);
    } catch (error) {
      failed.add(step.scope);
      done.delete(step.scope);
      problems.push(`${step.scope}: ${(error as Error).message}`);
    }
  }
  const scope: AuditScope =
    done.has('live') && done.has('config')
      ? 'live+config'
      : done.has('live')
        ? 'live'
        : done.has('config')
          ? 'config'
          : asked;
  const result: AuditResult =
    done.size === 0 ? 'failed' : problems.length > 0 ? 'partial' : 'applied';
  return { result, scope, detail: problems.length > 0 ? problems.join('; ') : null };
}
