import { ApplyError, carryOut, type PreparedApply } from '../../actions/apply-recommendation';
import { ResizeRefused } from '../../actions/resize-plan';
import { memoryVsDisk } from '../../analysis/memory-vs-disk';
import type { LibvirtConnection } from '../../collector/libvirt/libvirt-connection';
import { ContractError } from '../../shared/contract/reply';
import type { RequestHandler } from '../../shared/contract/requests';
import type { ApplyParams } from '../../shared/contract/schemas';
import type { ApplyPreview } from '../../shared/model/analysis-view';
import { readAudit } from '../../store/audit-log';
import type { Store } from '../../store/store';
import { readMemoryDiskHistory } from '../../store/usage-history/memory-disk-history';
import type { SettingsService } from '../settings-service';
import { storeCall, storeCallAsync } from '../store-call';
import { analyzeStoreInTurns, findRecommendation, stealP95 } from './analyze-store';
import type { AnalysisSettings } from '../../analysis/vm-analysis';
import { readCentralHistories, readCentralMemoryDisk } from '../central/central-analysis';
import { centralFailed } from '../central/central-history-route';
import type { CentralFleet } from '../central/central-service';
import { checkedAnalysisSettings } from './analysis-settings';
import { applyActor, prepareRecommendation } from './apply-flow';

/** Opens the libvirt of the host a VM is on now; a 'failed' ContractError when none is. */
export type VmHostConnector = (vm: { uuid: string; name: string }) => Promise<LibvirtConnection>;

/** What the console shows before an apply. */
function previewOf({ vm, recommendation, plan }: PreparedApply): ApplyPreview {
  return {
    id: recommendation.id,
    kind: recommendation.kind,
    uuid: vm.uuid,
    vmName: vm.name,
    host: vm.host,
    reason: recommendation.reason,
    change: plan.change,
    from: plan.from,
    to: plan.to,
    steps: plan.steps.map(({ scope, sets }) => ({ scope, sets })),
    skipped: plan.skipped.map(({ scope, why, maximum }) => ({ scope, why, maximum })),
  };
}

/** An expected refusal (no such advice now, a size under the safe minimum) as the console shows it. */
function asContractError(error: unknown): unknown {
  return error instanceof ApplyError || error instanceof ResizeRefused
    ? new ContractError('failed', error.message)
    : error;
}

/**
 * The analysis of the history and its changes: recommendations, a preview of one, its
 * apply (through the one apply flow `setmov apply` uses), and the audit log.
 */
export class AnalysisService {
  constructor(
    private readonly store: Store,
    private readonly settings: SettingsService,
    private readonly connectVmHost: VmHostConnector,
    private readonly log: (line: string) => void,
    /** The fleet read from the central database, whose hosts' history is there; null: none. */
    private readonly central: () => CentralFleet | null = () => null,
  ) {}

  readonly run: RequestHandler<'analysis.run'> = ({ windowMs }) =>
    this.analyse(checkedAnalysisSettings(this.settings.current, windowMs));

  readonly preview: RequestHandler<'analysis.preview'> = async (params) => {
    const { prepared, lv } = await this.prepare(params);
    await lv.close();
    return previewOf(prepared);
  };

  readonly apply: RequestHandler<'analysis.apply'> = async (params) => {
    const { prepared, lv } = await this.prepare(params);
    try {
      const entry = await carryOut(lv, this.store, prepared, applyActor());
      this.log(
        `setmov: ${entry.vmName}: ${entry.change} ${entry.before ?? '?'} → ${entry.after} ${entry.scope} ${entry.result}`,
      );
      return entry;
    } catch (error) {
      throw asContractError(error);
    } finally {
      await lv.close();
    }
  };

  readonly memoryVsDisk: RequestHandler<'analysis.memoryVsDisk'> = async ({ uuid, windowMs }) => {
    const now = Date.now();
    const fleet = this.central();
    const key = uuid.toLowerCase();
    if (fleet?.source.showsVm(key)) {
      const points = await readCentralMemoryDisk(fleet, key, now - windowMs, now).catch(
        centralFailed,
      );
      return memoryVsDisk(points);
    }
    return storeCall(() =>
      memoryVsDisk(readMemoryDiskHistory(this.store, { kind: 'vm', uuid }, now - windowMs, now)),
    );
  };

  readonly audit: RequestHandler<'audit.list'> = ({ uuid, limit }) =>
    storeCall(() => readAudit(this.store, { ...(uuid === undefined ? {} : { uuid }), limit }));

  /**
   * The analysis of this console's history and of the central one of the hosts it reads
   * from there, over the settings' window ending now.
   */
  private async analyse(settings: AnalysisSettings) {
    const now = Date.now();
    const fleet = this.central();
    const central = fleet
      ? await readCentralHistories(fleet, now - settings.windowMs, now, stealP95).catch(
          centralFailed,
        )
      : undefined;
    return storeCallAsync(() => analyzeStoreInTurns(this.store, now, settings, central));
  }

  /** The recommendation as the analysis makes it now, prepared on its VM's host. */
  private async prepare(params: ApplyParams) {
    const settings = checkedAnalysisSettings(this.settings.current, params.windowMs);
    const analysis = await this.analyse(settings);
    const found = findRecommendation(analysis, params.id);
    // Its host is polled by an agent, not by this console: nothing here may change it.
    if (found && this.central()?.source.showsVm(found.vm.uuid)) {
      throw new ContractError(
        'failed',
        `${found.vm.name} runs on ${found.vm.host}, which this console reads from the central database: add that host here (Add host) to change its desktops`,
      );
    }
    const ready = await prepareRecommendation(
      analysis,
      params.id,
      params.scope,
      settings,
      this.connectVmHost,
    ).catch((error: unknown) => {
      throw asContractError(error);
    });
    if (ready === null)
      throw new ContractError('failed', `the analysis does not recommend ${params.id} now`);
    return ready;
  }
}
