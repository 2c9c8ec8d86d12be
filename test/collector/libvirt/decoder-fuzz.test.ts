import { describe, expect, it } from 'vitest';
import {
  decodeDomainEvent,
  EVENT_PROCEDURES,
  type DomainEventKind,
} from '../../../src/collector/libvirt/domain-events';
import { readDomainStatsRecords } from '../../../src/collector/libvirt/domain-stats';
import { LibvirtProtocolError } from '../../../src/collector/libvirt/errors';
import { encodePacket } from '../../../src/collector/libvirt/packet';
import { PacketReader } from '../../../src/collector/libvirt/packet-reader';
import { REMOTE_PROGRAM } from '../../../src/collector/libvirt/protocol';
import {
  readRemoteError,
  TypedParamType,
  writeDomain,
  writeTypedParam,
} from '../../../src/collector/libvirt/remote-types';
import { XdrDecodeError } from '../../../src/collector/libvirt/xdr-error';
import { XdrReader } from '../../../src/collector/libvirt/xdr-reader';
import { XdrWriter } from '../../../src/collector/libvirt/xdr-writer';

/** mulberry32: a small seeded PRNG, so a failure reproduces. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dom = { name: 'bed-cpu', uuid: '5e7a0b0d-0000-4000-8000-000000000002', id: 4 };

function statsBody(): Buffer {
  const w = new XdrWriter();
  w.uint(2);
  for (let d = 0; d < 2; d++) {
    writeDomain(w, dom);
    const params = [
      { field: 'state.state', type: TypedParamType.Int, value: 1 },
      { field: 'cpu.time', type: TypedParamType.Ullong, value: 123456789n },
      { field: 'balloon.usable', type: TypedParamType.Ullong, value: 73628n },
      { field: 'vcpu.current', type: TypedParamType.Uint, value: 1 },
      { field: 'net.0.name', type: TypedParamType.String, value: 'vnet0' },
      { field: 'block.0.wr.bytes', type: TypedParamType.Ullong, value: 4096n },
      { field: 'x.double', type: TypedParamType.Double, value: 0.5 },
      { field: 'x.bool', type: TypedParamType.Boolean, value: true },
      { field: 'x.llong', type: TypedParamType.Llong, value: -3n },
    ] as const;
    w.uint(params.length);
    for (const p of params) writeTypedParam(w, p);
  }
  return w.bytes();
}

function eventBody(kind: DomainEventKind): Buffer {
  const w = new XdrWriter().int(5);
  writeDomain(w, dom);
  switch (kind) {
    case 'lifecycle':
      w.int(2).int(0);
      break;
    case 'graphics':
      w.int(1)
        .int(0)
        .string('127.0.0.1', 99)
        .string('5900', 99)
        .int(0)
        .string('127.0.0.1', 99)
        .string('5', 99);
      w.string('none', 99).array([['a', 'b']], 20, (ww, [t, n]) =>
        ww.string(t ?? '', 9).string(n ?? '', 9),
      );
      break;
    case 'balloon-change':
      w.uhyper(131072n);
      break;
    case 'device-removed':
      w.string('net0', 99);
      break;
    case 'reboot':
      break;
  }
  return w.bytes();
}

function errorBody(): Buffer {
  const w = new XdrWriter()
    .int(42)
    .int(10)
    .optional('no domain', (ww, s) => ww.string(s, 99))
    .int(2);
  w.optional(dom, writeDomain).bool(false).bool(false).bool(false).int(0).int(0).bool(false);
  return w.bytes();
}

type Decoder = (body: Buffer) => unknown;
const decoders: Decoder[] = [
  (b) => readDomainStatsRecords(new XdrReader(b)),
  (b) => readRemoteError(new XdrReader(b)),
  ...(Object.keys(EVENT_PROCEDURES) as DomainEventKind[]).map(
    (kind): Decoder =>
      (b) =>
        decodeDomainEvent(kind, new XdrReader(b)),
  ),
];

function mutate(bytes: Buffer, random: () => number): Buffer {
  const out = Buffer.from(bytes);
  const int = (n: number) => Math.floor(random() * n);
  switch (int(6)) {
    case 0: // flip a few bytes
      for (let i = 0, n = 1 + int(4); i < n; i++) out[int(out.length)] = int(256);
      return out;
    case 1: // truncate
      return out.subarray(0, int(out.length));
    case 2: // forge a length or count word with a huge value
      out.writeUInt32BE(
        [0xffffffff, 0x7fffffff, 0x40000000, 0x1000][int(4)] ?? 0,
        4 * int(out.length >> 2),
      );
      return out;
    case 3: // append junk
      return Buffer.concat([out, Buffer.from(Array.from({ length: 1 + int(64) }, () => int(256)))]);
    case 4: // pure noise
      return Buffer.from(Array.from({ length: int(200) }, () => int(256)));
    default: // valid
      return out;
  }
}

describe('decoder fuzzing', () => {
  it('turns >= 10,000 mangled packets into data or typed errors only', () => {
    const random = prng(0x5e7a0b);
    const bodies = [
      statsBody(),
      errorBody(),
      ...(Object.keys(EVENT_PROCEDURES) as DomainEventKind[]).map(eventBody),
    ];
    const outcomes = { decoded: 0, xdrErrors: 0, protocolErrors: 0 };
    const expectTyped = (error: unknown) => {
      if (error instanceof XdrDecodeError) outcomes.xdrErrors++;
      else if (error instanceof LibvirtProtocolError) outcomes.protocolErrors++;
      else throw error;
    };
    for (let i = 0; i < 12_000; i++) {
      const body = bodies[i % bodies.length] as Buffer;
      const frame = encodePacket(
        { program: REMOTE_PROGRAM, procedure: 344, type: 1, serial: i, status: 0 },
        body,
      );
      const mangled = mutate(frame, random);
      const reader = new PacketReader();
      try {
        let at = 0;
        while (at < mangled.length) {
          const step = 1 + Math.floor(random() * 64);
          for (const packet of reader.push(mangled.subarray(at, at + step))) {
            for (const decode of decoders) {
              try {
                decode(packet.body);
                outcomes.decoded++;
              } catch (error) {
                expectTyped(error);
              }
            }
          }
          at += step;
        }
      } catch (error) {
        expectTyped(error);
      }
    }
    expect(outcomes.decoded).toBeGreaterThan(1000);
    expect(outcomes.xdrErrors).toBeGreaterThan(1000);
    expect(outcomes.protocolErrors).toBeGreaterThan(100);
  });
});
