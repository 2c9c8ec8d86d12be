import type { Recommendation, VmAnalysis } from '../../shared/model/analysis-view';
import { formatBytes, formatPercent } from '../format';
import type { Translate } from '../i18n/i18n';

type Analysed = Extract<VmAnalysis, { status: 'analysed' }>;

/** The change a recommendation makes, in the page's units: "8 GiB → 4 GiB", "4 → 2 vCPUs". */
export function changeText(locale: string, t: Translate, r: Recommendation): string {
  if (r.from === undefined || r.to === undefined) return '';
  if (r.kind === 'less-memory' || r.kind === 'more-memory')
    return `${formatBytes(locale, r.from)} → ${formatBytes(locale, r.to)}`;
  return t('analysis.change.vcpus', { from: r.from, to: r.to });
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
    case 'more-vcpus':
      return f.hostStealPercentP95 !== null && vm.vcpus.target <= vm.vcpus.allocated
        ? t('analysis.reason.steal', { p95: pct(cpu.p95), steal: pct(f.hostStealPercentP95) })
        : t('analysis.reason.more-vcpus', {
            p95: pct(cpu.p95),
            target: vm.vcpus.target.toFixed(2),
            vcpus: vm.vcpus.allocated,
          });
    case 'less-memory':
      return memory
        ? t('analysis.reason.less-memory', {
            peak: bytes(memory.dailyPeakP95Bytes),
            max: bytes(memory.maxBytes),
            allocated: bytes(memory.allocatedBytes),
            hidden: bytes(memory.overheadBytes),
          })
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
