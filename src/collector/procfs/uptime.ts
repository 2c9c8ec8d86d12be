import { ProcParseError } from './proc-parse-error';
import { fields, lines, parseDecimal } from './numbers';

export interface Uptime {
  /** Seconds since boot (10 ms resolution). */
  uptimeSec: number;
  /** Sum over all CPUs of the seconds spent idle. */
  idleSec: number;
}

const file = 'uptime';

/** Parses /proc/uptime: "468.32 583.03". */
export function parseUptime(text: string): Uptime {
  const all = lines(text);
  if (all.length !== 1) throw new ProcParseError(file, null, `${all.length} lines, expected 1`);
  const at = { file, line: 1 };
  const t = fields(all[0] as string);
  if (t.length !== 2) throw new ProcParseError(file, 1, `${t.length} fields, expected 2`);
  return { uptimeSec: parseDecimal(t[0], 'uptime', at), idleSec: parseDecimal(t[1], 'idle', at) };
}
