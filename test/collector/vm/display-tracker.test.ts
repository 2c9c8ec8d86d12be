import { describe, expect, it } from 'vitest';
import type { GraphicsEvent } from '../../../src/collector/libvirt/domain-events';
import {
  DisplayTracker,
  parseSpiceClientsFromQmp,
  parseVncClientsFromQmp,
  QmpReplyError,
} from '../../../src/collector/vm/display-tracker';
import { fixtureText } from './bed-fixtures';

const UUID = '5e7a0b0d-0000-4000-8000-000000000001';
const OTHER = '5e7a0b0d-0000-4000-8000-000000000002';

function graphics(phase: GraphicsEvent['phase'], port: string, node = '127.0.0.1'): GraphicsEvent {
  return {
    kind: 'graphics',
    callbackId: 1,
    domain: { name: 'bed-idle', uuid: UUID, id: 2 },
    phase,
    phaseCode: ['connect', 'initialize', 'disconnect'].indexOf(phase),
    local: { family: 'ipv4', node: '127.0.0.1', service: '5900' },
    remote: { family: 'ipv4', node, service: port },
    authScheme: 'none',
    subject: [],
  };
}

describe('DisplayTracker', () => {
  it('knows nothing of a VM it never heard of', () => {
    expect(new DisplayTracker().state(UUID)).toEqual({
      lct: null,
      connectedNow: false,
      clients: [],
      clientsKnown: false,
    });
  });

  it('follows connect → initialize → disconnect: LCT set, connected, then not', () => {
    const t = new DisplayTracker();
    t.onGraphicsEvent(UUID, graphics('connect', '40000'), 1_000);
    expect(t.state(UUID)).toMatchObject({
      lct: 1_000,
      connectedNow: true,
      clients: [{ address: '127.0.0.1', service: '40000', since: 1_000 }],
    });
    t.onGraphicsEvent(UUID, graphics('initialize', '40000'), 1_050);
    expect(t.state(UUID)).toMatchObject({
      lct: 1_050,
      connectedNow: true,
      clients: [{ address: '127.0.0.1', service: '40000', since: 1_000 }],
    });
    t.onGraphicsEvent(UUID, graphics('disconnect', '40000'), 9_000);
    expect(t.state(UUID)).toMatchObject({ lct: 1_050, connectedNow: false, clients: [] });
    expect(t.state(OTHER).lct).toBeNull();
  });

  it('stays connected while a second client remains; a client that only connects counts', () => {
    const t = new DisplayTracker();
    t.onGraphicsEvent(UUID, graphics('connect', '1'), 100);
    t.onGraphicsEvent(UUID, graphics('connect', '2', '10.0.0.9'), 200);
    t.onGraphicsEvent(UUID, graphics('disconnect', '1'), 300);
    expect(t.state(UUID)).toMatchObject({
      lct: 200,
      connectedNow: true,
      clients: [{ address: '10.0.0.9', service: '2' }],
    });
    t.onGraphicsEvent(UUID, graphics('disconnect', '2', '10.0.0.9'), 400);
    expect(t.state(UUID).connectedNow).toBe(false);
  });

  it('ignores a disconnect of a client it never saw, and unknown phases', () => {
    const t = new DisplayTracker();
    t.onGraphicsEvent(UUID, graphics('disconnect', '7'), 100);
    t.onGraphicsEvent(UUID, graphics('unknown', '7'), 200);
    expect(t.state(UUID)).toMatchObject({ lct: null, connectedNow: false, clients: [] });
  });

  it('seeds the clients attached before the session: connected, LCT = the seeding time', () => {
    const t = new DisplayTracker();
    t.restore(UUID, 500);
    t.seedFromMonitor(
      UUID,
      parseVncClientsFromQmp(fixtureText('qmp-query-vnc-two-clients.json')),
      2_000,
    );
    expect(t.state(UUID)).toEqual({
      lct: 2_000,
      connectedNow: true,
      clients: [
        { address: '127.0.0.1', service: '56416', since: 2_000 },
        { address: '127.0.0.1', service: '56406', since: 2_000 },
      ],
      clientsKnown: true,
    });
    t.onGraphicsEvent(UUID, graphics('disconnect', '56416'), 3_000);
    t.onGraphicsEvent(UUID, graphics('disconnect', '56406'), 3_100);
    expect(t.state(UUID)).toMatchObject({ lct: 2_000, connectedNow: false });
  });

  it('keeps LCT when seeded with nobody attached, and a client’s since when seen already', () => {
    const t = new DisplayTracker();
    t.restore(UUID, 500);
    t.seedFromMonitor(UUID, [], 2_000);
    expect(t.state(UUID)).toMatchObject({ lct: 500, connectedNow: false, clientsKnown: true });
    t.onGraphicsEvent(UUID, graphics('initialize', '9'), 3_000);
    t.seedFromMonitor(UUID, [{ address: '127.0.0.1', service: '9' }], 4_000);
    expect(t.state(UUID).clients).toEqual([{ address: '127.0.0.1', service: '9', since: 3_000 }]);
    expect(t.state(UUID).lct).toBe(4_000);
  });

  it('reset: after a reconnect nobody is known attached until seeded again; LCT stays', () => {
    const t = new DisplayTracker();
    t.seedFromMonitor(UUID, [], 0);
    t.onGraphicsEvent(UUID, graphics('connect', '1'), 100);
    t.reset();
    expect(t.state(UUID)).toEqual({
      lct: 100,
      connectedNow: false,
      clients: [],
      clientsKnown: false,
    });
    t.seedFromMonitor(UUID, [{ address: '127.0.0.1', service: '1' }], 900);
    expect(t.state(UUID)).toMatchObject({ lct: 900, connectedNow: true, clientsKnown: true });
  });

  it('restore never moves LCT back; forget drops the VM', () => {
    const t = new DisplayTracker();
    t.onGraphicsEvent(UUID, graphics('connect', '1'), 5_000);
    t.restore(UUID, 1_000);
    t.restore(UUID, null);
    t.restore(UUID, Number.NaN);
    expect(t.state(UUID).lct).toBe(5_000);
    t.restore(UUID, 6_000);
    expect(t.state(UUID).lct).toBe(6_000);
    t.forget(UUID);
    expect(t.state(UUID)).toMatchObject({ lct: null, connectedNow: false });
  });

  it('hands out copies: a caller cannot change its state', () => {
    const t = new DisplayTracker();
    t.onGraphicsEvent(UUID, graphics('connect', '1'), 5);
    t.state(UUID).clients[0]!.since = 99;
    t.state(UUID).clients.pop();
    expect(t.state(UUID).clients).toEqual([{ address: '127.0.0.1', service: '1', since: 5 }]);
  });
});

