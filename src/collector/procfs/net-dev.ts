import { ProcParseError } from './proc-parse-error';
import { clip, fields, lines, parseCounter } from './numbers';

/** Receive counters of an interface, as /proc/net/dev prints them. */
export interface NetRxCounters {
  bytes: bigint;
  packets: bigint;
  errors: bigint;
  drops: bigint;
  fifo: bigint;
  frame: bigint;
  compressed: bigint;
  multicast: bigint;
}

/** Transmit counters; the last three columns differ from receive. */
export interface NetTxCounters {
  bytes: bigint;
  packets: bigint;
  errors: bigint;
  drops: bigint;
  fifo: bigint;
  collisions: bigint;
  carrier: bigint;
  compressed: bigint;
}

export interface NetDevStats {
  name: string;
  rx: NetRxCounters;
  tx: NetTxCounters;
}

const file = 'net/dev';

/**
 * Parses /proc/net/dev. The name is split from the counters on the LAST ':' of the
 * line: the kernel prints `%6s:` and no space after it, so a large byte count sticks
 * to the colon ("eth0:418241920"), and a name may itself hold a ':' (aliases on old
 * kernels). The two header lines are recognised by their '|'.
 */
export function parseNetDev(text: string): NetDevStats[] {
  const interfaces: NetDevStats[] = [];
  const seen = new Set<string>();
  const all = lines(text);
  for (let i = 0; i < all.length; i++) {
    const line = all[i] as string;
    const at = { file, line: i + 1 };
    if (i < 2 && line.includes('|')) continue;
    const colon = line.lastIndexOf(':');
    if (colon < 0) throw new ProcParseError(file, at.line, `no 'name:' in '${clip(line)}'`);
    const name = line.slice(0, colon).trim();
    if (name === '' || /\s/.test(name)) {
      throw new ProcParseError(file, at.line, `bad interface name '${clip(name)}'`);
    }
    if (seen.has(name)) throw new ProcParseError(file, at.line, `second line for '${clip(name)}'`);
    seen.add(name);
    const t = fields(line.slice(colon + 1));
    if (t.length !== 16)
      throw new ProcParseError(file, at.line, `${name}: ${t.length} counters, expected 16`);
    const c = (index: number, what: string): bigint =>
      parseCounter(t[index], `${name} ${what}`, at);
    const rx: NetRxCounters = {
      bytes: c(0, 'rx bytes'),
      packets: c(1, 'rx packets'),
      errors: c(2, 'rx errs'),
      drops: c(3, 'rx drop'),
      fifo: c(4, 'rx fifo'),
      frame: c(5, 'rx frame'),
      compressed: c(6, 'rx compressed'),
      multicast: c(7, 'rx multicast'),
    };
    const tx: NetTxCounters = {
      bytes: c(8, 'tx bytes'),
      packets: c(9, 'tx packets'),
      errors: c(10, 'tx errs'),
      drops: c(11, 'tx drop'),
      fifo: c(12, 'tx fifo'),
      collisions: c(13, 'tx colls'),
      carrier: c(14, 'tx carrier'),
      compressed: c(15, 'tx compressed'),
    };
    interfaces.push({ name, rx, tx });
  }
  return interfaces;
}
