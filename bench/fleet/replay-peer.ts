import { createServer, type Server, type Socket } from 'node:net';
import { connectLibvirt } from '../../src/collector/libvirt/connect';
import { CONSOLE_STATS_GROUPS } from '../../src/collector/libvirt/domain-stats';
import { encodePacket, type Packet } from '../../src/collector/libvirt/packet';
import { PacketReader } from '../../src/collector/libvirt/packet-reader';
import {
  KEEPALIVE_PROGRAM,
  Limits,
  Remote,
  REMOTE_PROGRAM,
  STRING_MAX,
} from '../../src/collector/libvirt/protocol';
import {
  readDomain,
  readTypedParam,
  writeDomain,
  writeTypedParam,
  type DomainRef,
  type TypedParam,
} from '../../src/collector/libvirt/remote-types';
import { XdrReader } from '../../src/collector/libvirt/xdr-reader';
import { XdrWriter } from '../../src/collector/libvirt/xdr-writer';

interface Recorded {
  params: TypedParam[];
}

/** Records two all-domain-stats replies of the bed's running guests, 1 s apart, types kept. */
export async function recordBedStats(
  uri: string,
): Promise<{ first: Recorded[]; second: Recorded[] }> {
  const lv = await connectLibvirt({ uri });
  const args = new XdrWriter().uint(0).uint(CONSOLE_STATS_GROUPS).uint(16 /* running */).bytes();
  const read = async (): Promise<Recorded[]> => {
    const r = new XdrReader(
      await lv.rpc.call(REMOTE_PROGRAM, Remote.CONNECT_GET_ALL_DOMAIN_STATS, args),
    );
    return r.array(Limits.DOMAIN_LIST_MAX, (rr) => {
      readDomain(rr);
      const count = rr.count(Limits.CONNECT_GET_ALL_DOMAIN_STATS_MAX, 12);
      const params: TypedParam[] = [];
      for (let i = 0; i < count; i++) params.push(readTypedParam(rr));
      return { params };
    });
  };
  try {
    const first = await read();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return { first, second: await read() };
  } finally {
    await lv.close();
  }
}

const DOMAINS = 50;

function fleetDomain(i: number): DomainRef {
  const n = String(i + 1).padStart(12, '0');
  return {
    name: `replay-${String(i + 1).padStart(2, '0')}`,
    uuid: `5e7a0f1e-0000-4000-8000-${n}`,
    id: i + 1,
  };
}

function domainXml(d: DomainRef): string {
  return `<domain type='kvm' id='${d.id}'><name>${d.name}</name><uuid>${d.uuid}</uuid><memory unit='KiB'>131072</memory><currentMemory unit='KiB'>131072</currentMemory><vcpu>1</vcpu><os><type>hvm</type></os><devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/lib/libvirt/images/${d.name}.qcow2'/><target dev='vda' bus='virtio'/></disk><interface type='ethernet'><mac address='52:54:00:00:00:${(d.id % 256).toString(16).padStart(2, '0')}'/><target dev='vnet${d.id}'/><model type='virtio'/></interface><memballoon model='virtio'><stats period='2'/></memballoon></devices></domain>`;
}

/**
 * A libvirt daemon stand-in on loopback TCP for the fleet bench: 50 running domains whose
 * all-domain-stats are the bed guests' recorded records (cycled), counters advancing each second
 * by what they moved in the recording. Speaks what the engine asks: handshake, hostname, node
 * info, lists, state, XML, event registration, stats, keepalive.
 */
