import type { Recommendation, VmAnalysis } from '../../shared/model/analysis-view';
import type { AuditChangeKind } from '../../shared/model/audit-entry';
import { formatBytes, formatPercent, MISSING, numberFormat } from '../format';
import type { Translate } from '../i18n/i18n';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../shared/time-ms';

type Analysed = Extract<VmAnalysis, { status: 'analysed' }>;

/**
 * A length of history in the locale's units: whole days, hours to a tenth, or minutes
 * (rounded down, as the analysis counts them: 59 min is not an hour).
 */
export function durationText(locale: string, ms: number): string {
  const [unit, size, digits] =
    ms >= DAY_MS && ms % DAY_MS === 0
      ? (['day', DAY_MS, 0] as const)
      : ms >= HOUR_MS
        ? (['hour', HOUR_MS, 1] as const)
        : (['minute', MINUTE_MS, 0] as const);
  const value = Math.floor((ms / size) * 10 ** digits) / 10 ** digits;
  return numberFormat(locale, {
    style: 'unit',
    unit,
    unitDisplay: 'short',
    maximumFractionDigits: digits,
  }).format(value);
}

/** A size in the page's units: bytes for memory, a count for vCPUs ("1 vCPU", "vCPU 2개"). */
export function sizeText(
  locale: string,
  t: Translate,
  change: AuditChangeKind,
  value: number,
): string {
  return change === 'memory' ? formatBytes(locale, value) : t('count.vcpus', { count: value });
}

/**
 * A change of size in the page's units: "Memory 8 GiB → 4 GiB", "vCPUs 4 → 2". What
 * one of the audit log's sides is unknown shows as a dash.
 */
export function changeText(
  locale: string,
  t: Translate,
  change: AuditChangeKind,
  from: number | null,
  to: number | null,
): string {
  const side = (v: number | null) =>
    v === null ? MISSING : change === 'memory' ? formatBytes(locale, v) : v;
  return t(`analysis.change.${change}`, { from: side(from), to: side(to) });
}

/** What a recommendation resizes; null for advice only a person can act on (idle). */
export function changeOf(r: Recommendation): AuditChangeKind | null {
  if (r.from === undefined || r.to === undefined) return null;
  return r.kind === 'less-memory' || r.kind === 'more-memory' ? 'memory' : 'vcpus';
}

/**
 * Why, in the page's language, from the analysis' numbers (the backend's reason is
 * English prose for the command line; the console writes its own).
 */
export function reasonText(locale: string, t: Translate, vm: Analysed, r: Recommendation): string {
  const f = vm.figures;
  const cpu = f.cpuGuestPercent;
  const memory = f.memory;
  const pct = (v: number) => formatPercent(locale, v);
  const bytes = (v: number) => formatBytes(locale, v);
  switch (r.kind) {
    case 'fewer-vcpus':
      return t('analysis.reason.fewer-vcpus', {
        p95: pct(cpu.p95),
        max: pct(cpu.max),
        vcpus: vm.vcpus.allocated,
        upper: vm.vcpus.upper.toFixed(2),
      });
    case 'more-vcpus': {
      const busy =
        f.hostStealPercentP95 !== null && vm.vcpus.target <= vm.vcpus.allocated
          ? t('analysis.reason.steal', { p95: pct(cpu.p95), steal: pct(f.hostStealPercentP95) })
          : t('analysis.reason.more-vcpus', {
              p95: pct(cpu.p95),
              target: vm.vcpus.target.toFixed(2),
              vcpus: vm.vcpus.allocated,
            });
      const hot = r.hotHost;
      if (!hot) return busy;
      const where = {
        host: hot.name,
        cpu: formatPercent(locale, hot.cpuPercentP95),
        memory: formatPercent(locale, hot.memUsedPercentP95),
      };
      return `${busy} ${
        hot.fitsOn === null
          ? t('analysis.reason.hotHost.noRoom', where)
          : t('analysis.reason.hotHost', { ...where, fitsOn: hot.fitsOn })
      }`;
    }
    case 'less-memory':
      // The part the guest does not see is said only when there is one.
      return memory
        ? t(
            memory.overheadBytes > 0
              ? 'analysis.reason.less-memory'
              : 'analysis.reason.less-memory.allSeen',
            {
              peak: bytes(memory.dailyPeakP95Bytes),
              max: bytes(memory.maxBytes),
              allocated: bytes(memory.allocatedBytes),
              hidden: bytes(memory.overheadBytes),
            },
          )
        : '';
    case 'more-memory':
      return memory
        ? t(f.paging ? 'analysis.reason.more-memory' : 'analysis.reason.more-memory.nopaging', {
            peak: bytes(memory.dailyPeakP95Bytes),
            allocated: bytes(memory.allocatedBytes),
            minutes: f.paging?.minutes ?? 0,
          })
        : '';
    case 'idle-desktop':
      return t('analysis.reason.idle-desktop', { p95: pct(cpu.p95) });
    case 'never-connected':
      return t('analysis.reason.never-connected', { p95: pct(cpu.p95) });
  }
}

/** Only sizes can be applied: idle and never-connected are for a person to act on. */
export const applicable = (r: Recommendation): boolean => r.to !== undefined;
