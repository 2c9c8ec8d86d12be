import { describe, expect, it } from 'vitest';
import type { DomainStatsRecord } from '../../../src/collector/libvirt/domain-stats';
import type { TypedParamValue } from '../../../src/collector/libvirt/remote-types';
import { TypedParams } from '../../../src/collector/libvirt/typed-params';
import { vmCountersFromStats, VmStatsError } from '../../../src/collector/vm/vm-counters';
import { fixtureText, recordOf, statsFixture } from './bed-fixtures';

/** `virsh domstats --raw` text: domain name -> field -> value text. */
function virshDomstats(text: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  let current = new Map<string, string>();
  for (const line of text.split('\n')) {
    const header = /^Domain: '(.*)'$/.exec(line);
    if (header) out.set(header[1] ?? '', (current = new Map()));
    else if (line.includes('=')) {
      const at = line.indexOf('=');
      current.set(line.slice(0, at).trim(), line.slice(at + 1));
    }
  }
  return out;
}

const domain = { name: 'g', uuid: '5e7a0b0d-0000-4000-8000-0000000000aa', id: 7 };

type Fields = Record<string, TypedParamValue>;

function record(fields: Fields): DomainStatsRecord {
  return { domain, params: TypedParams.fromObject(fields) };
}

describe('vmCountersFromStats on the bed’s recorded stats', () => {
  it('reads bed-disk’s counters under libvirt’s field names', () => {
    const c = vmCountersFromStats(recordOf(statsFixture('stats-1.json'), 'bed-disk'), 1391.9);
    expect(c).toEqual({
      uuid: '5e7a0b0d-0000-4000-8000-000000000003',
      name: 'bed-disk',
      domainId: 4,
      state: 1,
      stateReason: 1,
      monotonicMs: 1391.9,
      cpuTimeNs: 26922384000,
      vcpuCurrent: 1,
      vcpuMaximum: 1,
      balloonCurrentKiB: 131072,
      balloonMaximumKiB: 131072,
      balloonAvailableKiB: 94912,
      balloonUsableKiB: 71548,
      balloonUnusedKiB: 65924,
      balloonRssKiB: 225048,
      balloonSwapInKiB: 0,
      balloonMajorFaults: 0,
      balloonLastUpdateSec: 1795677535,
      blocks: [
        {
          name: 'vda',
          readBytes: 725619200,
          writeBytes: 725614592,
          readReqs: 694,
          writeReqs: 692,
        },
      ],
      nets: [
        {
          name: 'bedtap-disk',
          rxBytes: 936,
          txBytes: 866,
          rxPackets: 12,
          txPackets: 11,
          rxErrors: 0,
          txErrors: 0,
          rxDrops: 0,
          txDrops: 0,
        },
      ],
    });
  });

  it('sees the fields virsh domstats --raw printed for every bed domain, in the groups it asks for', () => {
    const virsh = virshDomstats(fixtureText('domstats-1.txt'));
    const ours = statsFixture('stats-1.json');
    expect([...virsh.keys()].sort()).toEqual(ours.map((r) => r.domain.name).sort());
    for (const record of ours) {
      // The console asks for fewer groups than virsh's default (no dirtyrate, perf, ...).
      const virshFields = [...virsh.get(record.domain.name)!.keys()].filter(
        (f) => !f.startsWith('dirtyrate.'),
      );
      expect(record.params.keys().sort()).toEqual(virshFields.sort());
      const c = vmCountersFromStats(record, 0);
      expect(c.blocks[0]?.name).toBe(virsh.get(record.domain.name)!.get('block.0.name'));
      expect(c.nets[0]?.name).toBe(virsh.get(record.domain.name)!.get('net.0.name'));
    }
  });

  it('sees the boot-time snapshot of a guest whose balloon has no stats period: last-update stays put', () => {
    // A transient bed guest with <memballoon model='virtio'/> and no <stats period>, read 8 s apart.
    const { readings } = JSON.parse(fixtureText('stats-no-balloon-period.json')) as {
      readings: { name: string; uuid: string; id: number; stats: Fields }[];
    };
    const [a, b] = readings.map((r) =>
      vmCountersFromStats(
        {
          domain: { name: r.name, uuid: r.uuid, id: r.id },
          params: TypedParams.fromObject(r.stats),
        },
        0,
      ),
    );
    expect(b!.cpuTimeNs! - a!.cpuTimeNs!).toBe(999_284_000);
    expect(a!.balloonLastUpdateSec).toBe(1795679293);
    expect(b!.balloonLastUpdateSec).toBe(a!.balloonLastUpdateSec);
    expect(b!.balloonUsableKiB).toBe(a!.balloonUsableKiB);
  });

  it('gives nulls and no devices for the test driver’s domain, whose stats carry only state', () => {
    const [only] = statsFixture('stats-test-driver.json');
    const c = vmCountersFromStats(only!, 0);
    expect(c.state).toBe(1);
    expect(c.cpuTimeNs).toBeNull();
    expect(c.vcpuCurrent).toBeNull();
    expect(c.balloonCurrentKiB).toBeNull();
    expect(c.balloonAvailableKiB).toBeNull();
    expect(c.balloonRssKiB).toBeNull();
    expect(c.blocks).toEqual([]);
    expect(c.nets).toEqual([]);
  });
});

