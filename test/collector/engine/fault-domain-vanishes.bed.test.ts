import { afterAll, expect, it } from 'vitest';
import { CollectorEngine } from '../../../src/collector/engine/collector-engine';
import { connectLibvirt, type ConnectOptions } from '../../../src/collector/libvirt/connect';
import type { LibvirtConnection } from '../../../src/collector/libvirt/libvirt-connection';
import { describeBed } from '../../helpers/bed';
import { EngineWatch } from './engine-watch';
import { activeResources, settledLeaks } from './handles';
import { removeThrowawayDomain, writeThrowawayDomainXml } from '../../helpers/throwaway-domain';
import { virsh } from '../../helpers/virsh';
import { OWN_DOMAIN } from './own-domain';

/**
 * The real daemon and a real destroy, timed by wrapping the engine's libvirt connection: the
 * domain is destroyed (and, being transient, vanishes) right after the daemon answered the
 * list call, or right before the stats call.
 */
function connectWithHook(hooks: {
  afterList?: () => void;
  beforeStats?: () => void;
}): (options: ConnectOptions) => Promise<LibvirtConnection> {
  return async (options) => {
    const real = await connectLibvirt(options);
    return new Proxy(real, {
      get(target, prop, receiver) {
        if (prop === 'listAllDomains') {
          return async (flags?: number) => {
            const list = await target.listAllDomains(flags);
            if (!flags) hooks.afterList?.();
            return list;
          };
        }
        if (prop === 'getAllDomainStats') {
          return (...args: Parameters<LibvirtConnection['getAllDomainStats']>) => {
            hooks.beforeStats?.();
            return target.getAllDomainStats(...args);
          };
        }
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
}

/** Starts our domain as a transient one: destroyed, it no longer exists at all. */
function createTransient(uri: string, bedDomain: string): void {
  removeThrowawayDomain(uri, OWN_DOMAIN);
  virsh(uri, 'create', writeThrowawayDomainXml(uri, OWN_DOMAIN, bedDomain));
}

describeBed('fault: a domain destroyed between list and stats', (bed) => {
  const uri = bed.libvirt.uri;
  const bedDomain = bed.domains[0]?.name ?? 'bed-idle';
  afterAll(() => removeThrowawayDomain(uri, OWN_DOMAIN));

  it('between the inventory list and its reads: never listed as present, host up, no crash', async () => {
    createTransient(uri, bedDomain);
    const before = activeResources();
    let armed = true;
    const engine = new CollectorEngine({
      connectLibvirt: connectWithHook({
        afterList: () => {
          if (!armed) return;
          armed = false;
          virsh(uri, 'destroy', OWN_DOMAIN.name);
        },
      }),
    });
    const watch = new EngineWatch(engine);
    engine.addHost({ id: 'local', ssh: null, libvirtUri: uri, pollIntervalMs: 1000 });
    await watch.waitFor('host-status', (e) => e.status === 'up', 30_000);
    await watch.waitFor('poll-complete', (e) => e.vmSamples > 0, 10_000);
    expect(armed).toBe(false);
    const own = engine.inventory('local').find((v) => v.uuid === OWN_DOMAIN.uuid);
    expect(own === undefined || own.gone).toBe(true);
    for (const d of bed.domains) {
      expect(engine.inventory('local').find((v) => v.uuid === d.uuid)?.state).toBe('running');
    }
    expect(watch.of('vm-sample').some((e) => e.sample.uuid === OWN_DOMAIN.uuid)).toBe(false);
    await engine.stop();
    watch.dispose();
    expect(await settledLeaks(before, 5_000)).toEqual({});
    expect(watch.unhandled).toEqual([]);
  }, 90_000);

  it('between two polls: the stats lack it, the inventory marks it gone, sampling goes on', async () => {
    createTransient(uri, bedDomain);
    let destroyAtNextStats = false;
    const engine = new CollectorEngine({
      connectLibvirt: connectWithHook({
        beforeStats: () => {
          if (!destroyAtNextStats) return;
          destroyAtNextStats = false;
          virsh(uri, 'destroy', OWN_DOMAIN.name);
        },
      }),
    });
    const watch = new EngineWatch(engine);
    try {
      engine.addHost({ id: 'local', ssh: null, libvirtUri: uri, pollIntervalMs: 1000 });
      await watch.waitFor('vm-sample', (e) => e.sample.uuid === OWN_DOMAIN.uuid, 30_000);
      destroyAtNextStats = true;
      const gone = await watch.waitFor(
        'inventory-changed',
        (e) => e.vm.uuid === OWN_DOMAIN.uuid && e.change === 'gone',
        10_000,
      );
      expect(gone.event.vm).toMatchObject({ gone: true, name: OWN_DOMAIN.name });
      const next = await watch.waitFor('poll-complete', () => true, 5_000, gone.at);
      expect(next.event.vmSamples).toBeGreaterThanOrEqual(bed.domains.length);
      expect(engine.status('local')?.status).toBe('up');
      expect(watch.of('warning')).toEqual([]);
      expect(watch.unhandled).toEqual([]);
    } finally {
      await engine.stop();
      watch.dispose();
    }
  }, 90_000);
});
