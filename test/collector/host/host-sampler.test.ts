import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HostSampler } from '../../../src/collector/host/host-sampler';
import { LocalHostSource } from '../../../src/collector/host/local-host-source';
import { fixturesRoot } from '../procfs/fixtures';

const root = mkdtempSync(join(tmpdir(), 'setmov-sampler-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('HostSampler', () => {
  it('gives no sample for the first reading, then the usage between the two', async () => {
    cpSync(join(fixturesRoot, 'edge-case/t0'), root, { recursive: true });
    const source = new LocalHostSource({ procRoot: root });
    const sampler = new HostSampler(source, await source.identity(), root);
    expect(await sampler.next()).toBeNull();
    cpSync(join(fixturesRoot, 'edge-case/t1'), root, { recursive: true });
    const sample = (await sampler.next())!;
    expect(sample).toMatchObject({ kind: 'host', host: 'kvm-edge-01', ip: '10.10.3.17' });
    // Aggregate Δ of edge-case t0 → t1: busy 1220 of 3005 ticks (see the rates tests).
    expect(sample.cpu.percent).toBeCloseTo((100 * 1220) / 3005, 10);
    // cpu1: Δ user 600, system 200, idle 150, iowait 50, softirq 1, steal 2 of 1003 ticks.
    expect(sample.cpu.perCpu[1]).toMatchObject({ cpu: 1, nice: 0, irq: 0 });
    expect(sample.cpu.perCpu[1]!.user).toBeCloseTo((100 * 600) / 1003, 10);
    expect(sample.cpu.perCpu[1]!.steal).toBeCloseTo((100 * 2) / 1003, 10);
    expect(sample.memory.totalBytes).toBe(65811424 * 1024);
    expect(sample.disk.devices.map((d) => d.device)).toEqual([
      'sda',
      'sdb',
      'nvme0n1',
      'nvme0n10',
      'mmcblk0',
      'sr0',
      'vda',
    ]);
    expect(sample.net.interfaces.filter((i) => i.physical).map((i) => i.interface)).toEqual([
      'eth0',
      'enx00e04c680d1a',
      'wlp2s0',
    ]);
    // Byte counts grew by 250 000 on eth0 over however long the copy took: rates are positive.
    expect(sample.net.rxBytesPerSec).toBeGreaterThan(0);
    expect(sample.intervalSec).toBeGreaterThan(0);
  });
});
