import { describe, expect, it } from 'vitest';
import { parseCpuinfo } from '../../../src/collector/procfs/cpuinfo';
import { parseLocalAddresses } from '../../../src/collector/procfs/fib-trie';
import { parseLoadavg } from '../../../src/collector/procfs/loadavg';
import { defaultRoute, parseNetRoute } from '../../../src/collector/procfs/net-route';
import { ProcParseError } from '../../../src/collector/procfs/proc-parse-error';
import { parseUptime } from '../../../src/collector/procfs/uptime';
import { catchError } from './catch-error';
import { fixtureText } from './fixtures';

describe('parseLoadavg', () => {
  it('reads the three averages, runnable/total and the last pid', () => {
    expect(parseLoadavg('0.28 0.58 0.35 1/146 10712\n')).toEqual({
      load1: 0.28,
      load5: 0.58,
      load15: 0.35,
      runnable: 1,
      total: 146,
      lastPid: 10712,
    });
  });

  it.each([
    ['0.28 0.58 0.35 1/146\n', 1, '4 fields, expected 5'],
    ['0.28 0.58 0.35 1-146 10712\n', 1, 'expected runnable/total as the 4th field'],
    ['0.28 NaN 0.35 1/146 10712\n', 1, "load5 is not a decimal number: 'NaN'"],
    ['0.28 0.58 0.35 1/146 10712\n0 0 0 0/0 0\n', null, '2 lines, expected 1'],
  ])('rejects %j', (text, line, reason) => {
    const error = catchError(() => parseLoadavg(text));
    expect(error).toBeInstanceOf(ProcParseError);
    expect(error).toMatchObject({ file: 'loadavg', line, reason });
  });
});

describe('parseUptime', () => {
  it('reads uptime and idle seconds', () => {
    expect(parseUptime('468.32 583.03\n')).toEqual({ uptimeSec: 468.32, idleSec: 583.03 });
  });

  it('rejects Infinity and missing fields', () => {
    expect(() => parseUptime('Infinity 1\n')).toThrow(
      "uptime line 1: uptime is not a decimal number: 'Infinity'",
    );
    expect(() => parseUptime('468.32\n')).toThrow('uptime line 1: 1 fields, expected 2');
  });
});

describe('parseCpuinfo', () => {
  it('counts processors and takes the model name', () => {
    expect(parseCpuinfo(fixtureText('edge-case/t0', 'cpuinfo'))).toEqual({
      count: 3,
      model: 'Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz',
    });
  });

  it('falls back to the model keys of other architectures', () => {
    const power =
      'processor\t: 0\ncpu\t\t: POWER9 (architected), altivec supported\nclock\t\t: 2300MHz\n\n';
    expect(parseCpuinfo(power)).toEqual({
      count: 1,
      model: 'POWER9 (architected), altivec supported',
    });
    const s390 =
      'vendor_id       : IBM/S390\n# processors    : 2\nprocessor 0: version = FF\nprocessor 1: version = FF\n';
    expect(parseCpuinfo(s390)).toEqual({ count: 2, model: null });
  });

  it('rejects a line without a colon and a file without processors', () => {
    expect(() => parseCpuinfo('processor : 0\ngarbage\n')).toThrow(
      "cpuinfo line 2: no 'key: value' in 'garbage'",
    );
    expect(() => parseCpuinfo('model name : x\n')).toThrow("cpuinfo: no 'processor' line");
  });
});

describe('parseNetRoute and the default route', () => {
  it('decodes little-endian hex addresses and picks the default route of lowest metric', () => {
    const routes = parseNetRoute(fixtureText('edge-case/t0', 'net/route'));
    expect(routes[1]).toEqual({
      iface: 'bond0',
      destination: '0.0.0.0',
      gateway: '10.10.0.1',
      mask: '0.0.0.0',
      flags: 3,
      metric: 100,
    });
    expect(defaultRoute(routes)).toBe(routes[1]);
    expect(defaultRoute(parseNetRoute(fixtureText('this-host/t0', 'net/route')))?.iface).toBe(
      'eth0',
    );
  });

  it('has no default route without one that is up', () => {
    const down =
      'Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\neth0\t00000000\t0100A8C0\t0002\t0\t0\t0\t00000000\t0\t0\t0\n';
    expect(defaultRoute(parseNetRoute(down))).toBeNull();
  });

  it('rejects bad columns', () => {
    const error = catchError(() =>
      parseNetRoute(
        'Iface\tDestination\nlo\t0000000G\t00000000\t0001\t0\t0\t0\t00000000\t0\t0\t0\n',
      ),
    );
    expect(error).toMatchObject({
      file: 'net/route',
      line: 2,
      reason: "destination is not 8 hex digits: '0000000G'",
    });
    expect(() => parseNetRoute('eth0\t00000000\t00000000\t0001\t0\t0\t0\t00000000\n')).toThrow(
      'net/route line 1: 8 columns, expected 11',
    );
  });
});

describe('parseLocalAddresses', () => {
  it('lists the LOCAL /32 leaves of fib_trie once each', () => {
    expect(parseLocalAddresses(fixtureText('this-host/t0', 'net/fib_trie')).sort()).toEqual([
      '127.0.0.1',
      '192.0.2.2',
    ]);
    expect(parseLocalAddresses(fixtureText('edge-case/t0', 'net/fib_trie'))).toEqual([
      '10.10.3.17',
      '192.168.1.23',
      '192.168.122.1',
    ]);
  });
});
