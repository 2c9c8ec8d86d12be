import type { EngineEvent } from '../shared/model/engine-events';
import type { HostIdentity } from '../shared/model/host-identity';
import type { StoreEvent } from './store-events';

/**
 * A host's identity as the store records it: under `hostKey` when given (a saved host's
 * id), else under its hostname; MySQL's t1_host keys it by IP.
 */
export function storeIdentityOf(identity: HostIdentity, hostKey?: string): StoreEvent {
  return {
    type: 'host-identity',
    host: {
      ...(hostKey === undefined ? {} : { hostKey }),
      name: identity.hostname,
      ip: identity.primaryIp,
      cores: identity.cpuCount,
      memoryBytes: identity.memoryTotalBytes,
    },
  };
}

/**
 * What of the collector engine's stream the store keeps: identities, samples, inventory
 * and VM events. Host status is the engine's live state, not history, and polls are only
 * the caller's cue to flush. `byTarget`: each host's history is keyed by the engine's
 * target id (the backend's saved hosts); else by the hostname the host reports (a
 * one-off `collect --db`, whose targets have no lasting id).
 */
export function storeEventsOf(event: EngineEvent, byTarget = false): StoreEvent[] {
  const keyed = byTarget ? { hostKey: event.hostId } : {};
  switch (event.type) {
    case 'host-identity':
      return [storeIdentityOf(event.identity, keyed.hostKey)];
    case 'host-sample':
      return [{ type: 'host-sample', sample: event.sample, ...keyed }];
    case 'vm-sample':
      return [{ type: 'vm-sample', sample: event.sample, ...keyed }];
    case 'inventory-changed':
      return [
        {
          type: 'vm-inventory',
          ...keyed,
          host: event.host,
          uuid: event.vm.uuid,
          name: event.vm.name,
          state: event.vm.gone ? 'undefined' : event.vm.state,
          vcpus: event.vm.vcpus,
          lct: event.vm.lct,
          connectedNow: event.vm.connectedNow,
          ts: event.ts,
        },
      ];
    case 'vm-event': {
      const detail = event.event;
      if (detail.kind === 'lifecycle') {
        return [
          {
            type: 'vm-event',
            uuid: event.uuid,
            ts: event.ts,
            kind: 'lifecycle',
            detail: detail.event,
          },
        ];
      }
      if (detail.phase !== 'connect' && detail.phase !== 'disconnect') return [];
      return [
        {
          type: 'vm-event',
          uuid: event.uuid,
          ts: event.ts,
          kind: detail.phase === 'connect' ? 'display-connect' : 'display-disconnect',
          detail: detail.address,
        },
      ];
    }
    default:
      return [];
  }
}
