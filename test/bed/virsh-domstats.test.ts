import { describe, expect, it } from 'vitest';
import { counter, deviceTotal, DomstatsParseError, parseDomstats } from './virsh-domstats';

// Trimmed from a real `virsh domstats --raw` run against the bed.
const sample = `Domain: 'bed-idle'
  state.state=1
  cpu.time=5743794000
  balloon.current=131072
  net.count=1
  net.0.name=bedtap-idle
  net.0.rx.pkts=7
  net.0.tx.pkts=5
  block.count=2
  block.0.name=vda
  block.0.wr.bytes=4096
  block.1.name=vdb
  block.1.wr.bytes=512
  dirtyrate.calc_mode=page-sampling

Domain: 'bed-cpu'
  state.state=1
  cpu.time=270492586000

`;

describe('parseDomstats', () => {
  it('reads every domain block and its stats', () => {
    const stats = parseDomstats(sample);
    expect([...stats.keys()]).toEqual(['bed-idle', 'bed-cpu']);
    expect(stats.get('bed-idle')?.get('net.0.name')).toBe('bedtap-idle');
    expect(stats.get('bed-idle')?.get('dirtyrate.calc_mode')).toBe('page-sampling');
    expect(counter(stats, 'bed-cpu', 'cpu.time')).toBe(270492586000);
  });

  it('sums per-device counters', () => {
    const stats = parseDomstats(sample);
    expect(deviceTotal(stats, 'bed-idle', 'block', 'wr.bytes')).toBe(4608);
    expect(deviceTotal(stats, 'bed-idle', 'net', 'rx.pkts')).toBe(7);
  });

  it('reads empty output as no domains', () => {
    expect(parseDomstats('\n').size).toBe(0);
  });

  it('rejects stats before any domain header', () => {
    expect(() => parseDomstats('  cpu.time=1\n')).toThrow(DomstatsParseError);
  });

  it('rejects lines that are not stats', () => {
    expect(() => parseDomstats("Domain: 'a'\nerror: failed to connect\n")).toThrow(/line 2/);
  });

  it('rejects a domain listed twice', () => {
    expect(() => parseDomstats("Domain: 'a'\n  x=1\nDomain: 'a'\n")).toThrow(/twice/);
  });
});

describe('counter', () => {
  const stats = parseDomstats(
    "Domain: 'a'\n  cpu.time=12\n  name=vda\n  big=99999999999999999999\n",
  );

  it('throws a typed error for a missing domain or key', () => {
    expect(() => counter(stats, 'b', 'cpu.time')).toThrow(DomstatsParseError);
    expect(() => counter(stats, 'a', 'cpu.user')).toThrow(/no cpu.user/);
  });

  it('never turns text or an oversized value into a number', () => {
    expect(() => counter(stats, 'a', 'name')).toThrow(/not a counter/);
    expect(() => counter(stats, 'a', 'big')).toThrow(/too large/);
  });
});
