import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  EngineEvent,
  EngineEventOf,
  EngineEventType,
} from '../../../src/shared/model/engine-events';
import { HostSession, type HostSessionDeps } from '../../../src/collector/engine/host-session';
import { resolveHostTarget, type HostTarget } from '../../../src/collector/engine/host-target';
import { Remote } from '../../../src/collector/libvirt/protocol';
import { SshError } from '../../../src/collector/ssh/ssh-errors';
import { FAKE_HOST_UUID, FakeLibvirtd, type FakeDomain } from './fake-libvirtd';

const procRoot = fileURLToPath(new URL('../../fixtures/proc/this-host/t0', import.meta.url));

const RUNNING_BALLOON: FakeDomain = {
  name: 'desk-balloon',
  uuid: '5e7a0b0d-0000-4000-8000-00000000a001',
  state: 1,
  balloon: 'virtio',
  vcpus: 2,
};
const RUNNING_NO_BALLOON: FakeDomain = {
  name: 'desk-plain',
  uuid: '5e7a0b0d-0000-4000-8000-00000000a002',
  state: 1,
  balloon: 'none',
  vcpus: 1,
};
const RUNNING_WITH_PERIOD: FakeDomain = {
  name: 'desk-period',
  uuid: '5e7a0b0d-0000-4000-8000-00000000a003',
  state: 1,
  balloon: 5,
  vcpus: 1,
};
const PAUSED_BALLOON: FakeDomain = {
  name: 'desk-paused',
  uuid: '5e7a0b0d-0000-4000-8000-00000000a004',
  state: 3,
  balloon: 'virtio',
  vcpus: 1,
};

/** virDomainEventType codes. */
const EVENT_SUSPENDED = 3;
const EVENT_RESUMED = 4;

/** A session on this machine's fixture /proc and the scripted daemon, and what it reported. */
class Harness {
  readonly events: EngineEvent[] = [];
  readonly session: HostSession;
  private readonly wakers = new Set<() => void>();

  constructor(target: HostTarget, deps: HostSessionDeps) {
    this.session = new HostSession(
      resolveHostTarget(target),
      (event) => {
        this.events.push(event);
        for (const wake of this.wakers) wake();
      },
      { backoff: { initialMs: 50, random: () => 0 }, ...deps },
    );
  }

  of<T extends EngineEventType>(type: T): EngineEventOf<T>[] {
    return this.events.filter((e) => e.type === type) as EngineEventOf<T>[];
  }

  /** Resolves with the first event of the type (from index `from` on) that matches. */
  waitFor<T extends EngineEventType>(
    type: T,
    match: (event: EngineEventOf<T>) => boolean = () => true,
    from = 0,
    timeoutMs = 8_000,
  ): Promise<EngineEventOf<T>> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = this.events
          .slice(from)
          .find((e): e is EngineEventOf<T> => e.type === type && match(e as EngineEventOf<T>));
        if (!found) return;
        done();
        resolve(found);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no matching ${type} within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.wakers.delete(check);
      };
      this.wakers.add(check);
      check();
    });
  }
}

const localTarget: HostTarget = {
  id: 'fake',
  ssh: null,
  procRoot,
  pollIntervalMs: 1000,
};

