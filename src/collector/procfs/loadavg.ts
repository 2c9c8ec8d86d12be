import { ProcParseError } from './proc-parse-error';
import { fields, lines, parseDecimal, parseSafeInteger } from './numbers';

export interface Loadavg {
  load1: number;
  load5: number;
  load15: number;
  /** Runnable scheduling entities now. */
  runnable: number;
  /** Scheduling entities (processes and threads) that exist now. */
  total: number;
  lastPid: number;
}

const file = 'loadavg';

/** Parses /proc/loadavg: "0.28 0.58 0.35 1/146 10712". */
export function parseLoadavg(text: string): Loadavg {
  const all = lines(text);
  if (all.length !== 1) throw new ProcParseError(file, null, `${all.length} lines, expected 1`);
  const at = { file, line: 1 };
  const t = fields(all[0] as string);
  if (t.length !== 5) throw new ProcParseError(file, 1, `${t.length} fields, expected 5`);
  const [runnable, total, extra] = (t[3] as string).split('/');
  if (extra !== undefined || total === undefined) {
    throw new ProcParseError(file, 1, 'expected runnable/total as the 4th field');
  }
  return {
    load1: parseDecimal(t[0], 'load1', at),
    load5: parseDecimal(t[1], 'load5', at),
    load15: parseDecimal(t[2], 'load15', at),
    runnable: parseSafeInteger(runnable, 'runnable', at),
    total: parseSafeInteger(total, 'total', at),
    lastPid: parseSafeInteger(t[4], 'last pid', at),
  };
}
