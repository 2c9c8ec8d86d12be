import type { HostStatus, VmInventoryEntry } from './engine-events';
import type { HostIdentity } from './host-identity';

/** A saved host as the console shows it: settings without secrets, and its status now. */
export interface HostView {
  name: string;
  /** null: this machine. */
  ssh: {
    host: string;
    port: number;
    username: string;
    auth: 'agent' | 'key' | 'password';
    identityFile: string | null;
  } | null;
  libvirtUri: string;
  pollIntervalSec: number;
  status: HostStatus;
}

/** A host's latest headline figures (the overview's row), from its last sample. */
export interface HostFigures {
  ts: number;
  cpuPercent: number | null;
  memUsedPercent: number | null;
  diskReadBytesPerSec: number | null;
  diskWriteBytesPerSec: number | null;
  netRxBytesPerSec: number | null;
  netTxBytesPerSec: number | null;
}

/** A VM's latest headline figures, from its last sample. */
export interface VmFigures {
  ts: number;
  cpuHostPercent: number | null;
  memUsedPercent: number | null;
  diskReadBytesPerSec: number | null;
  diskWriteBytesPerSec: number | null;
  netRxBytesPerSec: number | null;
  netTxBytesPerSec: number | null;
}

export interface InventoryVm extends VmInventoryEntry {
  figures: VmFigures | null;
}

/** One host of the inventory with its VMs. */
export interface InventoryHost {
  name: string;
  status: HostStatus;
  identity: HostIdentity | null;
  figures: HostFigures | null;
  vms: InventoryVm[];
}

/** One step of hosts.test; later steps are skipped once one fails. */
export interface HostTestStep {
  step: 'tcp' | 'host-key' | 'auth' | 'proc' | 'libvirt';
  result: 'ok' | 'failed' | 'skipped';
  /** What went wrong, for a failed step. */
  error: string | null;
}

export interface HostTestResult {
  steps: HostTestStep[];
  /**
   * The host's key when it is not known yet: shown to the user, trusted only by a
   * hosts.acceptKey naming this fingerprint.
   */
  unknownHostKey: { keyType: string; fingerprint: string } | null;
}

/** Per poll of one host: its figures and its VMs' headline figures, one message. */
export interface HostPollEvent {
  host: string;
  status: HostStatus;
  figures: HostFigures | null;
  vms: { uuid: string; name: string; state: string; figures: VmFigures }[];
}
