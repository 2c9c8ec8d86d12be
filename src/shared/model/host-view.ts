import type { LibvirtFacts } from './libvirt-facts';
import type { DetailedHostSample } from './detailed-host-sample';
import type { DetailedVmSample, HostStatus, VmInventoryEntry } from './engine-events';
import type { HostIdentity } from './host-identity';

/** A saved host as the console shows it: settings without secrets, and its status now. */
export interface HostView {
  /** Its identity: requests, topics and the history name the host by it. */
  id: string;
  /** What the admin named it (any printable text). */
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
  /** A password or key passphrase is kept for this host (the secret itself never leaves). */
  hasSecret: boolean;
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
  /** Read + write: all the central database keeps of a host it shows (the split is null then). */
  diskBytesPerSec: number | null;
  /** Received + sent, likewise. */
  netBytesPerSec: number | null;
}

/** A VM's latest headline figures, from its last sample. */
export interface VmFigures {
  ts: number;
  /** % of the host's CPUs (virt-top's figure). */
  cpuHostPercent: number | null;
  /** % of the VM's own vCPUs (virt-manager's figure). */
  cpuGuestPercent: number | null;
  /** The guest's own used share of its memory; null when the guest reports nothing. */
  memUsedPercent: number | null;
  /** What the guest uses (MemTotal − MemAvailable); null when it reports nothing. */
  memGuestUsedBytes: number | null;
  /** The balloon's current size: what the host gave the VM. */
  memAllocatedBytes: number | null;
  diskReadBytesPerSec: number | null;
  diskWriteBytesPerSec: number | null;
  netRxBytesPerSec: number | null;
  netTxBytesPerSec: number | null;
  /** Read + write: all the central database keeps of a VM it shows (the split is null then). */
  diskBytesPerSec: number | null;
  /** Received + sent, likewise. */
  netBytesPerSec: number | null;
}

export interface InventoryVm extends VmInventoryEntry {
  figures: VmFigures | null;
}

/**
 * Where the console knows a host from: its own polls (a saved host), or the central
 * database that agents and other consoles write (read there, never polled from here).
 */
export type HostSource = 'local' | 'central';

/** One host of the inventory with its VMs. */
export interface InventoryHost {
  /** The saved host's id; for a central one, its key in the central database. */
  id: string;
  source: HostSource;
  name: string;
  status: HostStatus;
  identity: HostIdentity | null;
  /** The host's libvirt daemon, once a connection to it was made. */
  libvirt: LibvirtFacts | null;
  figures: HostFigures | null;
  vms: InventoryVm[];
}

/** The common causes of a failed step, each of which the console explains with what to check. */
export type HostTestHint =
  | 'refused'
  | 'timeout'
  | 'no-route'
  | 'unknown-host'
  | 'auth-failed'
  | 'host-key-changed'
  | 'no-agent'
  | 'key-unreadable'
  | 'key-encrypted';

/** One step of hosts.test; later steps are skipped once one fails. */
export interface HostTestStep {
  step: 'tcp' | 'host-key' | 'auth' | 'proc' | 'libvirt';
  result: 'ok' | 'failed' | 'skipped';
  /** What went wrong, for a failed step. */
  error: string | null;
  /** Which common cause the error is, when it is one. */
  hint: HostTestHint | null;
}

/** What a test of a host found there, once its steps passed; null where a step failed. */
export interface HostTestFound {
  identity: HostIdentity | null;
  /** The host name libvirt reports. */
  libvirtHostname: string | null;
  /** Its domains: all of them, and the running ones. */
  vms: { total: number; running: number } | null;
}

export interface HostTestResult {
  steps: HostTestStep[];
  found: HostTestFound;
  /**
   * The host's key when it is not known yet: shown to the user, trusted only by a
   * hosts.acceptKey naming this fingerprint.
   */
  unknownHostKey: { keyType: string; fingerprint: string } | null;
}

/** A VM's headline in a host's detail: what one row of its VM table shows live. */
export interface VmHeadline {
  uuid: string;
  name: string;
  state: string;
  figures: VmFigures;
}

