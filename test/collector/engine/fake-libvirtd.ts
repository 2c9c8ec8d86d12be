import { connectLibvirt, type ConnectOptions } from '../../../src/collector/libvirt/connect';
import type { LibvirtConnection } from '../../../src/collector/libvirt/libvirt-connection';
import { encodePacket, type Packet } from '../../../src/collector/libvirt/packet';
import {
  KEEPALIVE_PROGRAM,
  Keepalive,
  QEMU_PROGRAM,
  Qemu,
  Remote,
  REMOTE_PROGRAM,
  STRING_MAX,
} from '../../../src/collector/libvirt/protocol';
import {
  readDomain,
  TypedParamType,
  writeDomain,
  writeTypedParam,
  type DomainRef,
  type TypedParam,
} from '../../../src/collector/libvirt/remote-types';
import { XdrReader } from '../../../src/collector/libvirt/xdr-reader';
import { XdrWriter } from '../../../src/collector/libvirt/xdr-writer';
import { startFakePeer, type FakePeer } from '../libvirt/fake-peer';

/** One domain of the scripted daemon. */
export interface FakeDomain {
  name: string;
  uuid: string;
  /** virDomainState code: 1 running, 3 paused, 5 shut off. */
  state: number;
  /** The domain's <devices> balloon: none, virtio without a stats period, or with one (s). */
  balloon: 'none' | 'virtio' | number;
  /** vCPUs in the XML description. */
  vcpus: number;
}

const NO_DOMAIN = 42;
const LIST_AUTOSTART = 1024;
/** virDomainEventID of lifecycle events (the only kind this daemon sends). */
const LIFECYCLE_EVENT_ID = 0;

function domainXml(d: FakeDomain, id: number): string {
  const balloon =
    d.balloon === 'none'
      ? `<memballoon model='none'/>`
      : d.balloon === 'virtio'
        ? `<memballoon model='virtio'/>`
        : `<memballoon model='virtio'><stats period='${d.balloon}'/></memballoon>`;
  return `<domain type='qemu' id='${id}'><name>${d.name}</name><uuid>${d.uuid}</uuid><memory unit='KiB'>131072</memory><currentMemory unit='KiB'>131072</currentMemory><vcpu>${d.vcpus}</vcpu><os><type>hvm</type></os><devices>${balloon}</devices></domain>`;
}

function remoteError(code: number, message: string): Buffer {
  // remote_error: code, domain, message?, level, dom?, str1-3?, int1, int2, net?
  return new XdrWriter()
    .int(code)
    .int(10)
    .uint(1)
    .string(message, STRING_MAX)
    .int(2)
    .uint(0)
    .uint(0)
    .uint(0)
    .uint(0)
    .int(0)
    .int(0)
    .uint(0)
    .bytes();
}

/** One client connection to the daemon, and what it was asked. */
export interface FakeLibvirtdConnection {
  peer: FakePeer;
  /** Procedure numbers of the calls received, in order (QEMU program calls as -n). */
  calls: number[];
  /** The callbackID of its lifecycle subscription, once registered. */
  lifecycleCallback: number | null;
}

/** The host UUID in the fake daemon's capabilities. */
export const FAKE_HOST_UUID = '1b2c3d4e-0000-4000-8000-00000000f001';

/**
 * A scripted libvirt daemon on the fake peer's real unix sockets: one fresh peer per connect,
 * domains the test edits, counters that advance on every stats call. It answers what the
 * engine asks (handshake, hostname, node info, capabilities, lists, state, XML, events, stats, the balloon
 * period, QMP); a test can hold the replies to one procedure, fail one, or drop every peer.
 */
export class FakeLibvirtd {
  readonly domains = new Map<string, FakeDomain>();
  readonly connections: FakeLibvirtdConnection[] = [];
  /** DOMAIN_SET_MEMORY_STATS_PERIOD calls: UUID and period, s. */
  readonly periodsSet: { uuid: string; periodSec: number }[] = [];
  /** The capabilities XML the daemon answers: a host UUID, or whatever a test makes it. */
  capabilitiesXml = `<capabilities><host><uuid>${FAKE_HOST_UUID}</uuid></host></capabilities>`;
  /** Shown to the engine as vCPUs in every XML description: lets a test tell connections apart. */
  xmlVcpusOverride: number | null = null;
  private held: { c: FakeLibvirtdConnection; procedure: number; send: () => void }[] = [];
  /** Held procedures, each for one connection (its index) or every one (null). */
  private readonly holding = new Map<number, number | null>();
  private readonly failing = new Map<number, number>();
  private statsCalls = 0;
  private nextCallback = 1;

