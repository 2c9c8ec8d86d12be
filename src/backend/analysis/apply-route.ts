import { ContractError } from '../../shared/contract/reply';
import type { HostIdentity } from '../../shared/model/host-identity';

/** What the router needs of a saved host: its id and name, the VMs it lists now, its identity. */
export interface RouteCandidate {
  id: string;
  name: string;
  /** UUIDs of the VMs its libvirt lists now (gone ones left out). */
  vmUuids: readonly string[];
  identity: HostIdentity | null;
}

/**
 * The id of the saved host a change to a VM goes to: the one whose libvirt lists the VM
 * now (its history may be from another host it has left since). The same machine saved twice lists it twice: either reaches the
 * same domain, as long as both describe one machine; otherwise nothing is changed.
 */
export function routeApply(
  candidates: readonly RouteCandidate[],
  uuid: string,
  vmName: string,
): string {
  const holders = candidates.filter((host) => host.vmUuids.includes(uuid));
  const [first] = holders;
  if (first === undefined) {
    throw new ContractError(
      'failed',
      `${vmName} (${uuid}) is on no host the console is connected to now; connect its host and try again`,
    );
  }
  const machines = new Set(
    holders.map((host) => (host.identity === null ? null : JSON.stringify(host.identity))),
  );
  if (holders.length > 1 && (machines.size > 1 || machines.has(null))) {
    throw new ContractError(
      'failed',
      `${vmName} (${uuid}) is listed by ${holders.map((h) => h.name).join(' and ')}, which are not known to be one machine; nothing was changed`,
    );
  }
  return first.id;
}
