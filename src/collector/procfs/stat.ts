import { ProcParseError } from './proc-parse-error';
import { fields, lines, parseCounter, parseSafeInteger, type TokenPlace } from './numbers';

/**
 * Time a CPU spent in each state since boot, in USER_HZ ticks (1/100 s on every
 * architecture Linux exports to user space). guest and guestNice are already
 * included in user and nice by the kernel, so they are kept but never added to a total.
 */
export interface CpuTimes {
  userTicks: bigint;
  niceTicks: bigint;
  systemTicks: bigint;
  idleTicks: bigint;
  iowaitTicks: bigint;
  irqTicks: bigint;
  softirqTicks: bigint;
  stealTicks: bigint;
  guestTicks: bigint;
  guestNiceTicks: bigint;
}

export interface ProcStat {
  /** The aggregate `cpu` line. */
  cpu: CpuTimes;
  /** One entry per `cpuN` line, in file order; offline CPUs have no line. */
  cpus: { index: number; times: CpuTimes }[];
  /** Context switches since boot. */
  contextSwitches: bigint;
  /** Boot time, seconds since the epoch; null on kernels that do not print it. */
  bootTimeSec: number | null;
  /** Processes and threads created since boot; null when absent. */
  processesCreated: bigint | null;
  procsRunning: number;
  procsBlocked: number;
}

const file = 'stat';

const timeNames: (keyof CpuTimes)[] = [
  'userTicks',
  'niceTicks',
  'systemTicks',
  'idleTicks',
  'iowaitTicks',
  'irqTicks',
  'softirqTicks',
  'stealTicks',
  'guestTicks',
  'guestNiceTicks',
];

/**
 * Kernels before 2.6.11 print only user, nice, system and idle (and later ones add
 * columns one at a time); a column the kernel does not print counts as 0 ticks.
 * Columns beyond the ten known ones are ignored so a future kernel still parses.
 */
function parseCpuTimes(tokens: string[], at: TokenPlace): CpuTimes {
  if (tokens.length < 5) {
    throw new ProcParseError(
      file,
      at.line,
      `${tokens[0] ?? 'cpu'} has ${tokens.length - 1} columns, expected at least 4`,
    );
  }
  const times = {} as CpuTimes;
  for (let i = 0; i < timeNames.length; i++) {
    const name = timeNames[i] as keyof CpuTimes;
    const token = tokens[i + 1];
    times[name] = token === undefined ? 0n : parseCounter(token, `${tokens[0]} ${name}`, at);
  }
  return times;
}

/** Parses /proc/stat: the cpu line, every cpuN line, ctxt, btime, processes, procs_*. */
export function parseStat(text: string): ProcStat {
  let cpu: CpuTimes | undefined;
  const cpus: ProcStat['cpus'] = [];
  const seenCpus = new Set<number>();
  let contextSwitches: bigint | undefined;
  let bootTimeSec: number | null = null;
  let processesCreated: bigint | null = null;
  let procsRunning: number | undefined;
  let procsBlocked: number | undefined;
  const all = lines(text);
  for (let i = 0; i < all.length; i++) {
    const line = all[i] as string;
    const at = { file, line: i + 1 };
    // intr and softirq are long and unused: skip them before splitting.
    if (line.startsWith('intr ') || line.startsWith('softirq ')) continue;
    const tokens = fields(line);
    const key = tokens[0];
    if (key === undefined) throw new ProcParseError(file, at.line, 'empty line');
    if (key === 'cpu') {
      if (cpu) throw new ProcParseError(file, at.line, 'second cpu line');
      cpu = parseCpuTimes(tokens, at);
    } else if (key.startsWith('cpu')) {
      const index = parseSafeInteger(key.slice(3), 'cpu number', at);
      if (seenCpus.has(index)) throw new ProcParseError(file, at.line, `second ${key} line`);
      seenCpus.add(index);
      cpus.push({ index, times: parseCpuTimes(tokens, at) });
    } else if (key === 'ctxt') {
      contextSwitches = once(contextSwitches, key, at, () => parseCounter(tokens[1], key, at));
    } else if (key === 'btime') {
      bootTimeSec = parseSafeInteger(tokens[1], key, at);
    } else if (key === 'processes') {
      processesCreated = parseCounter(tokens[1], key, at);
    } else if (key === 'procs_running') {
      procsRunning = once(procsRunning, key, at, () => parseSafeInteger(tokens[1], key, at));
    } else if (key === 'procs_blocked') {
      procsBlocked = once(procsBlocked, key, at, () => parseSafeInteger(tokens[1], key, at));
    }
    // Other lines (page, swap, disk_io of 2.4 kernels) are not used.
  }
  if (!cpu) throw new ProcParseError(file, null, 'no cpu line');
  if (contextSwitches === undefined) throw new ProcParseError(file, null, 'no ctxt line');
  if (procsRunning === undefined) throw new ProcParseError(file, null, 'no procs_running line');
  if (procsBlocked === undefined) throw new ProcParseError(file, null, 'no procs_blocked line');
  return { cpu, cpus, contextSwitches, bootTimeSec, processesCreated, procsRunning, procsBlocked };
}

function once<T>(previous: T | undefined, key: string, at: TokenPlace, parse: () => T): T {
  if (previous !== undefined) throw new ProcParseError(file, at.line, `second ${key} line`);
  return parse();
}
