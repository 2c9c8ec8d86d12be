import { describe, expect, it } from 'vitest';
import { parseCpuinfo } from '../../../src/collector/procfs/cpuinfo';
import { parseDiskstats } from '../../../src/collector/procfs/diskstats';
import { parseLocalAddresses } from '../../../src/collector/procfs/fib-trie';
import { parseLoadavg } from '../../../src/collector/procfs/loadavg';
import { parseMeminfo } from '../../../src/collector/procfs/meminfo';
import { parseNetDev } from '../../../src/collector/procfs/net-dev';
import { parseNetRoute } from '../../../src/collector/procfs/net-route';
import { parseStat } from '../../../src/collector/procfs/stat';
import { parseUptime } from '../../../src/collector/procfs/uptime';
import { fixtureText, fixtureTrees, hasFixture } from './fixtures';

const trees = fixtureTrees();

describe('every parser on every captured /proc tree', () => {
  it('finds the fixture trees of at least three machines', () => {
    const machines = new Set(trees.map((t) => t.name.split('/')[0]));
    expect(machines.size).toBeGreaterThanOrEqual(3);
  });

  describe.each(trees)('$name', ({ name }) => {
    it('parses stat', () => {
      const stat = parseStat(fixtureText(name, 'stat'));
      expect(stat.cpus.length).toBeGreaterThan(0);
      expect(stat.cpu.userTicks).toBeGreaterThanOrEqual(stat.cpus[0]!.times.userTicks);
      expect(stat.contextSwitches).toBeGreaterThan(0n);
    });

    it('parses meminfo with every field', () => {
      const text = fixtureText(name, 'meminfo');
      const meminfo = parseMeminfo(text);
      const lineCount = text.trim().split('\n').length;
      expect(meminfo.bytes.size + meminfo.counts.size).toBe(lineCount);
      expect(meminfo.memTotalBytes % 1024).toBe(0);
      expect(meminfo.memFreeBytes).toBeLessThanOrEqual(meminfo.memTotalBytes);
    });

    it('parses diskstats', () => {
      const text = fixtureText(name, 'diskstats');
      expect(parseDiskstats(text)).toHaveLength(text.trim().split('\n').length);
    });

    it('parses net/dev', () => {
      const text = fixtureText(name, 'net/dev');
      const interfaces = parseNetDev(text);
      expect(interfaces).toHaveLength(text.trim().split('\n').length - 2);
      expect(interfaces.map((i) => i.name)).toContain('lo');
    });

    it('parses loadavg, uptime and cpuinfo', () => {
      expect(parseLoadavg(fixtureText(name, 'loadavg')).total).toBeGreaterThan(0);
      expect(parseUptime(fixtureText(name, 'uptime')).uptimeSec).toBeGreaterThan(0);
      const cpuinfo = parseCpuinfo(fixtureText(name, 'cpuinfo'));
      expect(cpuinfo.count).toBe(parseStat(fixtureText(name, 'stat')).cpus.length);
      expect(cpuinfo.model).not.toBeNull();
    });
  });
});

// The bed guest dumps only the files of a reading, not those of the host identity.
describe.each(trees.filter((t) => hasFixture(t.name, 'net/route')))(
  '$name identity files',
  ({ name }) => {
    it('parses net/route and net/fib_trie', () => {
      expect(parseNetRoute(fixtureText(name, 'net/route')).length).toBeGreaterThan(0);
      expect(parseLocalAddresses(fixtureText(name, 'net/fib_trie')).length).toBeGreaterThan(0);
    });
  },
);
