import type { Desktop } from '../../../src/renderer/fleet/fleet-store';

/** A desktop as the fleet store holds it, with what a test changes. */
export function desktop(n: number, change: Partial<Desktop> = {}): Desktop {
  const uuid = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  // The hosts' ids are their names here: a test reads either.
  const host = change.host ?? (n % 2 === 0 ? 'kvm-a' : 'kvm-b');
  return {
    uuid,
    name: `desk-${String(n).padStart(2, '0')}`,
    host,
    hostName: host,
    id: n,
    state: 'running',
    stateCode: 1,
    stateReason: 1,
    vcpus: 2,
    maxMemoryBytes: 4 * 1024 ** 3,
    currentMemoryBytes: 4 * 1024 ** 3,
    disks: [],
    nics: [],
    graphics: [{ type: 'vnc', port: 5900 + n }],
    balloon: null,
    autostart: true,
    persistent: true,
    gone: false,
    lastSeen: Date.UTC(2026, 11, 2, 4, 0, 0),
    lct: null,
    connectedNow: false,
    descriptionError: null,
    figures: {
      ts: Date.UTC(2026, 11, 2, 4, 0, 0),
      cpuHostPercent: n,
      cpuGuestPercent: n * 2,
      memUsedPercent: 50,
      memGuestUsedBytes: 2 * 1024 ** 3,
      memAllocatedBytes: 4 * 1024 ** 3,
      diskReadBytesPerSec: 1000 * n,
      diskWriteBytesPerSec: 0,
      netRxBytesPerSec: 0,
      netTxBytesPerSec: 0,
      diskBytesPerSec: 1000 * n,
      netBytesPerSec: 0,
    },
    ...change,
  };
}
