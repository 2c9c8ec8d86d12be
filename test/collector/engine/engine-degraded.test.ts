import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CollectorEngine } from '../../../src/collector/engine/collector-engine';
import type { HostTarget } from '../../../src/collector/engine/host-target';
import { EngineWatch } from './engine-watch';
import { activeResources, settledLeaks } from './handles';

const procRoot = fileURLToPath(new URL('../../fixtures/proc/this-host/t0', import.meta.url));
/** Nothing listens on TCP port 1: libvirt is unreachable on any machine (a URI names no socket). */
const noDaemon = 'qemu+tcp://127.0.0.1:1/system';
/** /proc from a fixture, libvirt nowhere, polled each second. */
const fixtureHost: HostTarget = {
  id: 'fixture',
  ssh: null,
  procRoot,
  libvirtUri: noDaemon,
  pollIntervalMs: 1000,
};

describe('a host whose /proc reads but whose libvirt is not there', () => {
  let engine: CollectorEngine | null = null;
  let watch: EngineWatch | null = null;
  afterEach(async () => {
    await engine?.stop();
    watch?.dispose();
  });

  it('is degraded, says libvirt is the problem, keeps sampling /proc and retries libvirt', async () => {
    const before = activeResources();
    engine = new CollectorEngine({ backoff: { initialMs: 100, random: () => 0 } });
    watch = new EngineWatch(engine);
    engine.addHost(fixtureHost);

    const degraded = await watch.waitFor('host-status', (e) => e.status === 'degraded', 5_000);
    expect(degraded.event.procError).toBeNull();
    expect(degraded.event.libvirtError).toMatch(/ECONNREFUSED/);
    expect(degraded.event.reason).toMatch(/^libvirt: /);
    expect(typeof degraded.event.retryAt).toBe('number');

    const sample = await watch.waitFor('host-sample', () => true, 5_000);
    expect(sample.event.sample.vmCount).toBeNull();
    expect(sample.event.sample.cpu.percent).not.toBeNaN();

    // 100, 200, 400 ms: the retries come quicker than the polls.
    await watch.waitFor(
      'host-status',
      (e) => e.failedAttempts >= 0 && watch!.of('host-status').length >= 5,
      5_000,
    );
    const retryTimes = new Set(
      watch
        .of('host-status')
        .map((e) => e.retryAt)
        .filter((t) => t !== null),
    );
    expect(retryTimes.size).toBeGreaterThanOrEqual(3);
    expect(engine.status('fixture')?.status).toBe('degraded');
    expect(engine.inventory('fixture')).toEqual([]);

    await engine.stop();
    const last = watch.of('host-status').at(-1);
    expect(last?.status).toBe('stopped');
    expect(await settledLeaks(before)).toEqual({});
    expect(watch.unhandled).toEqual([]);
  });

  it('refuses a second host with the same id and a bad interval, with typed errors', () => {
    engine = new CollectorEngine();
    engine.addHost({ id: 'a', ssh: null, procRoot, libvirtUri: noDaemon });
    expect(() => engine!.addHost({ id: 'a', ssh: null, procRoot })).toThrow(/already watched/);
    expect(() => engine!.addHost({ id: 'b', ssh: null, pollIntervalMs: 100 })).toThrow(/1 to 60 s/);
    expect(engine.hostIds()).toEqual(['a']);
  });

  it('keeps going when a listener throws', async () => {
    const errors: unknown[] = [];
    engine = new CollectorEngine({ onListenerError: (e) => errors.push(e) });
    watch = new EngineWatch(engine);
    engine.on(() => {
      throw new Error('listener bug');
    });
    engine.addHost(fixtureHost);
    await watch.waitFor('host-sample', () => true, 5_000);
    expect(errors.length).toBeGreaterThan(0);
    expect((errors[0] as Error).message).toBe('listener bug');
  });

  it('ends a removed host with a stopped status and forgets it', async () => {
    engine = new CollectorEngine();
    watch = new EngineWatch(engine);
    engine.addHost({ id: 'fixture', ssh: null, procRoot, libvirtUri: noDaemon });
    await watch.waitFor('host-status', (e) => e.status === 'degraded', 5_000);
    await engine.removeHost('fixture');
    expect(watch.of('host-status').at(-1)?.status).toBe('stopped');
    expect(engine.hostIds()).toEqual([]);
    expect(engine.status('fixture')).toBeUndefined();
  });
});
