import { ProcParseError } from './proc-parse-error';
import { clip, fields, lines, parseCounter } from './numbers';

/** Counters of one direction of an interface, as /proc/net/dev prints them. */
export interface NetDirectionCounters {
  bytes: bigint;
  packets: bigint;
  errors: bigint;
  drops: bigint;
  fifo: bigint;
  /** rx: frame errors; tx: collisions. */
  frameOrCollisions: bigint;
  compressed: bigint;
  /** rx: multicast packets; tx: carrier errors. */
  multicastOrCarrier: bigint;
}

export interface NetDevStats {
  name: string;
  rx: NetDirectionCounters;
  tx: NetDirectionCounters;
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
    const direction = (offset: number, label: string): NetDirectionCounters => {
      const c = (index: number, what: string): bigint =>
        parseCounter(t[offset + index], `${name} ${label} ${what}`, at);
      return {
        bytes: c(0, 'bytes'),
        packets: c(1, 'packets'),
        errors: c(2, 'errs'),
        drops: c(3, 'drop'),
        fifo: c(4, 'fifo'),
        frameOrCollisions: c(5, label === 'rx' ? 'frame' : 'colls'),
        compressed: c(6, 'compressed'),
        multicastOrCarrier: c(7, label === 'rx' ? 'multicast' : 'carrier'),
      };
    };
    interfaces.push({ name, rx: direction(0, 'rx'), tx: direction(8, 'tx') });
  }
  return interfaces;
}
