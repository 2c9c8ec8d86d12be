import { expect, it } from 'vitest';
import { describeBed } from '../helpers/bed';
import { bedSshCliArgs } from '../helpers/bed-ssh';
import { runCli, type CliRun, type RunCliOptions } from '../helpers/run-cli';

const collect = (args: string[], options?: RunCliOptions): Promise<CliRun> =>
  runCli(['collect', ...args], options);

describeBed('setmov collect with VMs', (bed) => {
  it('--json: a host line with vmCount, then one line per VM with the documented fields', async () => {
    const { code, out, err } = await collect(['--json', '--count', '2', '--uri', bed.libvirt.uri]);
    expect(err).toBe('');
    expect(code).toBe(0);
    const lines = out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const hosts = lines.filter((l) => l.kind === 'host');
    expect(hosts).toHaveLength(2);
    expect(hosts[0]?.vmCount).toBeGreaterThanOrEqual(bed.domains.length);
    const vms = lines.filter((l) => l.kind === 'vm');
    for (const domain of bed.domains) {
      const vm = vms.find((v) => v.uuid === domain.uuid);
      expect(vm, domain.name).toMatchObject({
        kind: 'vm',
        host: hosts[0]?.host,
        name: domain.name,
        state: 'running',
        vcpus: domain.vcpus,
        cpu: { hostPercent: expect.any(Number), guestPercent: expect.any(Number) },
        memory: {
          allocatedBytes: 128 * 1024 * 1024,
          guestTotalBytes: expect.any(Number),
          guestUsedBytes: expect.any(Number),
          rssBytes: expect.any(Number),
        },
        disk: {
          readBytesPerSec: expect.any(Number),
          writeBytesPerSec: expect.any(Number),
          readIops: expect.any(Number),
          writeIops: expect.any(Number),
        },
        net: {
          rxBytesPerSec: expect.any(Number),
          txBytesPerSec: expect.any(Number),
          rxPacketsPerSec: expect.any(Number),
          txPacketsPerSec: expect.any(Number),
        },
        connectedNow: expect.any(Boolean),
        lastSeen: expect.any(Number),
      });
      expect(vm?.lct === null || typeof vm?.lct === 'number').toBe(true);
    }
  });

  it('--vm filters the VM rows of the table; over SSH too', async () => {
    const { code, out } = await collect([...bedSshCliArgs(bed), '--count', '1', '--vm', 'bed-net']);
    expect(code).toBe(0);
    expect(out).toMatch(/^CPU +busy/m);
    expect(out).toMatch(/^VMS {2}\d+ running$/m);
    expect(out).toMatch(/^VM +state +vCPU +cpu host +cpu guest/m);
    expect(out).toMatch(/^bed-net +running +1 /m);
    expect(out).not.toMatch(/^bed-cpu /m);
  });

  it('--uri with a sub-second interval is a usage error', async () => {
    const { code, err } = await collect([
      '--uri',
      bed.libvirt.uri,
      '--interval',
      '0.5',
      '--count',
      '1',
    ]);
    expect(code).toBe(2);
    expect(err).toMatch(/--uri and --vm need --interval of at least 1/);
  });
});
