import type { HostSampler } from '../host/host-sampler';
import type { HostSource } from '../host/host-source';
import type { SshConnection } from '../ssh/ssh-connection';
import type { SshConnectionProvider } from '../ssh/ssh-connection-provider';
import type { PollScheduler } from './poll-scheduler';
import { VmSampler } from './vm-sampler';

/**
 * One attempt at reaching a host and what it opened: the SSH connection (remote hosts), the
 * /proc source and sampler, the VM sampler's counters and the poll loop. A session holds one at
 * a time; work begun on an earlier one sees that it is no longer the session's and stops.
 */
export class HostConnection {
  ssh: SshConnection | null = null;
  source: HostSource | null = null;
  sampler: HostSampler | null = null;
  scheduler: PollScheduler | null = null;
  readonly vms = new VmSampler();

  constructor(readonly provider: SshConnectionProvider | null) {}

  /** Closes the /proc source, then the SSH connection (after libvirt said goodbye over it). */
  async close(): Promise<void> {
    await this.source?.close();
    await this.provider?.close();
  }
}
