import { useEffect, useState } from 'react';
import type { ContractClient } from '../../shared/contract/browser';
import type { HostStatus } from '../../shared/model/engine-events';
import type { HostIdentity } from '../../shared/model/host-identity';
import type { HostFigures, InventoryHost, VmCounts } from '../../shared/model/host-view';
import { countVms } from '../../shared/model/vm-counts';

/** One host of the overview: what its row shows. */
export interface OverviewHost {
  name: string;
  status: HostStatus;
  identity: HostIdentity | null;
  figures: HostFigures | null;
  vms: VmCounts;
}

export type OverviewState =
  | { state: 'loading' }
  | { state: 'failed'; message: string }
  | { state: 'ready'; hosts: OverviewHost[] };

const rowOf = (host: InventoryHost): OverviewHost => ({
  name: host.name,
  status: host.status,
  identity: host.identity,
  figures: host.figures,
  vms: countVms(host.vms),
});

/**
 * Every saved host with its latest figures: the inventory once, then the overview topic
 * (one host.poll per host per poll) and status changes. A host the page did not know
 * (added elsewhere) makes it read the inventory again.
 */
export function useOverview(client: ContractClient): OverviewState {
  const [state, setState] = useState<OverviewState>({ state: 'loading' });
  useEffect(() => {
    let current = true;
    let reloading = false;
    const load = (): void => {
      reloading = true;
      client.request('inventory').then(
        (inventory) => {
          reloading = false;
          if (current) setState({ state: 'ready', hosts: inventory.map(rowOf) });
        },
        (error: unknown) => {
          reloading = false;
          if (current) {
            setState({
              state: 'failed',
              message: error instanceof Error ? error.message : String(error),
            });
          }
        },
      );
    };
    const update = (name: string, change: (host: OverviewHost) => OverviewHost): void =>
      setState((before) => {
        if (before.state !== 'ready') return before;
        if (!before.hosts.some((h) => h.name === name)) {
          if (!reloading) load();
          return before;
        }
        return { ...before, hosts: before.hosts.map((h) => (h.name === name ? change(h) : h)) };
      });
    const stopPolls = client.subscribe('host.poll', (poll) =>
      update(poll.host, (host) => ({
        ...host,
        status: poll.status,
        figures: poll.figures ?? host.figures,
        vms: poll.vms,
      })),
    );
    const stopStatus = client.subscribe('host.status', ({ host: name, status }) =>
      update(name, (host) => ({ ...host, status })),
    );
    const stopWatching = client.watch('overview');
    load();
    return () => {
      current = false;
      stopWatching();
      stopPolls();
      stopStatus();
    };
  }, [client]);
  return state;
}
