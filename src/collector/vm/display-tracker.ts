import type { GraphicsEvent } from '../libvirt/domain-events';

export {
  parseSpiceClientsFromQmp,
  parseVncClientsFromQmp,
  QmpReplyError,
  type DisplayClientAddress,
} from './qmp-display-clients';

export interface DisplayClient {
  address: string;
  service: string;
  /** When the console first saw this client attached, ms since the epoch. */
  since: number;
}

export interface DisplayState {
  /** Last connect time to the VM's display, ms since the epoch; null if never seen. */
  lct: number | null;
  connectedNow: boolean;
  clients: DisplayClient[];
  /**
   * False until the clients attached before the session began are known (seedFromMonitor):
   * until then connectedNow = false means "none seen", not "none attached".
   */
  clientsKnown: boolean;
}

interface VmDisplay {
  lct: number | null;
  clients: Map<string, DisplayClient>;
  clientsKnown: boolean;
}

const key = (address: string, service: string): string => `${address}\u0000${service}`;

const laterOf = (a: number | null, b: number): number => (a === null || b > a ? b : a);

/**
 * Last connect time (LCT) and attached clients of each VM's remote display (VNC, SPICE), kept
 * from libvirt's graphics events and seeded from QEMU's own client list at session start.
 */
export class DisplayTracker {
  private readonly vms = new Map<string, VmDisplay>();

  private vm(uuid: string): VmDisplay {
    let vm = this.vms.get(uuid);
    if (!vm) {
      vm = { lct: null, clients: new Map(), clientsKnown: false };
      this.vms.set(uuid, vm);
    }
    return vm;
  }

  /**
   * connect and initialize (the handshake completed) attach the client and set LCT; disconnect
   * detaches it. A VNC client that never finishes its handshake still counts as a connection:
   * libvirt reports connect, then disconnect.
   */
  onGraphicsEvent(uuid: string, event: GraphicsEvent, nowMs: number): void {
    const vm = this.vm(uuid);
    const id = key(event.remote.node, event.remote.service);
    switch (event.phase) {
      case 'connect':
      case 'initialize':
        if (!vm.clients.has(id)) {
          vm.clients.set(id, {
            address: event.remote.node,
            service: event.remote.service,
            since: nowMs,
          });
        }
        vm.lct = laterOf(vm.lct, nowMs);
        break;
      case 'disconnect':
        vm.clients.delete(id);
        break;
      case 'unknown':
        break;
    }
  }

  /**
   * The clients QEMU reports attached when the session starts. Their real connect time is not
   * known; it is no later than now, and a client attached now is what LCT is for (the desktop
   * is in use), so LCT becomes now. Clients already tracked keep their `since`.
   */
  seedFromMonitor(
    uuid: string,
    clients: readonly { address: string; service: string }[],
    nowMs: number,
  ): void {
    const vm = this.vm(uuid);
    const seeded = new Map<string, DisplayClient>();
    for (const c of clients) {
      const id = key(c.address, c.service);
      seeded.set(
        id,
        vm.clients.get(id) ?? { address: c.address, service: c.service, since: nowMs },
      );
    }
    vm.clients = seeded;
    vm.clientsKnown = true;
    if (seeded.size > 0) vm.lct = laterOf(vm.lct, nowMs);
  }

  /** The VM is gone for good: drop everything about it. */
  forget(uuid: string): void {
    this.vms.delete(uuid);
  }

  /**
   * The session reconnected: events may have been missed, so nobody's clients are known until
   * seeded again. LCTs stay: they are history.
   */
  reset(): void {
    for (const vm of this.vms.values()) {
      vm.clients.clear();
      vm.clientsKnown = false;
    }
  }

  /** Seeds LCT from the store's history; a later LCT already seen is kept. */
  restore(uuid: string, lct: number | null): void {
    if (lct === null || !Number.isFinite(lct)) return;
    const vm = this.vm(uuid);
    vm.lct = laterOf(vm.lct, lct);
  }

  state(uuid: string): DisplayState {
    const vm = this.vms.get(uuid);
    if (!vm) return { lct: null, connectedNow: false, clients: [], clientsKnown: false };
    const clients = [...vm.clients.values()].map((c) => ({ ...c }));
    return {
      lct: vm.lct,
      connectedNow: clients.length > 0,
      clients,
      clientsKnown: vm.clientsKnown,
    };
  }
}
