import { ProcParseError } from './proc-parse-error';
import { clip, lines } from './numbers';

export interface Cpuinfo {
  /** Logical CPUs listed (online ones). */
  count: number;
  /** The first model string found, or null when the architecture prints none. */
  model: string | null;
}

const file = 'cpuinfo';

/**
 * Keys that name the CPU model, in order of preference: x86 and arm64 print
 * "model name", 32-bit ARM "Processor" or "Hardware", MIPS "cpu model", POWER "cpu".
 */
const modelKeys = ['model name', 'cpu model', 'Processor', 'cpu', 'Hardware'];
/** "processor : 0" on most architectures, "processor 0: ..." on s390. */
const processorKey = /^processor(?: \d+)?$/;

/** Parses /proc/cpuinfo into a CPU count and a model. */
export function parseCpuinfo(text: string): Cpuinfo {
  let count = 0;
  const models = new Map<string, string>();
  const all = lines(text);
  for (let i = 0; i < all.length; i++) {
    const line = all[i] as string;
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    if (colon < 0) throw new ProcParseError(file, i + 1, `no 'key: value' in '${clip(line)}'`);
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (processorKey.test(key)) count++;
    else if (modelKeys.includes(key) && value !== '' && !models.has(key)) models.set(key, value);
  }
  if (count === 0) throw new ProcParseError(file, null, "no 'processor' line");
  const key = modelKeys.find((k) => models.has(k));
  return { count, model: key === undefined ? null : (models.get(key) ?? null) };
}
