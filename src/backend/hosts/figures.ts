import type { DetailedVmSample } from '../../shared/model/engine-events';
import type { DetailedHostSample } from '../../shared/model/detailed-host-sample';
import type { HostFigures, VmFigures } from '../../shared/model/host-view';
import { sumKnown } from '../../shared/model/sum-known';

/** The overview's headline of a host sample: what one row of the host table shows. */
export function hostFiguresOf(sample: DetailedHostSample): HostFigures {
  return {
    ts: sample.ts,
    cpuPercent: sample.cpu.percent,
    memUsedPercent: sample.memory.usedPercent,
    diskReadBytesPerSec: sample.disk.readBytesPerSec,
    diskWriteBytesPerSec: sample.disk.writeBytesPerSec,
    netRxBytesPerSec: sample.net.rxBytesPerSec,
    netTxBytesPerSec: sample.net.txBytesPerSec,
    diskBytesPerSec: sumKnown(sample.disk.readBytesPerSec, sample.disk.writeBytesPerSec),
    netBytesPerSec: sumKnown(sample.net.rxBytesPerSec, sample.net.txBytesPerSec),
  };
}

/** The headline of a VM sample; memory used is the guest's view, when it reports one. */
export function vmFiguresOf(sample: DetailedVmSample): VmFigures {
  const { guestUsedBytes, guestTotalBytes } = sample.memory;
  return {
    ts: sample.ts,
    cpuHostPercent: sample.cpu.hostPercent,
    cpuGuestPercent: sample.cpu.guestPercent,
    memUsedPercent:
      guestUsedBytes !== null && guestTotalBytes !== null && guestTotalBytes > 0
        ? (100 * guestUsedBytes) / guestTotalBytes
        : null,
    memGuestUsedBytes: guestUsedBytes,
    memAllocatedBytes: sample.memory.allocatedBytes,
    diskReadBytesPerSec: sample.disk.readBytesPerSec,
    diskWriteBytesPerSec: sample.disk.writeBytesPerSec,
    netRxBytesPerSec: sample.net.rxBytesPerSec,
    netTxBytesPerSec: sample.net.txBytesPerSec,
    diskBytesPerSec: sumKnown(sample.disk.readBytesPerSec, sample.disk.writeBytesPerSec),
    netBytesPerSec: sumKnown(sample.net.rxBytesPerSec, sample.net.txBytesPerSec),
  };
}
