import { describe, expect, it } from 'vitest';
import { netUsage, wireBitsPerSec } from '../../../src/collector/rates/net-usage';
import { looksPhysical } from '../../../src/collector/rates/physical-interfaces';
import { fixtureReading } from './fixture-readings';

describe('looksPhysical', () => {
  it('takes NIC names for physical and virtual, stacked or alias names for not', () => {
    for (const name of ['eth0', 'enp3s0f1', 'eno1', 'wlp2s0', 'enx00e04c680d1a', 'ib0', 'em1']) {
      expect(looksPhysical(name), name).toBe(true);
    }
    for (const name of [
      'lo',
      'virbr0',
      'virbr0-nic',
      'vnet12',
      'tap0',
      'veth1a2b3c4',
      'docker0',
      'br-0123456789ab',
      'bond0',
      'eth0.100',
      'eth0:1',
      'ifb0',
    ]) {
      expect(looksPhysical(name), name).toBe(false);
    }
  });
});

describe('wireBitsPerSec (paper eqs. 5–7, corrected)', () => {
  it('adds 24 bytes of framing per packet and divides by the interval', () => {
    // 1000 full frames of 1514 bytes in 1 s: (1514 + 24) × 8 × 1000.
    expect(wireBitsPerSec(1514 * 1000, 1000, 1)).toBe(12_304_000);
    expect(wireBitsPerSec(0, 0, 2)).toBe(0);
    expect(wireBitsPerSec(10, 1, 0)).toBeNull();
  });
});

describe('netUsage', () => {
  const usage = netUsage(
    fixtureReading('edge-case/t0').netDev,
    fixtureReading('edge-case/t1').netDev,
    5,
  );
  const iface = (name: string) => usage.interfaces.find((i) => i.name === name)!;

  it('computes each interface by hand, exact near 2^64', () => {
    // eth0: rx bytes 18446744073708551000 → +250000, rx packets +100, tx +62500 bytes / +50 packets.
    expect(iface('eth0')).toEqual({
      name: 'eth0',
      physical: true,
      rxBytesPerSec: 50_000,
      txBytesPerSec: 12_500,
      rxPacketsPerSec: 20,
      txPacketsPerSec: 10,
      rxErrorsPerSec: 0,
      txErrorsPerSec: 0,
      rxDropsPerSec: 0,
      txDropsPerSec: 0,
      wireBitsPerSec: ((250_000 + 62_500 + 24 * 150) * 8) / 5,
    });
    expect(iface('wlp2s0')).toMatchObject({ rxErrorsPerSec: 0.2, rxDropsPerSec: 0.6 });
  });

  it('gives no rate to an interface whose counters went backwards', () => {
    expect(iface('tap0')).toMatchObject({
      rxBytesPerSec: null,
      txBytesPerSec: null,
      wireBitsPerSec: null,
    });
  });

  it('sums physical interfaces only', () => {
    expect(usage.interfaces.filter((i) => i.physical).map((i) => i.name)).toEqual([
      'eth0',
      'enx00e04c680d1a',
      'wlp2s0',
    ]);
    expect(usage.rxBytesPerSec).toBe(50_000 + 25_000 + 25_000);
    expect(usage.txBytesPerSec).toBe(3 * 12_500);
    expect(usage.rxPacketsPerSec).toBe(60);
    expect(usage.txPacketsPerSec).toBe(30);
    expect(usage.wireBitsPerSec).toBeCloseTo(
      ((312_500 + 3600) * 8) / 5 + 2 * (((187_500 + 3600) * 8) / 5),
      6,
    );
  });

  it('lets the source decide what is physical', () => {
    const onlyTap = netUsage(
      fixtureReading('edge-case/t0').netDev,
      fixtureReading('edge-case/t0').netDev,
      5,
      (name) => name === 'vnet0',
    );
    expect(onlyTap.rxBytesPerSec).toBe(0);
    expect(onlyTap.interfaces.filter((i) => i.physical)).toHaveLength(1);
  });
});
