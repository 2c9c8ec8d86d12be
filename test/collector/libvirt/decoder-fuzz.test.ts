import { isDeepStrictEqual } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { DecodeCaches } from '../../../src/collector/libvirt/decode-caches';
import {
  decodeDomainEvent,
  EVENT_PROCEDURES,
  type DomainEvent,
  type DomainEventKind,
} from '../../../src/collector/libvirt/domain-events';
import { readDomainStatsRecords } from '../../../src/collector/libvirt/domain-stats';
import {
  LibvirtProtocolError,
  type RemoteErrorFields,
} from '../../../src/collector/libvirt/errors';
import { encodePacket } from '../../../src/collector/libvirt/packet';
import { PacketReader } from '../../../src/collector/libvirt/packet-reader';
import { REMOTE_PROGRAM, STRING_MAX } from '../../../src/collector/libvirt/protocol';
import {
  readRemoteError,
  TypedParamType,
  uuidToText,
  writeDomain,
  writeTypedParam,
  type DomainRef,
  type TypedParam,
  type TypedParamValue,
} from '../../../src/collector/libvirt/remote-types';
import { XdrDecodeError } from '../../../src/collector/libvirt/xdr-error';
import { XdrReader } from '../../../src/collector/libvirt/xdr-reader';
import { XdrWriter } from '../../../src/collector/libvirt/xdr-writer';
import {
  writeDomainEvent,
  writeRemoteError,
  writeStatsRecords,
  type PlainStatsRecord,
} from './reply-encoders';
import { MiB, retainedBytes } from './retained-memory';
import { seededRandom } from '../../helpers/seeded-random';

const random = seededRandom(0x5e7a0b);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;

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

/** Characters of 1 to 4 UTF-8 bytes, so every padding case and multi-byte split comes up. */
const CHARS = ['a', 'Z', '.', '0', 'é', 'ß', '한', '€', '🖥'];

/** A string of at most `maxBytes` UTF-8 bytes. */
function randomText(maxBytes: number): string {
  let text = '';
  let bytes = 0;
  for (;;) {
    const c = pick(CHARS);
    const n = Buffer.byteLength(c);
    if (bytes + n > maxBytes || random() < 0.05) return text;
    text += c;
    bytes += n;
  }
}

function randomUuid(): string {
  return uuidToText(Buffer.from(Array.from({ length: 16 }, () => int(256))));
}

const word = () => BigInt(int(0x100000000));
const TWO_53 = 2n ** 53n;

/** A typed parameter of a random type and value, and the value the decoder must give for it. */
function randomParam(field: string): { param: TypedParam; decoded: TypedParamValue } {
  const type = pick(Object.values(TypedParamType));
  switch (type) {
    case TypedParamType.Int: {
      const value = int(0x100000000) - 0x80000000;
      return { param: { field, type, value }, decoded: value };
    }
    case TypedParamType.Uint: {
      const value = int(0x100000000);
      return { param: { field, type, value }, decoded: value };
    }
    case TypedParamType.Llong: {
      const value = BigInt.asIntN(64, (word() << 32n) | word()) >> BigInt(int(64));
      const exact = value >= -TWO_53 && value < TWO_53;
      return { param: { field, type, value }, decoded: exact ? Number(value) : value };
    }
    case TypedParamType.Ullong: {
      const value = ((word() << 32n) | word()) >> BigInt(int(64));
      return { param: { field, type, value }, decoded: value < TWO_53 ? Number(value) : value };
    }
    case TypedParamType.Double: {
      const value = pick([NaN, -0, Infinity, 5e-324, 2 ** 60, (random() - 0.5) * 1e6]);
      return { param: { field, type, value }, decoded: value };
    }
    case TypedParamType.Boolean: {
      const value = random() < 0.5;
      return { param: { field, type, value }, decoded: value };
    }
    default: {
      const value = randomText(40);
      return { param: { field, type: TypedParamType.String, value }, decoded: value };
    }
  }
}

let fieldSerial = 0;

/**
 * A valid stats reply of domains never seen before, with fields never seen before: a daemon
 * whose names keep changing (or one that makes them up), and the values the decoder must give.
 */
function churnFrame(): { body: Buffer; expected: PlainStatsRecord[] } {
  const w = new XdrWriter();
  const expected: PlainStatsRecord[] = [];
  const domains = 1 + int(3);
  w.uint(domains);
  for (let d = 0; d < domains; d++) {
    const domain: DomainRef = { name: randomText(200), uuid: randomUuid(), id: int(1000) - 1 };
    writeDomain(w, domain);
    const count = 20 + int(60);
    const params: [string, TypedParamValue][] = [];
    w.uint(count);
    for (let i = 0; i < count; i++) {
      // Unique, so the plain form keeps every field; up to 79 bytes, as libvirt's are.
      const { param, decoded } = randomParam(`${randomText(60)}#${fieldSerial++}`);
      writeTypedParam(w, param);
      params.push([param.field, decoded]);
    }
    expected.push({ domain, params });
  }
  return { body: Buffer.from(w.bytes()), expected };
}

