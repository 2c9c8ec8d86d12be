import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePacket, type Packet } from '../../../src/collector/libvirt/packet';
import { PacketReader } from '../../../src/collector/libvirt/packet-reader';
import { REMOTE_PROGRAM } from '../../../src/collector/libvirt/protocol';

/**
 * The daemon's side of a real unix socket, scripted by the test: for the error paths a real
 * libvirtd cannot be made to produce (truncation, bad lengths, wrong programs, silence).
 */
export interface FakePeer {
  client: Socket;
  peer: Socket;
  /** Packets the client sent, in order. */
  received: Packet[];
  /** Resolves with the next packet the client sends. */
  next(): Promise<Packet>;
  send(bytes: Buffer): void;
  reply(call: Packet, body?: Buffer, status?: number): void;
  event(procedure: number, body: Buffer, program?: number): void;
  /** Resolves when the peer's socket has closed. */
  closed: Promise<void>;
  dispose(): Promise<void>;
}

export async function startFakePeer(): Promise<FakePeer> {
  const dir = mkdtempSync(join(tmpdir(), 'lv-fake-'));
  const path = join(dir, 'sock');
  const server: Server = createServer();
  const peerReady = new Promise<Socket>((resolve) => server.once('connection', resolve));
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const { connect } = await import('node:net');
  const client = connect({ path });
  await new Promise<void>((resolve) => client.once('connect', resolve));
  const peer = await peerReady;
  const reader = new PacketReader();
  const received: Packet[] = [];
  const waiters: ((p: Packet) => void)[] = [];
  let delivered = 0;
  const flush = () => {
    while (waiters.length > 0 && delivered < received.length) {
      (waiters.shift() as (p: Packet) => void)(received[delivered++] as Packet);
    }
  };
  peer.on('data', (chunk: Buffer) => {
    for (const packet of reader.push(chunk)) received.push(packet);
    flush();
  });
  peer.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => peer.once('close', () => resolve()));
  return {
    client,
    peer,
    received,
    closed,
    next: () =>
      new Promise<Packet>((resolve) => {
        waiters.push(resolve);
        flush();
      }),
    send: (bytes) => peer.write(bytes),
    reply: (call, body = Buffer.alloc(0), status = 0) =>
      peer.write(encodePacket({ ...call.header, type: 1, status }, body)),
    event: (procedure, body, program = REMOTE_PROGRAM) =>
      peer.write(encodePacket({ program, procedure, type: 2, serial: 0, status: 0 }, body)),
    dispose: async () => {
      client.destroy();
      peer.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
