import type { Recommendation, VmAnalysis } from '../analysis/vm-analysis';
import type { LibvirtConnection } from '../collector/libvirt/libvirt-connection';
import type { DomainRef } from '../collector/libvirt/remote-types';
import type { AuditChangeKind, AuditEntry, AuditScope } from '../shared/model/audit-entry';
import { recordAudit } from '../store/audit-log';
import type { Store } from '../store/store';
import { planResize } from './resize-plan';
import type { ResizePlan, SafeMinimums } from './resize-plan';
import { readDomainSize, resizeDomain } from './resize-domain';

export type ApplyErrorCode = 'not-applicable' | 'domain-not-found' | 'not-audited';

export class ApplyError extends Error {
  override readonly name = 'ApplyError';
  constructor(
    readonly code: ApplyErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** What a recommendation resizes; null for the advice only a person can act on (idle). */
export function changeOf(recommendation: Recommendation): AuditChangeKind | null {
  switch (recommendation.kind) {
    case 'less-memory':
    case 'more-memory':
      return 'memory';
    case 'fewer-vcpus':
    case 'more-vcpus':
      return 'vcpus';
    default:
      return null;
  }
}

export interface PreparedApply {
  vm: Extract<VmAnalysis, { status: 'analysed' }>;
  recommendation: Recommendation;
  domain: DomainRef;
  plan: ResizePlan;
  scope: AuditScope;
}

/**
 * The exact change a recommendation would make to the domain as it is now: read from
 * libvirt, checked against the safe minimums. Nothing is changed; the plan is the preview.
 */
export async function prepareApply(
  lv: LibvirtConnection,
  vm: PreparedApply['vm'],
  recommendation: Recommendation,
  scope: AuditScope,
  minimums: SafeMinimums,
): Promise<PreparedApply> {
  const change = changeOf(recommendation);
  if (change === null || recommendation.to === undefined)
    throw new ApplyError(
      'not-applicable',
      `${recommendation.kind} is advice for a person (shut the desktop down or reclaim it): there is no size to set`,
    );
  let domain: DomainRef;
  try {
    domain = await lv.lookupDomainByUuid(vm.uuid);
  } catch (error) {
    throw new ApplyError(
      'domain-not-found',
      `${vm.name} (${vm.uuid}) is not on this libvirt (its history says ${vm.host || 'an unknown host'}): ${(error as Error).message}`,
    );
  }
  const size = await readDomainSize(lv, domain);
  const plan = planResize(size, { change, to: recommendation.to, scope }, minimums);
  return { vm, recommendation, domain, plan, scope };
}

/**
 * Makes the prepared change with the audit log written first: an entry that the change
 * is started (no entry, no change: a full disk refuses the change itself), then one of
 * its outcome, whatever it was. An outcome that cannot be written is an ApplyError
 * saying what was done, never a success reported with nothing in the log.
 */
export async function carryOut(
  lv: LibvirtConnection,
  store: Store,
  prepared: PreparedApply,
  actor: string,
  now: () => number = Date.now,
): Promise<AuditEntry> {
  const entry = {
    actor,
    host: prepared.vm.host,
    vmUuid: prepared.vm.uuid,
    vmName: prepared.vm.name,
    change: prepared.plan.change,
    recommendation: prepared.recommendation.id,
    before: prepared.plan.from,
    after: prepared.plan.to,
  };
  let started: AuditEntry;
  try {
    started = recordAudit(store, {
      ...entry,
      ts: now(),
      scope: prepared.scope,
      result: 'started',
      detail: null,
    });
  } catch (error) {
    throw new ApplyError(
      'not-audited',
      `nothing was changed: the audit log cannot be written (${(error as Error).message})`,
    );
  }
  const outcome = await resizeDomain(lv, prepared.domain, prepared.plan, prepared.scope);
  try {
    return recordAudit(store, {
      ...entry,
      // After the started entry, even within its millisecond: (uuid, ts, change) keys
      // the central copy.
      ts: Math.max(now(), started.ts + 1),
      scope: outcome.scope,
      result: outcome.result,
      detail: outcome.detail,
    });
  } catch (error) {
    throw new ApplyError(
      'not-audited',
      `${prepared.vm.name}: ${prepared.plan.change} ${outcome.result} (${outcome.scope}), but the outcome could not be written to the audit log (${(error as Error).message}); it holds the entry that the change was started`,
    );
  }
}