describe('QMP display client lists recorded from the bed’s QEMU', () => {
  it('query-vnc with nobody attached', () => {
    expect(parseVncClientsFromQmp(fixtureText('qmp-query-vnc-idle.json'))).toEqual([]);
  });

  it('query-vnc and query-vnc-servers with two RFB clients attached', () => {
    const expected = [
      { address: '127.0.0.1', service: '56416' },
      { address: '127.0.0.1', service: '56406' },
    ];
    expect(parseVncClientsFromQmp(fixtureText('qmp-query-vnc-two-clients.json'))).toEqual(expected);
    expect(parseVncClientsFromQmp(fixtureText('qmp-query-vnc-servers-two-clients.json'))).toEqual(
      expected,
    );
  });

  it('query-spice on a domain without SPICE: no clients', () => {
    expect(parseSpiceClientsFromQmp(fixtureText('qmp-query-spice-disabled.json'))).toEqual([]);
  });

  it('a QMP error reply becomes a QmpReplyError with its class', () => {
    let caught: unknown;
    try {
      parseVncClientsFromQmp(fixtureText('qmp-error-unknown-command.json'));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(QmpReplyError);
    expect((caught as QmpReplyError).qmpClass).toBe('CommandNotFound');
    expect((caught as Error).message).toContain('has not been found');
  });

  it('query-spice with clients: one per connection, at its main channel’s address', () => {
    // The shape of QEMU's SpiceInfo (qapi/ui.json): one entry per channel of each connection.
    const reply = JSON.stringify({
      return: {
        enabled: true,
        migrated: false,
        host: '0.0.0.0',
        port: 5930,
        auth: 'none',
        'mouse-mode': 'client',
        channels: [
          {
            host: '10.0.0.5',
            port: '51001',
            family: 'ipv4',
            'connection-id': 7,
            'channel-type': 2,
            'channel-id': 0,
            tls: false,
          },
          {
            host: '10.0.0.5',
            port: '51000',
            family: 'ipv4',
            'connection-id': 7,
            'channel-type': 1,
            'channel-id': 0,
            tls: false,
          },
          {
            host: '10.0.0.6',
            port: '52000',
            family: 'ipv4',
            'connection-id': 8,
            'channel-type': 1,
            'channel-id': 0,
            tls: false,
          },
        ],
      },
    });
    expect(parseSpiceClientsFromQmp(reply)).toEqual([
      { address: '10.0.0.5', service: '51000' },
      { address: '10.0.0.6', service: '52000' },
    ]);
  });

  it.each([
    ['not JSON', '{"return":', 'not JSON'],
    ['not an object', '[1,2]', 'not a JSON object'],
    ['no return', '{"id":"x"}', 'no "return"'],
    ['clients not a list', '{"return":{"clients":{}}}', 'not an array'],
    ['a client without host', '{"return":{"clients":[{"service":"1"}]}}', 'lacks host'],
    ['a return of the wrong kind', '{"return":42}', 'not an object'],
  ])('refuses a reply that is %s', (_what, reply, message) => {
    expect(() => parseVncClientsFromQmp(reply)).toThrow(QmpReplyError);
    expect(() => parseVncClientsFromQmp(reply)).toThrow(message);
  });
});
