import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../src/collector/libvirt/domain-events';
import { LibvirtAuthError } from '../../../src/collector/libvirt/errors';
import { LibvirtConnection } from '../../../src/collector/libvirt/libvirt-connection';
import { Remote } from '../../../src/collector/libvirt/protocol';
import { writeDomain, type DomainRef } from '../../../src/collector/libvirt/remote-types';
import { XdrReader } from '../../../src/collector/libvirt/xdr-reader';
import { XdrWriter } from '../../../src/collector/libvirt/xdr-writer';
import { startFakePeer, type FakePeer } from './fake-peer';

const dom: DomainRef = { name: 'vm1', uuid: '5e7a0b0d-0000-4000-8000-000000000009', id: 3 };

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
}

async function handshake(fake: FakePeer, authTypes: number[] = [0]): Promise<void> {
  const authList = await fake.next();
  expect(authList.header.procedure).toBe(Remote.AUTH_LIST);
  fake.reply(authList, new XdrWriter().array(authTypes, 20, (w, t) => w.int(t)).bytes());
  if (authTypes.length && !authTypes.includes(0)) return;
  const open = await fake.next();
  expect(open.header.procedure).toBe(Remote.CONNECT_OPEN);
  const r = new XdrReader(open.body);
  expect(r.optional((rr) => rr.string(100))).toBe('test:///default');
  expect(r.uint()).toBe(0);
  fake.reply(open);
}

describe('LibvirtConnection against a scripted peer', () => {
  let fake: FakePeer;
  beforeEach(async () => {
    fake = await startFakePeer();
  });
  afterEach(async () => {
    await fake.dispose();
  });

  it('refuses a daemon that demands SASL, saying so', async () => {
    const opening = LibvirtConnection.open(fake.client, {
      name: 'test:///default',
      keepaliveIntervalMs: 0,
    });
    await handshake(fake, [1]);
    const error = await opening.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LibvirtAuthError);
    expect((error as Error).message).toMatch(/demands SASL authentication/);
    await fake.closed;
  });

  it('refuses a daemon that demands polkit', async () => {
    const opening = LibvirtConnection.open(fake.client, {
      name: 'test:///default',
      keepaliveIntervalMs: 0,
    });
    await handshake(fake, [2]);
    await expect(opening).rejects.toThrow(/polkit/);
  });

  it('routes events to the subscription named by their callbackID, decoded', async () => {
    const opening = LibvirtConnection.open(fake.client, {
      name: 'test:///default',
      keepaliveIntervalMs: 0,
    });
    await handshake(fake);
    const lv = await opening;
    const lifecycle: DomainEvent[] = [];
    const graphics: DomainEvent[] = [];
    const subscribing = lv.subscribe('lifecycle', (e) => lifecycle.push(e));
    const register = await fake.next();
    const args = new XdrReader(register.body);
    expect([args.int(), args.bool()]).toEqual([0, false]);
    fake.reply(register, new XdrWriter().int(7).bytes());
    const sub = await subscribing;
    expect(sub.callbackId).toBe(7);
    const subscribingGraphics = lv.subscribe('graphics', (e) => graphics.push(e), dom);
    const registerGraphics = await fake.next();
    fake.reply(registerGraphics, new XdrWriter().int(8).bytes());
    await subscribingGraphics;

    const lifecycleMsg = (callbackId: number, event: number) => {
      const w = new XdrWriter().int(callbackId);
      writeDomain(w, dom);
      return w.int(event).int(0).bytes();
    };
    fake.event(Remote.DOMAIN_EVENT_CALLBACK_LIFECYCLE, lifecycleMsg(7, 2));
    fake.event(Remote.DOMAIN_EVENT_CALLBACK_LIFECYCLE, lifecycleMsg(99, 5));
    const g = new XdrWriter().int(8);
    writeDomain(g, dom);
    g.int(0).int(0).string('127.0.0.1', 100).string('5900', 100);
    g.int(0).string('127.0.0.1', 100).string('41234', 100).string('none', 100);
    g.array([{ type: 'x509dname', name: 'CN=admin' }], 20, (w, s) =>
      w.string(s.type, 100).string(s.name, 100),
    );
    fake.event(Remote.DOMAIN_EVENT_CALLBACK_GRAPHICS, g.bytes());
    await until(() => lifecycle.length === 1 && graphics.length === 1);
    const deregistering = sub.unsubscribe();
    const deregister = await fake.next();
    expect(deregister.header.procedure).toBe(Remote.CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY);
    expect(new XdrReader(deregister.body).int()).toBe(7);
    fake.reply(deregister);
    await deregistering;
    fake.event(Remote.DOMAIN_EVENT_CALLBACK_LIFECYCLE, lifecycleMsg(7, 3));

    const closing = lv.close();
    const close = await fake.next();
    expect(close.header.procedure).toBe(Remote.CONNECT_CLOSE);
    fake.reply(close);
    await closing;

    expect(lifecycle).toEqual([
      { kind: 'lifecycle', callbackId: 7, domain: dom, event: 'started', eventCode: 2, detail: 0 },
    ]);
    expect(graphics).toEqual([
      {
        kind: 'graphics',
        callbackId: 8,
        domain: dom,
        phase: 'connect',
        phaseCode: 0,
        local: { family: 'ipv4', node: '127.0.0.1', service: '5900' },
        remote: { family: 'ipv4', node: '127.0.0.1', service: '41234' },
        authScheme: 'none',
        subject: [{ type: 'x509dname', name: 'CN=admin' }],
      },
    ]);
  });

  it('closes within one budget when the peer never answers the goodbye', async () => {
    const opening = LibvirtConnection.open(fake.client, {
      name: 'test:///default',
      keepaliveIntervalMs: 0,
    });
    await handshake(fake);
    const lv = await opening;
    const started = Date.now();
    await lv.close(400);
    const took = Date.now() - started;
    expect((await fake.next()).header.procedure).toBe(Remote.CONNECT_CLOSE);
    // Half the budget waits for the reply; the rest is left for the stream to close.
    expect(took).toBeGreaterThanOrEqual(190);
    expect(took).toBeLessThan(1_000);
    expect(fake.client.destroyed).toBe(true);
  });
});