  constructor(domains: FakeDomain[]) {
    for (const d of domains) this.domains.set(d.uuid, { ...d });
  }

  /** HostSessionDeps.connectLibvirt: a new peer each time, as a daemon accepts a new client. */
  readonly connect = async (options: ConnectOptions): Promise<LibvirtConnection> => {
    const peer = await startFakePeer();
    const connection: FakeLibvirtdConnection = { peer, calls: [], lifecycleCallback: null };
    this.connections.push(connection);
    void this.serve(connection);
    return connectLibvirt({ ...options, stream: peer.client });
  };

  get latest(): FakeLibvirtdConnection {
    const last = this.connections.at(-1);
    if (!last) throw new Error('nobody connected to the fake daemon');
    return last;
  }

  /**
   * Keeps the replies to `procedure` back (on the connection of that index, or on all) until
   * release(), or until that client says goodbye: a daemon answers the calls in flight before
   * it answers CONNECT_CLOSE.
   */
  hold(procedure: number, connection: number | null = null): void {
    this.holding.set(procedure, connection);
  }

  /** Sends the held replies, in order, and stops holding. */
  release(procedure: number): void {
    this.holding.delete(procedure);
    this.flush((h) => h.procedure === procedure);
  }

  heldCount(procedure: number): number {
    return this.held.filter((h) => h.procedure === procedure).length;
  }

  private flush(which: (h: { c: FakeLibvirtdConnection; procedure: number }) => boolean): void {
    const now = this.held.filter(which);
    this.held = this.held.filter((h) => !which(h));
    for (const h of now) h.send();
  }

  /** The next `times` calls of `procedure` get a libvirt error (an internal error, code 1). */
  fail(procedure: number, times = 1): void {
    this.failing.set(procedure, times);
  }

  /** Hangs up on every client, as a daemon restart does. */
  dropAll(): void {
    for (const c of this.connections) c.peer.peer.destroy();
  }

  /** A lifecycle event (virDomainEventType code, detail) on the latest connection. */
  lifecycle(uuid: string, eventCode: number, detail = 0): void {
    const c = this.latest;
    const d = this.domains.get(uuid);
    if (c.lifecycleCallback === null || !d) throw new Error('no lifecycle subscription or domain');
    const w = new XdrWriter().int(c.lifecycleCallback);
    writeDomain(w, this.ref(d));
    c.peer.event(Remote.DOMAIN_EVENT_CALLBACK_LIFECYCLE, w.int(eventCode).int(detail).bytes());
  }

  async dispose(): Promise<void> {
    await Promise.all(this.connections.map((c) => c.peer.dispose()));
  }

  private ref(d: FakeDomain): DomainRef {
    const index = [...this.domains.keys()].indexOf(d.uuid);
    return { name: d.name, uuid: d.uuid, id: d.state === 5 ? -1 : index + 1 };
  }

  private stats(d: FakeDomain): TypedParam[] {
    const n = this.statsCalls;
    const running = d.state === 1;
    return [
      { field: 'state.state', type: TypedParamType.Int, value: d.state },
      { field: 'state.reason', type: TypedParamType.Int, value: 1 },
      // Half a core per stats call while running.
      { field: 'cpu.time', type: TypedParamType.Ullong, value: BigInt(running ? n * 5e8 : 0) },
      { field: 'vcpu.current', type: TypedParamType.Uint, value: d.vcpus },
      { field: 'vcpu.maximum', type: TypedParamType.Uint, value: d.vcpus },
      { field: 'balloon.current', type: TypedParamType.Ullong, value: 131072n },
      { field: 'balloon.maximum', type: TypedParamType.Ullong, value: 131072n },
      { field: 'balloon.rss', type: TypedParamType.Ullong, value: 65536n },
    ];
  }

