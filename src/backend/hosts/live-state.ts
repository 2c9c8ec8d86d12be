import type { CollectorEngine } from '../../collector/engine/collector-engine';
import type { EventSink } from '../../shared/contract/event-hub';
import { hostTopic, vmTopic } from '../../shared/contract/topics';
import type { DetailedHostSample } from '../../shared/model/detailed-host-sample';
import type { DetailedVmSample, EngineEvent, HostStatus } from '../../shared/model/engine-events';
import type { HostIdentity } from '../../shared/model/host-identity';
import type { LibvirtFacts } from '../../shared/model/libvirt-facts';
import type { InventoryHost, VmHeadline } from '../../shared/model/host-view';
import { countVms } from '../../shared/model/vm-counts';
import { hostFiguresOf, vmFiguresOf } from './figures';

const stopped: HostStatus = {
  status: 'stopped',
  reason: null,
  procError: null,
  libvirtError: null,
  retryAt: null,
  failedAttempts: 0,
};

/**
 * The latest of every host and VM, from the engine's stream, and the events the pages
 * asked for: at the end of each poll one host.poll (overview) and, when that host's page
 * is open, one host.detail; a vm.detail per sample only for a VM whose page is open.
 * Nothing is built for a topic no page wants.
 */
export class LiveState {
  private readonly identities = new Map<string, HostIdentity>();
  private readonly libvirts = new Map<string, LibvirtFacts>();
  private readonly hostSamples = new Map<string, DetailedHostSample>();
  private readonly vmSamples = new Map<string, DetailedVmSample>();

  constructor(
    private readonly engine: CollectorEngine,
    private readonly events: EventSink,
    private readonly log: (line: string) => void,
    /** A host's name for people (log lines), by its id. */
    private readonly nameOf: (hostId: string) => string = (hostId) => hostId,
  ) {}

  observe(event: EngineEvent): void {
    const { publish } = this.events;
    switch (event.type) {
      case 'host-identity':
        this.identities.set(event.hostId, event.identity);
        break;
      case 'host-libvirt':
        this.libvirts.set(event.hostId, event.libvirt);
        break;
      case 'host-sample':
        this.hostSamples.set(event.hostId, event.sample);
        break;
      case 'vm-sample':
        this.vmSamples.set(event.sample.uuid, event.sample);
        if (this.events.wants(vmTopic(event.sample.uuid))) {
          publish('vm.detail', {
            hostId: event.hostId,
            uuid: event.sample.uuid,
            sample: event.sample,
          });
        }
        break;
      case 'poll-complete':
        this.publishPoll(event.hostId, event.ts);
        break;
      case 'host-status': {
        const { type: _type, hostId, ts: _ts, ...status } = event;
        if (status.reason !== null)
          this.log(`setmov: ${this.nameOf(hostId)}: ${status.status}: ${status.reason}`);
        publish('host.status', { hostId, status });
        break;
      }
      case 'inventory-changed':
        // A vanished VM's last sample would stay for good: a daemon that makes new
        // UUIDs (transient desktops recreated each login) would grow this map forever.
        if (event.change === 'gone') this.vmSamples.delete(event.vm.uuid);
        publish('inventory.changed', {
          hostId: event.hostId,
          change: event.change,
          vm: event.vm,
        });
        break;
      case 'vm-event':
        if (event.event.kind === 'display') {
          publish('vm.display', {
            hostId: event.hostId,
            uuid: event.uuid,
            name: event.name,
            display: event.event,
          });
        }
        break;
      default:
        break;
    }
  }

  /** How many VMs' latest samples are kept: those that exist now. */
  get sampledVmCount(): number {
    return this.vmSamples.size;
  }

  identity(hostId: string): HostIdentity | null {
    return this.identities.get(hostId) ?? null;
  }

  status(hostId: string): HostStatus {
    return this.engine.status(hostId) ?? { ...stopped };
  }

  /** Drops what is kept of a host that is no longer watched. */
  forget(hostId: string): void {
    for (const vm of this.engine.inventory(hostId)) this.vmSamples.delete(vm.uuid);
    this.identities.delete(hostId);
    this.libvirts.delete(hostId);
    this.hostSamples.delete(hostId);
  }

  inventoryOf(hostId: string): InventoryHost {
    const sample = this.hostSamples.get(hostId);
    return {
      id: hostId,
      source: 'local',
      name: this.nameOf(hostId),
      status: this.status(hostId),
      identity: this.identity(hostId),
      libvirt: this.libvirts.get(hostId) ?? null,
      figures: sample ? hostFiguresOf(sample) : null,
      vms: this.engine.inventory(hostId).map((vm) => {
        const vmSample = this.vmSamples.get(vm.uuid);
        return { ...vm, figures: vmSample ? vmFiguresOf(vmSample) : null };
      }),
    };
  }

  /** The messages of one poll of a host, for the topics someone wants. */
  private publishPoll(hostId: string, since: number): void {
    const host = this.hostSamples.get(hostId);
    if (this.events.wants('overview')) {
      this.events.publish('host.poll', {
        hostId,
        status: this.status(hostId),
        figures: host ? hostFiguresOf(host) : null,
        vms: countVms(this.engine.inventory(hostId)),
      });
    }
    if (this.events.wants(hostTopic(hostId))) {
      this.events.publish('host.detail', {
        hostId,
        sample: host ?? null,
        vms: this.headlines(hostId, since),
      });
    }
  }

  /** The VMs this poll sampled, with their headline figures. */
  private headlines(hostId: string, since: number): VmHeadline[] {
    const rows: VmHeadline[] = [];
    for (const vm of this.engine.inventory(hostId)) {
      const sample = this.vmSamples.get(vm.uuid);
      if (vm.gone || sample === undefined || sample.ts < since - 1) continue;
      rows.push({ uuid: vm.uuid, name: vm.name, state: vm.state, figures: vmFiguresOf(sample) });
    }
    return rows;
  }
}
