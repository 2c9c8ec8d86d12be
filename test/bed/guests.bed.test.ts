import { expect, it } from 'vitest';
import { bedDomain, describeBed } from '../helpers/bed';
import { counter, deviceTotal, readDomstats } from './virsh-domstats';

const windowMs = 5_000;

describeBed('the bed guests run their workloads', (bed) => {
  const names = bed.domains.map((d) => d.name);
  const cpuNs = (stats: Awaited<ReturnType<typeof readDomstats>>, workload: 'cpu' | 'idle') =>
    counter(stats, bedDomain(bed, workload).name, 'cpu.time');

  it(`moves every guest's counters as its workload says over ${windowMs / 1000} s`, async () => {
    const before = await readDomstats(bed.libvirt.uri, names);
    const start = performance.now();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const after = await readDomstats(bed.libvirt.uri, names);
    const wallNs = (performance.now() - start) * 1e6;

    const cpuShare = (cpuNs(after, 'cpu') - cpuNs(before, 'cpu')) / wallNs;
    const idleShare = (cpuNs(after, 'idle') - cpuNs(before, 'idle')) / wallNs;
    const disk = bedDomain(bed, 'disk').name;
    const diskWritten =
      deviceTotal(after, disk, 'block', 'wr.bytes') -
      deviceTotal(before, disk, 'block', 'wr.bytes');
    const net = bedDomain(bed, 'net').name;
    const packets = (stats: typeof before) =>
      deviceTotal(stats, net, 'net', 'rx.pkts') + deviceTotal(stats, net, 'net', 'tx.pkts');
    const netPackets = packets(after) - packets(before);

    console.log(
      `bed guests over ${(wallNs / 1e9).toFixed(2)} s: cpu ${cpuShare.toFixed(2)} core, idle ${idleShare.toFixed(3)} core, disk +${diskWritten} B written, net +${netPackets} packets`,
    );
    expect(cpuShare).toBeGreaterThanOrEqual(0.5);
    expect(idleShare).toBeLessThan(0.3);
    expect(diskWritten).toBeGreaterThan(0);
    expect(netPackets).toBeGreaterThan(0);
  });

  it('runs every guest with a virtio balloon that reports the guest view of memory', async () => {
    const stats = await readDomstats(bed.libvirt.uri, names);
    for (const name of names) {
      const available = counter(stats, name, 'balloon.available');
      const usable = counter(stats, name, 'balloon.usable');
      expect(available).toBeGreaterThan(usable);
      expect(counter(stats, name, 'balloon.current')).toBe(128 * 1024);
    }
  });
});