describe('vmCountersFromStats on the wire’s types', () => {
  it('takes 64-bit counters past 2^53 (bigint on the wire) as the nearest number', () => {
    const c = vmCountersFromStats(
      record({ 'cpu.time': 2n ** 63n + 5n, 'state.state': 1, 'state.reason': 1 }),
      0,
    );
    expect(c.cpuTimeNs).toBe(2 ** 63);
  });

  it('treats every missing field as null and a missing state as 0 (no state)', () => {
    const c = vmCountersFromStats(record({}), 5);
    expect(c.state).toBe(0);
    expect(c.stateReason).toBe(0);
    expect(c.cpuTimeNs).toBeNull();
    expect(c.blocks).toEqual([]);
  });

  it('lists only the top layer of a disk when the backing chain is reported too', () => {
    const c = vmCountersFromStats(
      record({
        'block.count': 2,
        'block.0.name': 'vda',
        'block.0.wr.bytes': 100n,
        'block.1.name': 'vda',
        'block.1.backingIndex': 1,
        'block.1.wr.bytes': 7n,
      }),
      0,
    );
    expect(c.blocks).toEqual([
      { name: 'vda', readBytes: null, writeBytes: 100, readReqs: null, writeReqs: null },
    ]);
  });

  it('finds devices by name when the count is missing, and bounds a bogus count', () => {
    const noCount = vmCountersFromStats(
      record({ 'net.0.name': 'vnet0', 'net.1.name': 'vnet1', 'net.1.rx.bytes': 3n }),
      0,
    );
    expect(noCount.nets.map((n) => [n.name, n.rxBytes])).toEqual([
      ['vnet0', null],
      ['vnet1', 3],
    ]);
    const bogus = vmCountersFromStats(record({ 'block.count': 4_000_000_000 }), 0);
    expect(bogus.blocks).toEqual([]);
  });

  it.each([
    ['cpu.time', 'lots'],
    ['cpu.time', -1n],
    ['cpu.time', 1.5],
    ['balloon.rss', true],
    ['state.state', 'running'],
    ['net.count', 1],
  ] as const)('refuses %s = %s with a VmStatsError naming the field', (field, value) => {
    const params: Fields = { [field]: value };
    if (field === 'net.count') params['net.0.name'] = 42;
    let caught: unknown;
    try {
      vmCountersFromStats(record(params), 0);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(VmStatsError);
    expect((caught as Error).message).toContain(field === 'net.count' ? 'net.0.name' : field);
  });
});