  private answer(c: FakeLibvirtdConnection, call: Packet): Buffer | { error: Buffer } | null {
    const { procedure } = call.header;
    const w = new XdrWriter();
    if (call.header.program === QEMU_PROGRAM && procedure === Qemu.MONITOR_COMMAND) {
      return w.string('{"return":{"enabled":true,"clients":[]}}', STRING_MAX).bytes();
    }
    switch (procedure) {
      case Remote.AUTH_LIST:
        return w.uint(1).int(0).bytes();
      case Remote.CONNECT_OPEN:
      case Remote.CONNECT_CLOSE:
      case Remote.CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY:
        return Buffer.alloc(0);
      case Remote.CONNECT_GET_HOSTNAME:
        return w.string('fake-host', STRING_MAX).bytes();
      case Remote.CONNECT_GET_LIB_VERSION:
        return w.uhyper(9_000_000n).bytes();
      case Remote.CONNECT_GET_VERSION:
        return w.uhyper(7_002_000n).bytes();
      case Remote.CONNECT_GET_CAPABILITIES:
        return w.string(this.capabilitiesXml, STRING_MAX).bytes();
      case Remote.NODE_GET_INFO: {
        const model = Buffer.from('x86_64');
        for (let i = 0; i < 32; i++) w.int(model[i] ?? 0);
        return w
          .uhyper(8n << 20n)
          .int(4)
          .int(2400)
          .int(1)
          .int(1)
          .int(4)
          .int(1)
          .bytes();
      }
      case Remote.CONNECT_LIST_ALL_DOMAINS: {
        const flags = call.body.readUInt32BE(4);
        const listed = flags & LIST_AUTOSTART ? [] : [...this.domains.values()];
        w.uint(listed.length);
        for (const d of listed) writeDomain(w, this.ref(d));
        return w.uint(listed.length).bytes();
      }
      case Remote.DOMAIN_GET_STATE:
      case Remote.DOMAIN_GET_XML_DESC: {
        const asked = readDomain(new XdrReader(call.body));
        const d = this.domains.get(asked.uuid);
        if (!d) return { error: remoteError(NO_DOMAIN, `no domain with UUID ${asked.uuid}`) };
        if (procedure === Remote.DOMAIN_GET_STATE) return w.int(d.state).int(1).bytes();
        const shown = { ...d, vcpus: this.xmlVcpusOverride ?? d.vcpus };
        return w.string(domainXml(shown, this.ref(d).id), STRING_MAX).bytes();
      }
      case Remote.DOMAIN_SET_MEMORY_STATS_PERIOD: {
        const r = new XdrReader(call.body);
        const asked = readDomain(r);
        this.periodsSet.push({ uuid: asked.uuid, periodSec: r.int() });
        return Buffer.alloc(0);
      }
      case Remote.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY: {
        const id = this.nextCallback++;
        if (call.body.readInt32BE(0) === LIFECYCLE_EVENT_ID) c.lifecycleCallback = id;
        return w.int(id).bytes();
      }
      case Remote.CONNECT_GET_ALL_DOMAIN_STATS: {
        this.statsCalls++;
        const all = [...this.domains.values()];
        w.uint(all.length);
        for (const d of all) {
          writeDomain(w, this.ref(d));
          const params = this.stats(d);
          w.uint(params.length);
          for (const p of params) writeTypedParam(w, p);
        }
        return w.bytes();
      }
      default:
        return { error: remoteError(1, `procedure ${procedure} is not scripted`) };
    }
  }

  private async serve(c: FakeLibvirtdConnection): Promise<void> {
    const { peer } = c;
    let open = true;
    void peer.closed.then(() => (open = false));
    while (open) {
      const call = await Promise.race([peer.next(), peer.closed.then(() => null)]);
      if (!call) return;
      if (call.header.program === KEEPALIVE_PROGRAM) {
        if (call.header.procedure === Keepalive.PING) {
          peer.send(
            encodePacket({
              program: KEEPALIVE_PROGRAM,
              procedure: Keepalive.PONG,
              type: 2,
              serial: 0,
              status: 0,
            }),
          );
        }
        continue;
      }
      const procedure = call.header.procedure;
      c.calls.push(call.header.program === REMOTE_PROGRAM ? procedure : -procedure);
      const failures = this.failing.get(procedure) ?? 0;
      let answer = this.answer(c, call);
      if (failures > 0) {
        this.failing.set(procedure, failures - 1);
        answer = { error: remoteError(1, `scripted failure of procedure ${procedure}`) };
      }
      const send = (): void => {
        if (peer.peer.destroyed || !answer) return;
        if (Buffer.isBuffer(answer)) peer.reply(call, answer);
        else peer.reply(call, answer.error, 1);
      };
      if (procedure === Remote.CONNECT_CLOSE) this.flush((h) => h.c === c);
      const heldOn = this.holding.get(procedure);
      if (heldOn === null || (heldOn !== undefined && this.connections[heldOn] === c)) {
        this.held.push({ c, procedure, send });
      } else {
        send();
      }
    }
  }
}