describe('HostSession against a scripted libvirt daemon', () => {
  let daemon: FakeLibvirtd | null = null;
  let harness: Harness | null = null;
  afterEach(async () => {
    await harness?.session.stop();
    await daemon?.dispose();
    harness = null;
    daemon = null;
  });

  function start(
    domains: FakeDomain[],
    target: HostTarget = localTarget,
    script: (fake: FakeLibvirtd) => void = () => undefined,
  ): Harness {
    const fake = new FakeLibvirtd(domains);
    script(fake);
    daemon = fake;
    harness = new Harness(target, { connectLibvirt: fake.connect });
    harness.session.start();
    return harness;
  }

  it('reports each domain as added, then VM samples with rates from the second poll on', async () => {
    const h = start([RUNNING_NO_BALLOON, PAUSED_BALLOON]);
    await h.waitFor('host-status', (e) => e.status === 'up');
    const added = h.of('inventory-changed').filter((e) => e.change === 'added');
    expect(added.map((e) => [e.vm.uuid, e.vm.state, e.vm.vcpus])).toEqual([
      [RUNNING_NO_BALLOON.uuid, 'running', 1],
      [PAUSED_BALLOON.uuid, 'paused', 1],
    ]);
    // /proc and libvirt attach side by side: until /proc names the host, libvirt's name stands.
    for (const e of added) expect(['fake-host', h.session.hostName]).toContain(e.host);

    const first = await h.waitFor('poll-complete');
    expect(first.vmSamples).toBe(0);
    const sample = await h.waitFor('vm-sample', (e) => e.sample.uuid === RUNNING_NO_BALLOON.uuid);
    // 0.5 s of CPU per stats call over 4 host cores (the daemon's node info).
    expect(sample.sample.cpu.hostPercent).toBeGreaterThan(0);
    expect(sample.sample).toMatchObject({ state: 'running', vcpus: 1, lastSeen: sample.ts });
    const paused = await h.waitFor('vm-sample', (e) => e.sample.uuid === PAUSED_BALLOON.uuid);
    expect(paused.sample.state).toBe('paused');
    const host = await h.waitFor('host-sample');
    // Running domains only.
    expect(host.sample.vmCount).toBe(1);
    expect(h.session.vms().map((v) => v.lastSeen !== null)).toEqual([true, true]);
  });

  it("reports the daemon's name, versions and host UUID once attached", async () => {
    const h = start([RUNNING_NO_BALLOON]);
    await h.waitFor('host-status', (e) => e.status === 'up');
    expect(h.of('host-libvirt').map((e) => e.libvirt)).toEqual([
      {
        hostname: 'fake-host',
        libvirtVersion: '9.0.0',
        hypervisorVersion: '7.2.0',
        hostUuid: FAKE_HOST_UUID,
      },
    ]);
    expect(daemon?.latest.calls).toContain(Remote.CONNECT_GET_CAPABILITIES);
  });

  it('reports no host UUID, and still attaches, when the capabilities are refused', async () => {
    const h = start([RUNNING_NO_BALLOON], localTarget, (fake) =>
      fake.fail(Remote.CONNECT_GET_CAPABILITIES),
    );
    await h.waitFor('host-status', (e) => e.status === 'up');
    expect(h.of('host-libvirt').map((e) => e.libvirt.hostUuid)).toEqual([null]);
    expect(h.of('inventory-changed').map((e) => e.vm.uuid)).toEqual([RUNNING_NO_BALLOON.uuid]);
  });

  it('says so and reports no host UUID when the capabilities are unreadable', async () => {
    const h = start([RUNNING_NO_BALLOON], localTarget, (fake) => {
      fake.capabilitiesXml = `<capabilities>${'<a>'.repeat(1000)}`;
    });
    await h.waitFor('host-status', (e) => e.status === 'up');
    expect(h.of('host-libvirt').map((e) => e.libvirt.hostUuid)).toEqual([null]);
    expect(h.of('warning').map((e) => e.message)).toEqual([
      expect.stringMatching(/^capabilities XML: elements nested deeper than 32/),
    ]);
  });

  it('reads a domain again on a lifecycle event and reports the new state', async () => {
    const h = start([RUNNING_NO_BALLOON]);
    await h.waitFor('host-status', (e) => e.status === 'up');
    const from = h.events.length;
    (daemon as FakeLibvirtd).domains.get(RUNNING_NO_BALLOON.uuid)!.state = 3;
    daemon!.lifecycle(RUNNING_NO_BALLOON.uuid, EVENT_SUSPENDED);
    const event = await h.waitFor('vm-event', () => true, from);
    expect(event.event).toMatchObject({ kind: 'lifecycle', event: 'suspended' });
    const updated = await h.waitFor('inventory-changed', (e) => e.change === 'updated', from);
    expect(updated.vm).toMatchObject({ uuid: RUNNING_NO_BALLOON.uuid, state: 'paused' });
  });

  it('sets the balloon period once per running domain with a virtio balloon and none', async () => {
    const h = start([RUNNING_BALLOON, RUNNING_NO_BALLOON, RUNNING_WITH_PERIOD, PAUSED_BALLOON]);
    await h.waitFor('host-status', (e) => e.status === 'up');
    const updated = await h.waitFor(
      'inventory-changed',
      (e) => e.vm.uuid === RUNNING_BALLOON.uuid && e.vm.balloon?.statsPeriodSec === 2,
    );
    expect(updated.change).toBe('updated');
    // Events and polls that re-read the domain do not set it again.
    daemon!.lifecycle(RUNNING_BALLOON.uuid, EVENT_RESUMED);
    await h.waitFor('poll-complete', (e) => e.vmSamples > 0);
    await h.waitFor('poll-complete', () => h.of('poll-complete').length >= 3);
    expect(daemon!.periodsSet).toEqual([{ uuid: RUNNING_BALLOON.uuid, periodSec: 2 }]);

    // The paused one gets its period when it runs.
    daemon!.domains.get(PAUSED_BALLOON.uuid)!.state = 1;
    daemon!.lifecycle(PAUSED_BALLOON.uuid, EVENT_RESUMED);
    await h.waitFor(
      'inventory-changed',
      (e) => e.vm.uuid === PAUSED_BALLOON.uuid && e.vm.balloon?.statsPeriodSec === 2,
    );
    expect(daemon!.periodsSet).toEqual([
      { uuid: RUNNING_BALLOON.uuid, periodSec: 2 },
      { uuid: PAUSED_BALLOON.uuid, periodSec: 2 },
    ]);
  });

  it('never changes a domain when the target turns the balloon period off', async () => {
    const h = start([RUNNING_BALLOON], { ...localTarget, memoryStatsPeriodSec: 0 });
    await h.waitFor('poll-complete', () => h.of('poll-complete').length >= 2);
    expect(daemon!.periodsSet).toEqual([]);
  });

  it('is degraded when the daemon hangs up, reconnects, and samples again', async () => {
    const h = start([RUNNING_NO_BALLOON]);
    await h.waitFor('vm-sample');
    const from = h.events.length;
    daemon!.dropAll();
    const degraded = await h.waitFor('host-status', (e) => e.status === 'degraded', from);
    expect(degraded.libvirtError).not.toBeNull();
    expect(degraded.procError).toBeNull();
    await h.waitFor('host-status', (e) => e.status === 'up', from);
    expect(daemon!.connections.length).toBe(2);
    const after = h.events.length;
    // Samples resume on the new connection.
    const next = await h.waitFor('vm-sample', () => true, after);
    expect(next.sample.uuid).toBe(RUNNING_NO_BALLOON.uuid);
    expect(h.session.pollCounters().polls).toBeGreaterThanOrEqual(3);
  });

  it("ignores a replaced connection's late replies", async () => {
    const fake = new FakeLibvirtd([RUNNING_NO_BALLOON, RUNNING_BALLOON]);
    daemon = fake;
    // The first connection: the first domain's state read fails, which ends that attachment
    // while the second domain's XML is still on its way; it arrives (marked with 7 vCPUs)
    // after the session has let the connection go.
    fake.xmlVcpusOverride = 7;
    fake.hold(Remote.DOMAIN_GET_XML_DESC, 0);
    fake.fail(Remote.DOMAIN_GET_STATE);
    harness = new Harness(localTarget, { connectLibvirt: fake.connect });
    const h = harness;
    const closing = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (fake.connections[0]?.calls.includes(Remote.CONNECT_CLOSE)) {
          clearInterval(timer);
          resolve();
        }
      }, 5);
    });
    h.session.start();
    await closing;
    fake.xmlVcpusOverride = null;
    await h.waitFor('host-status', (e) => e.status === 'up');
    await h.waitFor('poll-complete', (e) => e.vmSamples === 2);
    expect(fake.connections.length).toBe(2);
    const vcpus = h.of('inventory-changed').map((e) => e.vm.vcpus);
    expect(vcpus).not.toContain(7);
    expect(h.session.vms().map((v) => v.vcpus)).toEqual([1, 2]);
    // Nor did the old connection set a balloon period: only the new one did, once.
    expect(fake.periodsSet).toEqual([{ uuid: RUNNING_BALLOON.uuid, periodSec: 2 }]);
  });
});

