/**
 * What the console is told of the analysis: the analysis' own types (pure data), and
 * the preview of applying one recommendation.
 */
export type {
  Bounds,
  Recommendation,
  RecommendationKind,
  VmAnalysis,
  VmFigures,
} from '../../analysis/vm-analysis';
export type { HostAnalysis, HostTemperature, Placement } from '../../analysis/host-analysis';
export type { MemorySizePeriod } from '../../analysis/memory-vs-disk';
import type { HostAnalysis, Placement } from '../../analysis/host-analysis';
import type { RecommendationKind, VmAnalysis } from '../../analysis/vm-analysis';
import type { AuditChangeKind } from './audit-entry';

export interface AnalysisResult {
  at: number;
  windowMs: number;
  /** Less history than this and a VM is not analysed. */
  minHistoryMs: number;
  vms: VmAnalysis[];
  hosts: HostAnalysis[];
  placements: Placement[];
}

/** The exact change applying a recommendation would make, read from libvirt just now. */
export interface ApplyPreview {
  id: string;
  kind: RecommendationKind;
  uuid: string;
  vmName: string;
  host: string;
  reason: string;
  change: AuditChangeKind;
  /** Bytes for memory, a count for vCPUs. */
  from: number;
  to: number;
  /**
   * The libvirt calls in order, as parts for the page to word: each sets the guest's size
   * or its maximum to `to`.
   */
  steps: { scope: 'live' | 'config'; sets: 'size' | 'maximum' }[];
  /** Parts of the asked scope that cannot be done, and why. */
  skipped: {
    scope: 'live' | 'config';
    why: 'not-running' | 'above-started-maximum' | 'transient';
    /** The maximum the running guest was started with, for above-started-maximum. */
    maximum: number | null;
  }[];
}
