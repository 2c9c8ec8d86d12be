import { describe, expect, it } from 'vitest';
import { LibvirtConnection } from '../../../src/collector/libvirt/libvirt-connection';
import { Remote } from '../../../src/collector/libvirt/protocol';
import {
  TypedParamType,
  uuidToText,
  writeDomain,
  writeTypedParam,
} from '../../../src/collector/libvirt/remote-types';
import { XdrWriter } from '../../../src/collector/libvirt/xdr-writer';
import { startFakePeer, type FakePeer } from './fake-peer';
import { MiB, retainedBytes } from './retained-memory';

/**
 * A host of `domains` domains, each with `fields` fields of its own (names of 60-odd bytes): far
 * more than a connection should keep, so what it keeps is its caches' bounds.
 */
function statsReply(domains: number, fields: number): Buffer {
  const w = new XdrWriter(domains * fields * 80);
  w.uint(domains);
  for (let d = 0; d < domains; d++) {
    const uuid = Buffer.alloc(16);
    uuid.writeUInt32BE(d, 12);
    writeDomain(w, { name: `desktop-${d}`, uuid: uuidToText(uuid), id: d + 1 });
    w.uint(fields);
    for (let f = 0; f < fields; f++) {
      const field = `block.${f}.${'x'.repeat(40)}.d${d}.wr.bytes`;
      writeTypedParam(w, { field, type: TypedParamType.Ullong, value: BigInt(d * f) });
    }
  }
  return Buffer.from(w.bytes());
}

async function open(fake: FakePeer): Promise<LibvirtConnection> {
  const opening = LibvirtConnection.open(fake.client, { name: null, keepaliveIntervalMs: 0 });
  for (const procedure of [Remote.AUTH_LIST, Remote.CONNECT_OPEN]) {
    const call = await fake.next();
    expect(call.header.procedure).toBe(procedure);
    fake.reply(call, procedure === Remote.AUTH_LIST ? new XdrWriter().uint(0).bytes() : undefined);
  }
  return opening;
}

/** Polls the peer's one host once; the reply is dropped, so only what the client keeps stays. */
async function poll(lv: LibvirtConnection, fake: FakePeer, reply: Buffer): Promise<number> {
  const polling = lv.getAllDomainStats();
  fake.reply(await fake.next(), reply);
  return (await polling).length;
}

describe("a connection's decoding caches", () => {
  it('stay within their bounds however many domains and fields a daemon names, and go with the connection', async () => {
    const reply = statsReply(3000, 64);
    const baseline = retainedBytes();
    let fake: FakePeer | null = await startFakePeer();
    let lv: LibvirtConnection | null = await open(fake);
    expect(await poll(lv, fake, reply)).toBe(3000);
    // Layouts 8 MiB, names 1 MiB each, UUID texts under 1 MiB, plus the connection itself.
    const whileOpen = retainedBytes() - baseline;
    expect(whileOpen).toBeLessThan(16 * MiB);
    // Something was kept: the next poll's layouts and names come from there.
    expect(whileOpen).toBeGreaterThan(4 * MiB);

    const closing = lv.close(200);
    fake.reply(await fake.next());
    await closing;
    await fake.dispose();
    lv = null;
    fake = null;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(retainedBytes() - baseline).toBeLessThan(2 * MiB);
  });

  it("shares a domain's layout from one poll to the next, on each connection on its own", async () => {
    const reply = statsReply(3, 5);
    const fakes = [await startFakePeer(), await startFakePeer()];
    try {
      const [a, b] = await Promise.all(fakes.map(open));
      const polls = async (lv: LibvirtConnection, fake: FakePeer) => {
        const first = lv.getAllDomainStats();
        fake.reply(await fake.next(), reply);
        const second = lv.getAllDomainStats();
        fake.reply(await fake.next(), reply);
        return [await first, await second];
      };
      const [a1, a2] = await polls(a as LibvirtConnection, fakes[0] as FakePeer);
      const [b1] = await polls(b as LibvirtConnection, fakes[1] as FakePeer);
      for (let d = 0; d < 3; d++) {
        expect(a2?.[d]?.params.layout).toBe(a1?.[d]?.params.layout);
        expect(b1?.[d]?.params.layout).not.toBe(a1?.[d]?.params.layout);
        expect(a2?.[d]?.params.toObject()).toEqual(b1?.[d]?.params.toObject());
      }
      expect(a2?.[2]?.params.get(`block.4.${'x'.repeat(40)}.d2.wr.bytes`)).toBe(8);
    } finally {
      await Promise.all(fakes.map((f) => f.dispose()));
    }
  });
});