/** How many of a host's VMs are in which state, for the overview. */
export interface VmCounts {
  total: number;
  running: number;
  paused: number;
  /** Shut off, crashed, suspended to disk, ... */
  other: number;
  /** VMs with a display client connected now. */
  displaysConnected: number;
  /** vCPUs of the running VMs: against the host's CPUs, the CPU overcommit. */
  allocatedVcpus: number;
  /** Memory given to the running VMs, bytes: against the host's, the memory overcommit. */
  allocatedMemoryBytes: number;
}

/**
 * Per poll of one host, for the overview (topic `overview`): its status, headline
 * figures and VM counts; small, so one page can watch a hundred hosts.
 */
export interface HostPollEvent {
  /** The saved host's id (samples' `host` is the hostname the host reports). */
  hostId: string;
  status: HostStatus;
  figures: HostFigures | null;
  vms: VmCounts;
}

/**
 * Per poll of one host, for its page (topic `host:ID`): the whole sample (per CPU, per
 * disk, per interface) and its VMs' headline figures, one message.
 */
export interface HostDetailEvent {
  /** The saved host's id (samples' `host` is the hostname the host reports). */
  hostId: string;
  sample: DetailedHostSample | null;
  vms: VmHeadline[];
}

/** Per poll of one VM, for its page (topic `vm:UUID`): per disk and per interface. */
export interface VmDetailEvent {
  /** The saved host's id (samples' `host` is the hostname the host reports). */
  hostId: string;
  uuid: string;
  sample: DetailedVmSample;
}

/** A host of the user's ~/.ssh/config, as the connect dialog offers it. */
export interface SshConfigHost {
  /** The Host alias. */
  alias: string;
  /** HostName, or the alias when none is set. */
  hostName: string;
  port: number;
  user: string | null;
  /** The first IdentityFile, ~ expanded. */
  identityFile: string | null;
}

/** The backend at work, for the status bar. */
export interface AppStatus {
  /** Host and VM samples taken per second, over the last 10 s. */
  samplesPerSec: number;
  /** The history file on disk, with its write-ahead log, bytes. */
  historyBytes: number;
  /** Samples not yet in MySQL; null without a sync target. */
  syncLagSamples: number | null;
  /** How the reading of the fleet from the central database goes; null: it is not read. */
  central: CentralReadStatus | null;
}

/** The central database as a fleet source, for the status bar's note. */
export interface CentralReadStatus {
  /** The node read from last (host:port); null before any read succeeded. */
  node: string | null;
  /** The last good read, ms since the epoch; null: none yet. */
  lastReadAt: number | null;
  /** Why reads fail, since `failingSince` (ms since the epoch); both null while they work. */
  error: string | null;
  failingSince: number | null;
  /** The last move to another node of the cluster, ms since the epoch; null: none. */
  failedOverAt: number | null;
  /** Rows left out of the last read because they hold what their columns cannot. */
  rejectedRows: number;
}

/** Where the console reads the fleet from, as its settings show it. */
export interface CentralView {
  /** The saved target (its password never): null when none is set. */
  target: {
    url: string;
    tlsCaFile: string | null;
    hasPassword: boolean;
    enabled: boolean;
    refreshSec: number;
    staleAfterSec: number;
  } | null;
  /**
   * Given on the command line (setmov serve --central): shown, not changed here. Its
   * password came from the environment and is not kept.
   */
  fixed: boolean;
  /** How reading it goes; null while it is not read. */
  status: CentralReadStatus | null;
}

/** One stored event of a VM: a lifecycle change or a display client coming or going. */
export interface VmEventRecord {
  /** ms since the epoch */
  ts: number;
  kind: 'lifecycle' | 'display-connect' | 'display-disconnect';
  /** The lifecycle event's name, or the display client's address. */
  detail: string | null;
}

/** A host's event: one of its VMs', with which VM it was. */
export interface HostEventRecord extends VmEventRecord {
  vmUuid: string;
  vmName: string;
}
