import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectLibvirt } from '../../../src/collector/libvirt/connect';
import type { DomainEvent, DomainEventKind } from '../../../src/collector/libvirt/domain-events';
import { StatsGroup } from '../../../src/collector/libvirt/domain-stats';
import { LibvirtError } from '../../../src/collector/libvirt/errors';
import type { LibvirtConnection } from '../../../src/collector/libvirt/libvirt-connection';
import type { DomainRef } from '../../../src/collector/libvirt/remote-types';
import { describeBed } from '../../helpers/bed';
import { rfbConnect } from '../../helpers/rfb-client';
import {
  removeThrowawayDomain,
  type ThrowawayDomain,
  writeThrowawayDomainXml,
} from '../../helpers/throwaway-domain';
import { virshAsync } from '../../helpers/virsh';
import { waitFor } from './bed-helpers';

const AFFECT_LIVE = 1;
const AFFECT_CONFIG = 2;

/** This suite's own transient guest. */
const TEST_DOMAIN: ThrowawayDomain = {
  name: 'bed-lv-test',
  uuid: '5e7a0b0d-0000-4000-8000-0000000000f1',
};

describeBed('libvirt events and domain settings on a guest of our own', (bed) => {
  const uri = bed.libvirt.uri;
  let lv: LibvirtConnection;
  const events: { at: number; event: DomainEvent }[] = [];
  let xmlFile: string;
  let domain: DomainRef;

  /** Waits (at most 1 s after `since`) for an event of ours that matches. */
  const expectEvent = async (
    kind: DomainEventKind,
    match: (e: DomainEvent) => boolean,
    since: number,
  ): Promise<number> => {
    const found = await waitFor(
      `${kind} event`,
      () =>
        events.find(
          (e) =>
            e.event.kind === kind && e.event.domain.uuid === TEST_DOMAIN.uuid && match(e.event),
        ),
      1_000 + Math.max(0, since - Date.now()),
      5,
    );
    return found.at - since;
  };

  beforeAll(async () => {
    removeThrowawayDomain(uri, TEST_DOMAIN);
    xmlFile = writeThrowawayDomainXml(uri, TEST_DOMAIN, bed.domains[0]?.name ?? 'bed-idle');
    lv = await connectLibvirt({ uri });
    for (const kind of [
      'lifecycle',
      'graphics',
      'balloon-change',
      'reboot',
      'device-removed',
    ] as const) {
      await lv.subscribe(kind, (event) => events.push({ at: Date.now(), event }));
    }
  });

  afterAll(async () => {
    removeThrowawayDomain(uri, TEST_DOMAIN);
    await lv?.close();
  });

  // Each event must come within 1 s of virsh reporting the change done.
  it(
    'sees started, suspended, resumed within 1 s of each change',
    { timeout: 360_000 },
    async () => {
      await virshAsync(uri, 'create', xmlFile);
      const latencies = [
        await expectEvent(
          'lifecycle',
          (e) => e.kind === 'lifecycle' && e.event === 'started',
          Date.now(),
        ),
      ];
      domain = await lv.lookupDomainByUuid(TEST_DOMAIN.uuid);
      expect(domain.name).toBe(TEST_DOMAIN.name);
      await virshAsync(uri, 'suspend', TEST_DOMAIN.name);
      latencies.push(
        await expectEvent(
          'lifecycle',
          (e) => e.kind === 'lifecycle' && e.event === 'suspended',
          Date.now(),
        ),
      );
      expect((await lv.domainGetState(domain)).state).toBe(3);
      await virshAsync(uri, 'resume', TEST_DOMAIN.name);
      latencies.push(
        await expectEvent(
          'lifecycle',
          (e) => e.kind === 'lifecycle' && e.event === 'resumed',
          Date.now(),
        ),
      );
      expect((await lv.domainGetState(domain)).state).toBe(1);
      for (const ms of latencies) expect(ms).toBeLessThan(1_000);
    },
  );

  it('sees graphics connect, initialize and disconnect for an RFB handshake, and QEMU names the client', async () => {
    const xml = await lv.domainGetXmlDesc(domain);
    const port = Number(/<graphics type='vnc' port='(\d+)'/.exec(xml)?.[1]);
    expect(port).toBeGreaterThanOrEqual(5900);
    const session = await rfbConnect(port);
    const phase = (p: string) => (e: DomainEvent) =>
      e.kind === 'graphics' && e.phase === p && e.remote.service === String(session.localPort);
    await expectEvent('graphics', phase('connect'), Date.now());
    await expectEvent('graphics', phase('initialize'), Date.now());
    const hmp = await lv.qemuMonitorCommand(domain, 'info vnc', true);
    expect(hmp).toContain(String(session.localPort));
    const qmp = JSON.parse(await lv.qemuMonitorCommand(domain, '{"execute":"query-vnc"}')) as {
      return: { clients: { service: string }[] };
    };
    expect(qmp.return.clients.map((c) => c.service)).toContain(String(session.localPort));
    await session.close();
    await expectEvent('graphics', phase('disconnect'), Date.now());
    const connect = events.find((e) => phase('connect')(e.event))?.event;
    expect(connect).toMatchObject({
      local: { family: 'ipv4', node: '127.0.0.1', service: String(port) },
      authScheme: 'none',
    });
  });

  it('makes balloon.usable appear (and refresh) once the memory stats period is set', async () => {
    const balloon = async () =>
      (await lv.getAllDomainStats(StatsGroup.balloon, 0, [domain]))[0]?.params.toObject() ?? {};
    // The guest has no stats period of its own; a console collector running elsewhere on the
    // bed may already have set one, so what counts is a fresh report after ours.
    const before = await balloon();
    const lastUpdate = (before['balloon.last-update'] as number | undefined) ?? -1;
    await lv.domainSetMemoryStatsPeriod(domain, 1, AFFECT_LIVE);
    const after = await waitFor(
      'a fresh balloon.usable',
      async () => {
        const p = await balloon();
        const fresh = ((p['balloon.last-update'] as number | undefined) ?? -1) > lastUpdate;
        return fresh && p['balloon.usable'] !== undefined && p;
      },
      60_000,
      250,
    );
    expect(Number.isSafeInteger(after['balloon.usable'])).toBe(true);
    expect(after['balloon.usable'] as number).toBeGreaterThan(0);
  });

  it('sets the balloon size live and gets a balloon-change event', async () => {
    await lv.domainSetMemoryFlags(domain, 96n * 1024n, AFFECT_LIVE);
    await expectEvent(
      'balloon-change',
      (e) => e.kind === 'balloon-change' && e.actualKiB < 131072n,
      Date.now() + 15_000,
    );
    const info = await lv.domainGetInfo(domain);
    expect(info.maxMemKiB).toBe(131072n);
  });

  it('sets vCPUs: a transient domain has no config to change (typed error), live hot-plug works', async () => {
    const error = await lv.domainSetVcpusFlags(domain, 2, AFFECT_CONFIG).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LibvirtError);
    expect((error as LibvirtError).code).toBe(55);
    await lv.domainSetVcpusFlags(domain, 2, AFFECT_LIVE);
    const current = await waitFor(
      'vcpu.current = 2',
      async () =>
        (await lv.getAllDomainStats(StatsGroup.vcpu, 0, [domain]))[0]?.params.get(
          'vcpu.current',
        ) === 2,
      10_000,
    );
    expect(current).toBe(true);
  });

  it('sees stopped within 1 s of destroy', async () => {
    await virshAsync(uri, 'destroy', TEST_DOMAIN.name);
    expect(
      await expectEvent(
        'lifecycle',
        (e) => e.kind === 'lifecycle' && e.event === 'stopped',
        Date.now(),
      ),
    ).toBeLessThan(1_000);
  });
});