describe('HostSession over SSH that fails', () => {
  const sshTarget: HostTarget = {
    id: 'remote',
    ssh: { host: '192.0.2.1', username: 'root', auth: { method: 'agent', socket: '/nonexistent' } },
  };

  async function attempts(error: Error): Promise<{ calls: number; harness: Harness }> {
    let calls = 0;
    const harness = new Harness(sshTarget, {
      connectSsh: () => {
        calls++;
        return Promise.reject(error);
      },
    });
    harness.session.start();
    await harness.waitFor('host-status', (e) => e.status === 'unreachable');
    // Long enough for several 50 ms retries.
    await new Promise((resolve) => setTimeout(resolve, 400));
    await harness.session.stop();
    return { calls, harness };
  }

  it('stops retrying on a failure the user must mend (a refused login)', async () => {
    const { calls, harness } = await attempts(new SshError('auth-failed', 'root@host: refused'));
    expect(calls).toBe(1);
    const unreachable = harness.of('host-status').find((e) => e.status === 'unreachable');
    expect(unreachable).toMatchObject({ retryAt: null, failedAttempts: 1 });
    expect(unreachable?.reason).toMatch(/refused/);
  });

  it('asks the error itself whether it is permanent, not a list of codes', async () => {
    /** A failure the SSH layer judges permanent under a code that is usually passing. */
    class MustActFirst extends SshError {
      override get permanent(): boolean {
        return true;
      }
    }
    const { calls } = await attempts(new MustActFirst('protocol', 'root@host: refused for now'));
    expect(calls).toBe(1);
  });

  it('blames a refused connection, not the missing agent it never got to use', async () => {
    const saved = process.env.SSH_AUTH_SOCK;
    delete process.env.SSH_AUTH_SOCK;
    const harness = new Harness(
      {
        id: 'closed-port',
        ssh: { host: '127.0.0.1', port: 1, username: 'root', auth: { method: 'agent' } },
      },
      {},
    );
    try {
      harness.session.start();
      const unreachable = await harness.waitFor('host-status', (e) => e.status === 'unreachable');
      expect(unreachable.reason).toMatch(/ECONNREFUSED/);
      expect(unreachable.reason).not.toMatch(/agent/i);
    } finally {
      await harness.session.stop();
      if (saved !== undefined) process.env.SSH_AUTH_SOCK = saved;
    }
  });

  it('keeps retrying, with backoff, a failure time may mend (a timeout)', async () => {
    const { calls, harness } = await attempts(new SshError('timeout', 'root@host: timed out'));
    expect(calls).toBeGreaterThanOrEqual(3);
    const statuses = harness.of('host-status').filter((e) => e.status === 'unreachable');
    expect(statuses[0]?.retryAt).not.toBeNull();
    expect(statuses.at(-1)?.failedAttempts).toBeGreaterThanOrEqual(3);
  });
});
