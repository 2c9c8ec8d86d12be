import type { CpuTimes } from '../procfs/stat';
import { counterDelta } from './counter-delta';

/** Share of the interval a CPU (or all of them) spent in each state, percent (0–100). */
export interface CpuUsage {
  /** Busy: everything but idle and iowait. */
  percent: number;
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
}

const states = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;
const tickField = {
  user: 'userTicks',
  nice: 'niceTicks',
  system: 'systemTicks',
  idle: 'idleTicks',
  iowait: 'iowaitTicks',
  irq: 'irqTicks',
  softirq: 'softirqTicks',
  steal: 'stealTicks',
} as const satisfies Record<(typeof states)[number], keyof CpuTimes>;

/**
 * CPU usage between two /proc/stat readings: paper eq. 1 (top's formula), corrected.
 * busy% = 100 × (Δtotal − Δ(idle + iowait)) / Δtotal, total = user + nice + system +
 * idle + iowait + irq + softirq + steal. The paper divides by the total since boot
 * instead of Δtotal, which flattens every reading towards the boot-time average, and
 * counts iowait as busy; top, mpstat and this function do neither. guest and
 * guest_nice are left out of the total because the kernel already counts them in
 * user and nice. Null when a state's counter went backwards (the idle counter of an
 * offlined and re-onlined CPU can) or no tick passed.
 */
export function cpuUsage(previous: CpuTimes, current: CpuTimes): CpuUsage | null {
  const deltas = {} as Record<(typeof states)[number], number>;
  let total = 0;
  for (const state of states) {
    const delta = counterDelta(previous[tickField[state]], current[tickField[state]]);
    if (delta === null) return null;
    deltas[state] = delta;
    total += delta;
  }
  if (total === 0) return null;
  const share = (ticks: number): number => (100 * ticks) / total;
  return {
    percent: share(total - deltas.idle - deltas.iowait),
    user: share(deltas.user),
    nice: share(deltas.nice),
    system: share(deltas.system),
    idle: share(deltas.idle),
    iowait: share(deltas.iowait),
    irq: share(deltas.irq),
    softirq: share(deltas.softirq),
    steal: share(deltas.steal),
  };
}