/** Near the protocol's string maximum, with room for mutations to grow a name. */
const LARGE_NAME_BYTES = STRING_MAX - 64;
let largeSerial = 0;

/**
 * A valid stats reply naming a domain or a field with a large string of its own: what a hostile
 * daemon would send to make the client keep its names.
 */
function largeNameFrame(): Buffer {
  const k = largeSerial++;
  const prefix = `${k}:`;
  // ASCII and two-byte strings: V8 keeps them at one and two bytes a character.
  const large =
    k % 2 === 0
      ? prefix + 'n'.repeat(LARGE_NAME_BYTES - prefix.length - (k & 3))
      : prefix + 'é'.repeat((LARGE_NAME_BYTES - prefix.length) >> 1);
  const w = new XdrWriter(LARGE_NAME_BYTES + 4096).uint(1);
  const domainNamed = (k >> 1) % 2 === 0;
  writeDomain(w, { name: domainNamed ? large : 'vm', uuid: randomUuid(), id: k });
  w.uint(2);
  writeTypedParam(w, { field: domainNamed ? 'cpu.time' : large, type: 4, value: 1n });
  writeTypedParam(w, { field: 'state.state', type: 1, value: 1 });
  return Buffer.from(w.bytes());
}

function mutate(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
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

/** A decoder, the plain value of what it decoded, and the daemon's side writing that value. */
interface Codec {
  name: string;
  decode(body: Buffer, caches: DecodeCaches): unknown;
  encode(value: never): Buffer;
}

const plainStats = (body: Buffer, caches: DecodeCaches): PlainStatsRecord[] =>
  readDomainStatsRecords(new XdrReader(body), caches).map(({ domain, params }) => ({
    domain,
    params: params.entries(),
  }));

const STATS: Codec = { name: 'stats', decode: plainStats, encode: writeStatsRecords };
const codecs: Codec[] = [
  STATS,
  {
    name: 'remote error',
    decode: (b) => readRemoteError(new XdrReader(b)),
    encode: (e: RemoteErrorFields) => writeRemoteError(e),
  },
  ...(Object.keys(EVENT_PROCEDURES) as DomainEventKind[]).map((kind): Codec => ({
    name: `${kind} event`,
    decode: (b) => decodeDomainEvent(kind, new XdrReader(b)),
    encode: (e: DomainEvent) => writeDomainEvent(e),
  })),
];

const FRAMES = 12_000;
/** One frame in this many carries a large name: 66 of them, 4 MiB each. */
const LARGE_EVERY = 180;
/** One frame in this many is a valid reply of new domains and fields: 1,000 of them. */
const CHURN_EVERY = 12;
/** CPU per decode, ms: a robustness bound (a 4 MiB name decodes in a few), not a speed target. */
const DECODE_BOUND_MS = 50;
/** What the caches of one connection may hold after all of it, with room for measuring. */
const RETAINED_BOUND_BYTES = 32 * MiB;

/** CPU time of `work`, ms: unlike the wall clock, not stretched by the machine's other load. */
function cpuMs(work: () => void): number {
  const start = process.cpuUsage();
  work();
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

/**
 * The least CPU time of a few runs of `decode`, ms, given the first: a run can also be charged
 * for a collection of garbage that earlier ones left, or for another thread of this process.
 */
function decodeMs(decode: () => void, firstMs: number): number {
  let best = firstMs;
  for (let i = 0; i < 3 && best >= DECODE_BOUND_MS; i++) best = Math.min(best, cpuMs(decode));
  return best;
}

interface FuzzRun {
  decoded: number;
  xdrErrors: number;
  protocolErrors: number;
  untypedErrors: string[];
  churnFrames: number;
  churnMismatches: string[];
  largeFrames: number;
  roundTrips: number;
  roundTripMismatches: string[];
  freshCacheMismatches: string[];
  slowestDecodeMs: number;
  retainedGrowthBytes: number;
}

/**
 * Every frame goes through a PacketReader in random chunks and then through every decoder, all
 * with one set of caches, as one connection's replies would. Properties are collected, not
 * asserted in the loop, so one run serves every test and a failure shows all that broke.
 */
function fuzz(): FuzzRun {
  const run: FuzzRun = {
    decoded: 0,
    xdrErrors: 0,
    protocolErrors: 0,
    untypedErrors: [],
    churnFrames: 0,
    churnMismatches: [],
    largeFrames: 0,
    roundTrips: 0,
    roundTripMismatches: [],
    freshCacheMismatches: [],
    slowestDecodeMs: 0,
    retainedGrowthBytes: 0,
  };
  const baseline = retainedBytes();
  const caches = new DecodeCaches();
  const bodies = [
    statsBody(),
    errorBody(),
    ...(Object.keys(EVENT_PROCEDURES) as DomainEventKind[]).map(eventBody),
  ];
  const typed = (error: unknown) => {
    if (error instanceof XdrDecodeError) run.xdrErrors++;
    else if (error instanceof LibvirtProtocolError) run.protocolErrors++;
    else run.untypedErrors.push(String(error));
  };
  const check = (codec: Codec, body: Buffer, frameNo: number): unknown => {
    let value: unknown;
    const firstMs = cpuMs(() => (value = codec.decode(body, caches)));
    const ms = decodeMs(() => codec.decode(body, caches), firstMs);
    run.slowestDecodeMs = Math.max(run.slowestDecodeMs, ms);
    run.decoded++;
    if (codec === STATS && !isDeepStrictEqual(value, codec.decode(body, new DecodeCaches()))) {
      run.freshCacheMismatches.push(`frame ${frameNo}`);
    }
    const again = codec.decode(codec.encode(value as never), caches);
    run.roundTrips++;
    if (!isDeepStrictEqual(again, value)) run.roundTripMismatches.push(`${codec.name} ${frameNo}`);
    return value;
  };
  for (let i = 0; i < FRAMES; i++) {
    let body: Buffer;
    let churn: PlainStatsRecord[] | null = null;
    let step = () => 1 + int(64);
    let mangle = mutate;
    if (i % LARGE_EVERY === LARGE_EVERY / 2) {
      body = largeNameFrame();
      run.largeFrames++;
      // As a socket delivers a large reply: in reads of 64 KiB.
      step = () => 64 * 1024;
      mangle = (b) => b;
    } else if (i % CHURN_EVERY === CHURN_EVERY / 2) {
      ({ body, expected: churn } = churnFrame());
      run.churnFrames++;
      mangle = (b) => b;
    } else {
      body = bodies[i % bodies.length] as Buffer;
    }
    const frame = encodePacket(
      { program: REMOTE_PROGRAM, procedure: 344, type: 1, serial: i, status: 0 },
      body,
    );
    const bytes = mangle(frame);
    const reader = new PacketReader();
    try {
      for (let at = 0, n = step(); at < bytes.length; at += n, n = step()) {
        for (const packet of reader.push(bytes.subarray(at, at + n))) {
          for (const codec of codecs) {
            try {
              const value = check(codec, packet.body, i);
              if (churn !== null && codec === STATS && !isDeepStrictEqual(value, churn)) {
                run.churnMismatches.push(`frame ${i}`);
              }
            } catch (error) {
              typed(error);
            }
          }
        }
      }
    } catch (error) {
      typed(error);
    }
  }
  run.retainedGrowthBytes = retainedBytes() - baseline;
  // Still in use, so what it holds was counted above.
  expect(caches).toBeInstanceOf(DecodeCaches);
  return run;
}

describe('decoder fuzzing', () => {
  let run: FuzzRun;
  beforeAll(() => {
    run = fuzz();
  }, 300_000);

  it('turns >= 10,000 mangled packets into data or typed errors only', () => {
    expect(run.untypedErrors).toEqual([]);
    expect(run.decoded).toBeGreaterThan(1000);
    expect(run.xdrErrors).toBeGreaterThan(1000);
    expect(run.protocolErrors).toBeGreaterThan(100);
  });

  it('decodes random valid replies of new domains and fields to exactly what was sent', () => {
    expect(run.churnFrames).toBeGreaterThan(900);
    expect(run.churnMismatches).toEqual([]);
  });

  it('decodes a reply re-encoded from a decoded value to the same value', () => {
    expect(run.roundTrips).toBeGreaterThan(run.churnFrames);
    expect(run.roundTripMismatches).toEqual([]);
  });

  it('decodes the same with a connection’s layouts and names as without them', () => {
    expect(run.freshCacheMismatches).toEqual([]);
  });

  it(`takes under ${DECODE_BOUND_MS} ms for any decode, 4 MiB names included`, () => {
    expect(run.largeFrames).toBeGreaterThanOrEqual(64);
    expect(run.slowestDecodeMs).toBeLessThan(DECODE_BOUND_MS);
  });

  it('keeps what one connection retains bounded, after 64 4 MiB names and 1,000 replies of new domains', () => {
    expect(run.retainedGrowthBytes).toBeLessThan(RETAINED_BOUND_BYTES);
  });
});
