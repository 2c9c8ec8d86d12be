import { describe, expect, it } from 'vitest';
import { parseNetDev } from '../../../src/collector/procfs/net-dev';
import { ProcParseError } from '../../../src/collector/procfs/proc-parse-error';
import { catchError } from './catch-error';
import { fixtureText } from './fixtures';

const header =
  'Inter-|   Receive                                                |  Transmit\n' +
  ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';

describe('parseNetDev', () => {
  it('splits names on the last colon, with 15-character names and counters glued to the colon', () => {
    const interfaces = parseNetDev(fixtureText('edge-case/t0', 'net/dev'));
    const names = interfaces.map((i) => i.name);
    expect(names).toContain('eth0:1');
    expect(names).toContain('enx00e04c680d1a');
    expect(names).toContain('br-0123456789ab');
    const eth0 = interfaces.find((i) => i.name === 'eth0')!;
    expect(eth0.rx.bytes).toBe(18446744073708551000n);
    expect(eth0.rx.packets).toBe(2000n);
    expect(eth0.rx.multicast).toBe(3n);
    expect(eth0.tx).toMatchObject({ bytes: 1000000n, packets: 1200n, errors: 0n });
    const wlan = interfaces.find((i) => i.name === 'wlp2s0')!;
    expect(wlan.rx).toMatchObject({ errors: 2n, drops: 5n });
  });

  it('reads 32-bit-era counters of an old kernel', () => {
    const eth0 = parseNetDev(fixtureText('old-kernel', 'net/dev')).find((i) => i.name === 'eth0')!;
    expect(eth0.rx.bytes).toBe(3218573090n);
    expect(eth0.tx.packets).toBe(4166553n);
  });

  it.each([
    [`${header}  eth0 1 2 3\n`, 3, "no 'name:' in '  eth0 1 2 3'"],
    [`${header}  eth0: 1 2 3\n`, 3, 'eth0: 3 counters, expected 16'],
    [`${header}    : 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n`, 3, "bad interface name ''"],
    [`${header}  a b: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n`, 3, "bad interface name 'a b'"],
    [
      `${header}  lo: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 x\n`,
      3,
      "lo tx compressed is not an unsigned integer: 'x'",
    ],
    [
      `${header}  lo: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n  lo: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n`,
      4,
      "second line for 'lo'",
    ],
  ])('rejects %j at line %i', (text, line, reason) => {
    const error = catchError(() => parseNetDev(text));
    expect(error).toBeInstanceOf(ProcParseError);
    expect(error).toMatchObject({ file: 'net/dev', line, reason });
  });
});
