import { describe, expect, it } from 'vitest';
import type { DomainStatsRecord } from '../../../src/collector/libvirt/domain-stats';
import { DomainXmlError, parseDomainXml } from '../../../src/collector/vm/domain-xml';
import { parseVncClientsFromQmp, QmpReplyError } from '../../../src/collector/vm/display-tracker';
import { vmCountersFromStats, VmStatsError } from '../../../src/collector/vm/vm-counters';
import { vmUsage, type VmUsage } from '../../../src/collector/vm/vm-usage';
import { fixtureText, statsFixture } from './bed-fixtures';
import { TypedParams } from '../../../src/collector/libvirt/typed-params';
import { seededRandom } from '../../helpers/seeded-random';

const PIECES = [
  '<',
  '>',
  '/>',
  '</',
  '&',
  ';',
  '&#',
  '&#x',
  '"',
  "'",
  '=',
  '<!--',
  '-->',
  '<![CDATA[',
  ']]>',
  '<?',
  '?>',
  '<!DOCTYPE',
  '\u0000',
  'domain',
  ' ',
];

function mutate(text: string, random: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(random() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * (out.length + 1));
    const kind = random();
    if (kind < 0.4) {
      out = out.slice(0, at) + out.slice(at + 1 + Math.floor(random() * 20));
    } else if (kind < 0.8) {
      out = out.slice(0, at) + PIECES[Math.floor(random() * PIECES.length)]! + out.slice(at);
    } else {
      out = out.slice(0, at);
    }
  }
  return out;
}

function allRatesSane(u: VmUsage): boolean {
  const numbers = [
    u.cpu.hostPercent,
    u.cpu.guestPercent,
    u.memory.allocatedBytes,
    u.memory.guestTotalBytes,
    u.memory.guestUsedBytes,
    u.memory.rssBytes,
    u.disk.readBytesPerSec,
    u.disk.writeBytesPerSec,
    u.disk.readIops,
    u.disk.writeIops,
    u.net.rxBytesPerSec,
    u.net.txBytesPerSec,
    u.net.rxPacketsPerSec,
    u.net.txPacketsPerSec,
    ...u.disk.devices.flatMap((d) => [d.readBytesPerSec, d.writeIops]),
    ...u.net.interfaces.flatMap((i) => [i.rxBytesPerSec, i.txPacketsPerSec]),
  ];
  return numbers.every((n) => n === null || (Number.isFinite(n) && n >= 0));
}

describe('seeded fuzz', () => {
  it('mutated bed XML either parses or throws DomainXmlError (4 000 cases)', () => {
    const random = seededRandom(20261126);
    const sources = ['bed-idle.xml', 'bed-net.xml', 'test-driver.xml'].map(fixtureText);
    let parsed = 0;
    let refused = 0;
    for (let i = 0; i < 4_000; i++) {
      const xml = mutate(sources[i % sources.length]!, random);
      try {
        const d = parseDomainXml(xml);
        expect(Number.isFinite(d.maxMemoryBytes)).toBe(true);
        parsed++;
      } catch (error) {
        if (!(error instanceof DomainXmlError)) throw new Error(`case ${i}: ${String(error)}`);
        refused++;
      }
    }
    expect(parsed).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });

  it('mutated QMP replies either parse or throw QmpReplyError (2 000 cases)', () => {
    const random = seededRandom(7);
    const source = fixtureText('qmp-query-vnc-two-clients.json');
    for (let i = 0; i < 2_000; i++) {
      try {
        parseVncClientsFromQmp(mutate(source, random));
      } catch (error) {
        if (!(error instanceof QmpReplyError)) throw new Error(`case ${i}: ${String(error)}`);
      }
    }
  });

  it('stats with random values and types: VmStatsError or sane usage, never NaN or negative (3 000 cases)', () => {
    const random = seededRandom(42);
    const base = statsFixture('stats-1.json');
    const values = [0, 1, -1, 2.5, Number.NaN, 2 ** 60, 0n, 5n, -3n, 2n ** 64n - 1n, 'x', true];
    let refused = 0;
    for (let i = 0; i < 3_000; i++) {
      const pick = base[i % base.length]!;
      const make = (): DomainStatsRecord => {
        const params = pick.params.toObject();
        const keys = Object.keys(params);
        for (let k = 0; k < 3; k++) {
          const key = keys[Math.floor(random() * keys.length)]!;
          if (random() < 0.3) delete params[key];
          else params[key] = values[Math.floor(random() * values.length)]!;
        }
        return { domain: pick.domain, params: TypedParams.fromObject(params) };
      };
      try {
        const prev = vmCountersFromStats(make(), 0);
        const cur = vmCountersFromStats(make(), 1_000 + random() * 2_000);
        expect(allRatesSane(vmUsage(prev, cur, 2))).toBe(true);
      } catch (error) {
        if (!(error instanceof VmStatsError)) throw new Error(`case ${i}: ${String(error)}`);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
  });
});
