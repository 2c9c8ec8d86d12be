import type { HostStatus, VmStateName } from '../../shared/model/engine-events';
import type {
  HostFigures,
  InventoryHost,
  InventoryVm,
  VmFigures,
} from '../../shared/model/host-view';
import type { CentralHost, CentralVm } from '../../store/mysql/central-fleet-reader';
import { vmStateCode, vmStateName } from '../../collector/engine/vm-state';

/** A state name as t3 keeps it, with its code; a name libvirt does not have is 'unknown'. */
function stateOf(name: string): { state: VmStateName; stateCode: number } {
  const code = vmStateCode(name);
  return code < 0
    ? { state: 'unknown', stateCode: -1 }
    : { state: vmStateName(code), stateCode: code };
}

/**
 * A central host's status: up while its newest sample is younger than `staleAfterMs`,
 * stale after that (its agent, or the console that wrote it, stopped writing), with the
 * time of that sample in the reason. A host never sampled is stale from the start.
 */
export function centralHostStatus(
  host: CentralHost,
  nowMs: number,
  staleAfterMs: number,
): HostStatus {
  const newestMs = host.latest?.tsMs ?? null;
  const fresh = newestMs !== null && nowMs - newestMs <= staleAfterMs;
  return {
    status: fresh ? 'up' : 'stale',
    reason: fresh
      ? null
      : newestMs === null
        ? 'no sample in the central database yet'
        : `no sample in the central database since ${new Date(newestMs).toISOString()}`,
    procError: null,
    libvirtError: null,
    retryAt: null,
    failedAttempts: 0,
  };
}

/** The host's newest figures as the overview shows them: sums only, as t1 keeps them. */
export function centralHostFigures(host: CentralHost): HostFigures | null {
  const latest = host.latest;
  if (!latest) return null;
  return {
    ts: latest.tsMs,
    cpuPercent: latest.cpuPercent,
    memUsedPercent: latest.memoryPercent,
    diskReadBytesPerSec: null,
    diskWriteBytesPerSec: null,
    netRxBytesPerSec: null,
    netTxBytesPerSec: null,
    diskBytesPerSec: latest.diskBytesPerSec,
    netBytesPerSec: latest.networkBytesPerSec,
  };
}

/** A VM's newest figures: the host-relative CPU and the guest's memory share, sums of rates. */
export function centralVmFigures(vm: CentralVm): VmFigures | null {
  const latest = vm.latest;
  if (!latest) return null;
  return {
    ts: latest.tsMs,
    cpuHostPercent: latest.cpuPercent,
    cpuGuestPercent: null,
    memUsedPercent: latest.memoryPercent,
    memGuestUsedBytes: null,
    memAllocatedBytes: null,
    diskReadBytesPerSec: null,
    diskWriteBytesPerSec: null,
    netRxBytesPerSec: null,
    netTxBytesPerSec: null,
    diskBytesPerSec: latest.diskBytesPerSec,
    netBytesPerSec: latest.networkBytesPerSec,
  };
}

/**
 * A central VM as an inventory entry: what t3 keeps (name, state, vCPUs, last connect,
 * connected now, last seen); the devices, memory sizes and flags only a libvirt
 * connection knows are empty or null, not guessed.
 */
export function centralInventoryVm(vm: CentralVm): InventoryVm {
  return {
    uuid: vm.uuid,
    name: vm.name,
    id: null,
    ...stateOf(vm.state),
    stateReason: 0,
    vcpus: vm.vcpus,
    maxMemoryBytes: null,
    currentMemoryBytes: null,
    disks: [],
    nics: [],
    graphics: [],
    balloon: null,
    autostart: null,
    persistent: null,
    gone: false,
    lastSeen: vm.lastSeenMs,
    lct: vm.lctMs,
    connectedNow: vm.connectedNow,
    descriptionError: null,
    figures: centralVmFigures(vm),
  };
}

/** A central host's name as the console shows it: its admin's label, else its hostname. */
export function centralHostName(host: CentralHost): string {
  return host.hostLabel ?? host.hostName;
}

/** A central host with its VMs, as the `inventory` request answers it. */
export function centralInventoryHost(
  host: CentralHost,
  vms: Iterable<CentralVm>,
  status: HostStatus,
): InventoryHost {
  return {
    id: host.hostKey,
    source: 'central',
    name: centralHostName(host),
    status,
    // The central database keeps the host's cores and memory, not its kernel or CPU model:
    // the identity is given only where both sizes are known.
    identity:
      host.cpuCores !== null && host.memoryBytes !== null
        ? {
            hostname: host.hostName,
            primaryIp: host.hostIp,
            cpuCount: host.cpuCores,
            cpuModel: null,
            memoryTotalBytes: host.memoryBytes,
            kernelRelease: '',
          }
        : null,
    libvirt: null,
    figures: centralHostFigures(host),
    vms: [...vms].map(centralInventoryVm),
  };
}
