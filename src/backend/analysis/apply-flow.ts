import { hostname, userInfo } from 'node:os';
import { prepareApply, type PreparedApply } from '../../actions/apply-recommendation';
import type { LibvirtConnection } from '../../collector/libvirt/libvirt-connection';
import type { AnalysisSettings } from '../../analysis/vm-analysis';
import type { AuditScope } from '../../shared/model/audit-entry';
import { findRecommendation, type StoreAnalysis } from './analyze-store';

/** How long libvirt may take to connect or answer while a change is prepared or made, ms. */
export const APPLY_LIBVIRT_TIMEOUT_MS = 30_000;

/** Who the audit log says made a change: the user on this machine. */
export const applyActor = (): string => `${userInfo().username}@${hostname()}`;

/**
 * Prepares one recommendation of an analysis made just now against its VM's libvirt,
 * for the console and `setmov apply` alike: the exact change, read from the domain as it
 * is. Null when the analysis does not make that recommendation now. `connect` opens the
 * libvirt of the VM's host; a prepared change's connection is the caller's to close.
 */
export async function prepareRecommendation(
  analysis: StoreAnalysis,
  id: string,
  scope: AuditScope,
  settings: AnalysisSettings,
  connect: (vm: PreparedApply['vm']) => Promise<LibvirtConnection>,
): Promise<{ prepared: PreparedApply; lv: LibvirtConnection } | null> {
  const found = findRecommendation(analysis, id);
  if (found === null) return null;
  const lv = await connect(found.vm);
  try {
    const prepared = await prepareApply(lv, found.vm, found.recommendation, scope, settings);
    return { prepared, lv };
  } catch (error) {
    await lv.close();
    throw error;
  }
}
