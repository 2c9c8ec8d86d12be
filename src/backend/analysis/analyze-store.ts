import { analyzeVm } from '../../analysis/vm-analysis';
import type { AnalysisSettings, Recommendation, VmAnalysis } from '../../analysis/vm-analysis';
import { analyzeHosts, placements } from '../../analysis/host-analysis';
import { withHotHostNotes } from '../../analysis/hot-host-advice';
import type { AnalysisResult } from '../../shared/model/analysis-view';
import type { Store } from '../../store/store';
import { percentile } from '../../analysis/percentiles';
import { readHostHistories } from '../../store/usage-history/host-histories';
import { eachVmHistory, type StealSummary } from '../../store/usage-history/vm-histories';
import type { HostHistory, VmHistory } from '../../shared/model/usage-history';
import type { CentralHistories } from '../central/central-analysis';

/** A host's CPU steal as the analysis weighs it: the p95 of its minutes. */
export const stealP95: StealSummary = (minutes) =>
  minutes.length === 0 ? null : percentile(minutes, 0.95);

/** The analysis of the history as the console receives it (analysis.run). */
export type StoreAnalysis = AnalysisResult;

/** The whole analysis of the store's history over the settings' window, ending now. */
export function analyzeStore(store: Store, now: number, settings: AnalysisSettings): StoreAnalysis {
  const from = now - settings.windowMs;
  const vms: VmAnalysis[] = [];
  for (const vm of eachVmHistory(store, from, now, stealP95))
    vms.push(analyzeVm(vm, now, settings));
  return withHosts(store, now, settings, vms);
}

/** Time the backend's event loop may be held between two turns, ms. */
const TURN_MS = 40;

/**
 * The same, giving the event loop back every few tens of ms: a fleet's analysis takes
 * seconds, and the backend meanwhile ingests samples and answers the console. Each VM
 * is read whole within a turn, so no query is open across one.
 */
export async function analyzeStoreInTurns(
  store: Store,
  now: number,
  settings: AnalysisSettings,
  /** The hosts and VMs seen only through the central database, read from there. */
  central: CentralHistories = { vms: [], hosts: [] },
): Promise<StoreAnalysis> {
  const from = now - settings.windowMs;
  const vms: VmAnalysis[] = [];
  let turn = performance.now();
  const analyse = async (vm: VmHistory) => {
    vms.push(analyzeVm(vm, now, settings));
    if (performance.now() - turn > TURN_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      turn = performance.now();
    }
  };
  for (const vm of eachVmHistory(store, from, now, stealP95)) await analyse(vm);
  // A VM this console's own history has (it was on a host polled here) is analysed once,
  // from there.
  const own = new Set(vms.map((vm) => vm.uuid));
  for (const vm of central.vms) if (!own.has(vm.uuid)) await analyse(vm);
  return withHosts(store, now, settings, vms, central.hosts);
}

function withHosts(
  store: Store,
  now: number,
  settings: AnalysisSettings,
  vms: VmAnalysis[],
  centralHosts: HostHistory[] = [],
): StoreAnalysis {
  const hosts = analyzeHosts(
    [...readHostHistories(store, now - settings.windowMs, now), ...centralHosts],
    vms,
  );
  const moves = placements(hosts, vms);
  return {
    at: now,
    windowMs: settings.windowMs,
    minHistoryMs: settings.minHistoryMs,
    vms: withHotHostNotes(vms, hosts, moves),
    hosts,
    placements: moves,
  };
}

/** The recommendation with this id and its VM's analysis, if the analysis makes it now. */
export function findRecommendation(
  analysis: StoreAnalysis,
  id: string,
): { vm: Extract<VmAnalysis, { status: 'analysed' }>; recommendation: Recommendation } | null {
  for (const vm of analysis.vms) {
    if (vm.status !== 'analysed') continue;
    const recommendation = vm.recommendations.find((r) => r.id === id);
    if (recommendation) return { vm, recommendation };
  }
  return null;
}
