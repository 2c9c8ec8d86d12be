import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { BedDescription } from '../../test/helpers/bed';

const run = promisify(execFile);

/** libvirt's default CFS period for a domain's vCPUs, µs. */
const PERIOD_US = 100_000;

async function vcpuQuota(uri: string, uuid: string): Promise<number> {
  const { stdout } = await run('virsh', ['-c', uri, 'schedinfo', uuid]);
  const quota = /^vcpu_quota\s*:\s*(-?\d+)/m.exec(stdout)?.[1];
  if (quota === undefined) throw new Error(`virsh schedinfo ${uuid} shows no vcpu_quota`);
  return Number(quota);
}

const setVcpuQuota = (uri: string, uuid: string, quota: number) =>
  run('virsh', ['-c', uri, 'schedinfo', uuid, '--live', `vcpu_quota=${quota}`]);

/**
 * Runs `work` with each of the bed's own guests (by UUID) held to `percent` of a core,
 * then gives every one its quota back. For benches that replay the guests' recorded
 * stats: the spinning TCG guest takes one of this machine's two cores, and a page's
 * tasks would measure how long the browser waited for the other one.
 */
export async function withBedGuestsCapped<T>(
  bed: BedDescription,
  percent: number,
  work: () => Promise<T>,
): Promise<T> {
  const uri = bed.libvirt.uri;
  const before = new Map<string, number>();
  try {
    for (const { uuid } of bed.domains) {
      before.set(uuid, await vcpuQuota(uri, uuid));
      await setVcpuQuota(uri, uuid, Math.round((PERIOD_US * percent) / 100));
    }
    return await work();
  } finally {
    for (const [uuid, quota] of before) await setVcpuQuota(uri, uuid, quota);
  }
}
