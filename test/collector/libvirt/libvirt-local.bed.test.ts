import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectLibvirt } from '../../../src/collector/libvirt/connect';
import { CONSOLE_STATS_GROUPS } from '../../../src/collector/libvirt/domain-stats';
import { LibvirtError } from '../../../src/collector/libvirt/errors';
import {
  DOMAIN_STATES,
  type LibvirtConnection,
} from '../../../src/collector/libvirt/libvirt-connection';
import { describeBed } from '../../helpers/bed';
import { virsh, virshDomstats, virshUuidNames } from '../../helpers/virsh';
import { libvirtExtras } from './bed-helpers';

const MONOTONIC =
  /^(cpu\.(time|user|system)|vcpu\.\d+\.time|block\.\d+\.(rd|wr|fl)\.(reqs|bytes|times)|net\.\d+\.(rx|tx)\.(bytes|pkts))$/;

describeBed('libvirt protocol client against the bed libvirtd (local socket)', (bed) => {
  const uri = bed.libvirt.uri;
  let lv: LibvirtConnection;

  beforeAll(async () => {
    lv = await connectLibvirt({ uri });
  });
  afterAll(async () => {
    await lv?.close();
  });

  it('reads the hostname, versions and node info as virsh does', async () => {
    expect(await lv.getHostname()).toBe(virsh(uri, 'hostname').trim());
    const version = virsh(uri, 'version');
    const lib = /Using library: libvirt (\d+)\.(\d+)\.(\d+)/.exec(version);
    expect(await lv.getLibVersion()).toBe(
      Number(lib?.[1]) * 1e6 + Number(lib?.[2]) * 1e3 + Number(lib?.[3]),
    );
    const hv = /Running hypervisor: QEMU (\d+)\.(\d+)\.(\d+)/.exec(version);
    expect(await lv.getVersion()).toBe(
      Number(hv?.[1]) * 1e6 + Number(hv?.[2]) * 1e3 + Number(hv?.[3]),
    );
    const fields = new Map(
      virsh(uri, 'nodeinfo')
        .split('\n')
        .map((l) => l.split(/:\s+/) as [string, string]),
    );
    const info = await lv.nodeGetInfo();
    expect(info).toEqual({
      model: fields.get('CPU model'),
      cpus: Number(fields.get('CPU(s)')),
      mhz: Number(fields.get('CPU frequency')?.split(' ')[0]),
      sockets: Number(fields.get('CPU socket(s)')),
      cores: Number(fields.get('Core(s) per socket')),
      threads: Number(fields.get('Thread(s) per core')),
      nodes: Number(fields.get('NUMA cell(s)')),
      memoryKiB: info.memoryKiB,
    });
    // Node memory moves on this machine (it follows the container's limit): allow 10 %.
    const virshKiB = Number(fields.get('Memory size')?.split(' ')[0]);
    expect(Math.abs(Number(info.memoryKiB) - virshKiB)).toBeLessThan(virshKiB * 0.1);
    const cpu = await lv.nodeGetCpuStats();
    expect(Object.keys(cpu).sort()).toEqual(['idle', 'iowait', 'kernel', 'user']);
    const memory = await lv.nodeGetMemoryStats();
    expect(Object.keys(memory).sort()).toEqual(['buffers', 'cached', 'free', 'total']);
    expect(memory.free).toBeGreaterThan(0n);
    expect(memory.free).toBeLessThanOrEqual(memory.total as bigint);
  });

  it('lists exactly the domains `virsh list --all --uuid --name` lists', async () => {
    const ours = (await lv.listAllDomains()).map((d) => `${d.uuid} ${d.name}`).sort();
    expect(ours).toEqual(virshUuidNames(uri));
    for (const d of bed.domains) expect(ours).toContain(`${d.uuid} ${d.name}`);
  });

  it('looks domains up by UUID and reads their info, state and XML', async () => {
    for (const d of bed.domains) {
      const dom = await lv.lookupDomainByUuid(d.uuid);
      expect(dom.name).toBe(d.name);
      expect(dom.id).toBe(Number(virsh(uri, 'domid', d.name).trim()));
      const info = await lv.domainGetInfo(dom);
      expect(info.state).toBe(1);
      expect(info.maxMemKiB).toBe(131072n);
      expect(info.nrVirtCpu).toBe(d.vcpus);
      expect(info.cpuTimeNs).toBeGreaterThan(0n);
      expect(DOMAIN_STATES[(await lv.domainGetState(dom)).state]).toBe('running');
      expect(await lv.domainGetXmlDesc(dom)).toContain(`<uuid>${d.uuid}</uuid>`);
    }
    await expect(
      lv.lookupDomainByUuid('5e7a0b0d-dead-4000-8000-000000000000'),
    ).rejects.toMatchObject({
      name: 'LibvirtError',
      code: 42,
    });
  });

  it('returns all-domain stats with the same keys as `virsh domstats --raw` right after', async () => {
    const ours = await lv.getAllDomainStats(0);
    const theirs = virshDomstats(uri);
    for (const d of bed.domains) {
      const record = ours.find((r) => r.domain.uuid === d.uuid);
      expect(record, d.name).toBeDefined();
      expect((record?.params.keys() ?? []).sort(), d.name).toEqual(
        [...(theirs.get(d.name)?.keys() ?? [])].sort(),
      );
      const virshValues = theirs.get(d.name);
      for (const key of [
        'balloon.maximum',
        'block.0.capacity',
        'net.0.name',
        'block.0.path',
        'vcpu.maximum',
      ]) {
        expect(String(record?.params.get(key)), `${d.name} ${key}`).toBe(virshValues?.get(key));
      }
    }
  });

  it('asks only for the console groups when told to, and counters only grow', async () => {
    const first = await lv.getAllDomainStats(CONSOLE_STATS_GROUPS);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const second = await lv.getAllDomainStats(CONSOLE_STATS_GROUPS);
    for (const d of bed.domains) {
      const a = first.find((r) => r.domain.uuid === d.uuid)?.params.toObject() ?? {};
      const b = second.find((r) => r.domain.uuid === d.uuid)?.params.toObject() ?? {};
      expect(Object.keys(a).some((k) => k.startsWith('perf.') || k.startsWith('iothread.'))).toBe(
        false,
      );
      const counters = Object.keys(a).filter((k) => MONOTONIC.test(k));
      expect(counters.length, d.name).toBeGreaterThan(8);
      for (const key of counters) {
        // Real counters are far below 2^53, so they arrive as exact numbers.
        expect(Number.isSafeInteger(a[key]), key).toBe(true);
        expect((b[key] as number) >= (a[key] as number), `${d.name} ${key}`).toBe(true);
      }
      expect(b['cpu.time'] as number).toBeGreaterThan(a['cpu.time'] as number);
    }
    const busy = bed.domains.find((d) => d.workload === 'cpu');
    const cpuA = first.find((r) => r.domain.uuid === busy?.uuid)?.params.get('cpu.time') as number;
    const cpuB = second.find((r) => r.domain.uuid === busy?.uuid)?.params.get('cpu.time') as number;
    // A busy TCG guest burns a good share of a core: well over 0.3 s of CPU in 1.5 s.
    expect(cpuB - cpuA).toBeGreaterThan(300_000_000);
  });

  it('keeps many calls in flight at once, each answered with its own reply', async () => {
    const doms = await lv.listAllDomains();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => {
        const dom = doms[i % doms.length];
        if (!dom) throw new Error('no domains');
        return i % 2 === 0
          ? lv.domainGetXmlDesc(dom).then((xml) => xml.includes(`<name>${dom.name}</name>`))
          : lv.lookupDomainByUuid(dom.uuid).then((d) => d.name === dom.name);
      }),
    );
    expect(results.every(Boolean)).toBe(true);
  });

  it('opens the read-only socket; the daemon refuses writes there with a typed error', async () => {
    const ro = await connectLibvirt({ uri, readOnly: true });
    try {
      expect((await ro.listAllDomains()).length).toBeGreaterThanOrEqual(bed.domains.length);
      const dom = await ro.lookupDomainByUuid(bed.domains[0]?.uuid ?? '');
      const error = await ro.domainSetMemoryStatsPeriod(dom, 2, 1).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LibvirtError);
      expect((error as LibvirtError).message).toMatch(/read only|read-only/i);
    } finally {
      await ro.close();
    }
  });

  it('opens test+unix:///default through the daemon', async () => {
    const testUri = bed.libvirt.testUri;
    const t = await connectLibvirt({ uri: testUri });
    try {
      expect(await t.getHostname()).toBe(virsh(testUri, 'hostname').trim());
      const list = (await t.listAllDomains()).map((d) => `${d.uuid} ${d.name}`).sort();
      expect(list).toEqual(virshUuidNames(testUri));
      const stats = await t.getAllDomainStats(0);
      expect(stats[0]?.params.get('state.state')).toBe(1);
      expect((await t.nodeGetInfo()).cpus).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });

  it('handles a 50-domain test-driver node file', async () => {
    const fixture = fileURLToPath(new URL('../../fixtures/libvirt/fleet-50.xml', import.meta.url));
    for (const fleetUri of new Set([libvirtExtras(bed).fleetUri ?? '', `test+unix://${fixture}`])) {
      if (!fleetUri) continue;
      const fleet = await connectLibvirt({ uri: fleetUri });
      try {
        const domains = await fleet.listAllDomains();
        expect(domains).toHaveLength(50);
        expect(domains.map((d) => `${d.uuid} ${d.name}`).sort()).toEqual(virshUuidNames(fleetUri));
        const stats = await fleet.getAllDomainStats(0);
        expect(stats).toHaveLength(50);
        const virshKeys = virshDomstats(fleetUri);
        for (const record of stats) {
          expect(record.params.keys().sort()).toEqual(
            [...(virshKeys.get(record.domain.name)?.keys() ?? [])].sort(),
          );
        }
        const info = await fleet.domainGetInfo(domains[0] ?? stats[0]!.domain);
        expect(info.maxMemKiB).toBeGreaterThan(0n);
      } finally {
        await fleet.close();
      }
    }
  });

  it('fails with a typed transport error when no daemon listens', async () => {
    await expect(
      // Nothing listens on TCP port 1 (a URI may not name a socket).
      connectLibvirt({ uri: 'qemu+tcp://127.0.0.1:1/system' }),
    ).rejects.toMatchObject({
      name: 'LibvirtTransportError',
    });
  });
});