export async function startReplayPeer(recorded: {
  first: Recorded[];
  second: Recorded[];
}): Promise<{ port: number; close(): Promise<void> }> {
  const domains = Array.from({ length: DOMAINS }, (_, i) => fleetDomain(i));
  const started = performance.now();
  let cachedSecond = -1;
  let cachedBody: Buffer = Buffer.alloc(0);
  const statsBody = (): Buffer => {
    const second = Math.floor((performance.now() - started) / 1000);
    if (second === cachedSecond) return cachedBody;
    const w = new XdrWriter(1 << 16);
    w.uint(domains.length);
    domains.forEach((d, i) => {
      const a = recorded.first[i % recorded.first.length] as Recorded;
      const b = recorded.second[i % recorded.second.length] as Recorded;
      writeDomain(w, d);
      w.uint(a.params.length);
      a.params.forEach((p, j) => {
        const next = b.params[j];
        let value = p.value;
        if (
          typeof value === 'bigint' &&
          next &&
          typeof next.value === 'bigint' &&
          next.value >= value
        ) {
          value += (next.value - value) * BigInt(second);
        }
        writeTypedParam(w, { ...p, value });
      });
    });
    cachedSecond = second;
    cachedBody = w.bytes();
    return cachedBody;
  };
  const reply = (socket: Socket, call: Packet, body: Buffer): void => {
    socket.write(encodePacket({ ...call.header, type: 1, status: 0 }, body));
  };
  const fail = (socket: Socket, call: Packet): void => {
    const w = new XdrWriter()
      .int(3)
      .int(0)
      .uint(1)
      .string('not supported by the replay peer', STRING_MAX);
    w.int(2).uint(0).uint(0).uint(0).uint(0).int(0).int(0).uint(0);
    socket.write(encodePacket({ ...call.header, type: 1, status: 1 }, w.bytes()));
  };
  let nextCallback = 1;
  const server: Server = createServer((socket) => {
    const reader = new PacketReader();
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      for (const call of reader.push(chunk)) {
        if (call.header.program === KEEPALIVE_PROGRAM) {
          if (call.header.procedure === 1) {
            socket.write(
              encodePacket({
                program: KEEPALIVE_PROGRAM,
                procedure: 2,
                type: 2,
                serial: 0,
                status: 0,
              }),
            );
          }
          continue;
        }
        const w = new XdrWriter();
        switch (call.header.procedure) {
          case Remote.AUTH_LIST:
            reply(socket, call, w.uint(1).int(0).bytes());
            break;
          case Remote.CONNECT_OPEN:
          case Remote.CONNECT_CLOSE:
          case Remote.CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY:
            reply(socket, call, Buffer.alloc(0));
            break;
          case Remote.CONNECT_GET_HOSTNAME:
            reply(socket, call, w.string('replay-host', STRING_MAX).bytes());
            break;
          case Remote.NODE_GET_INFO: {
            const model = Buffer.from('x86_64');
            for (let i = 0; i < 32; i++) w.int(model[i] ?? 0);
            reply(
              socket,
              call,
              w
                .uhyper(64n * 1024n * 1024n)
                .int(32)
                .int(2400)
                .int(1)
                .int(1)
                .int(16)
                .int(2)
                .bytes(),
            );
            break;
          }
          case Remote.CONNECT_LIST_ALL_DOMAINS: {
            // remote_connect_list_all_domains_args: need_results, then flags.
            const flags = call.body.readUInt32BE(4);
            // Every replayed domain is running, persistent, not autostarted.
            const listed = flags & 1024 ? [] : domains;
            w.uint(listed.length);
            for (const d of listed) writeDomain(w, d);
            reply(socket, call, w.uint(listed.length).bytes());
            break;
          }
          case Remote.DOMAIN_GET_STATE:
            reply(socket, call, w.int(1).int(1).bytes());
            break;
          case Remote.DOMAIN_GET_XML_DESC: {
            const d = readDomain(new XdrReader(call.body));
            reply(socket, call, w.string(domainXml(d), STRING_MAX).bytes());
            break;
          }
          case Remote.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY:
            reply(socket, call, w.int(nextCallback++).bytes());
            break;
          case Remote.CONNECT_GET_ALL_DOMAIN_STATS:
            reply(socket, call, statsBody());
            break;
          default:
            fail(socket, call);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return {
    port: (server.address() as { port: number }).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
