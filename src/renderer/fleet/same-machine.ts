import type { Desktop, FleetHost } from './fleet-store';

/** Saved hosts whose libvirt daemons name one host UUID: one machine added more than once. */
export interface SameMachine {
  hostUuid: string;
  /** The ids of the saved hosts that reach it, in the fleet's order; two or more. */
  hosts: string[];
}

/** Every machine saved under more than one host, in the order of its first saved host. */
export function sameMachines(hosts: readonly FleetHost[]): SameMachine[] {
  const byUuid = new Map<string, string[]>();
  for (const host of hosts) {
    const uuid = host.libvirt?.hostUuid;
    if (!uuid) continue;
    const ids = byUuid.get(uuid);
    if (ids) ids.push(host.id);
    else byUuid.set(uuid, [host.id]);
  }
  return [...byUuid]
    .filter(([, ids]) => ids.length > 1)
    .map(([hostUuid, ids]) => ({ hostUuid, hosts: ids }));
}

/** For each saved host (by id) of a machine saved more than once, the other hosts' ids. */
export function sameMachineAs(machines: readonly SameMachine[]): ReadonlyMap<string, string[]> {
  const others = new Map<string, string[]>();
  for (const { hosts } of machines) {
    for (const id of hosts)
      others.set(
        id,
        hosts.filter((other) => other !== id),
      );
  }
  return others;
}

/** The names of the hosts with these ids, in order (an id no host has stands for itself). */
export function hostNames(hosts: readonly FleetHost[], ids: readonly string[]): string[] {
  const names = new Map(hosts.map((host) => [host.id, host.name]));
  return ids.map((id) => names.get(id) ?? id);
}

/**
 * The desktops with each VM once per machine: a VM listed under two saved hosts of one
 * machine counts once, as its first listing says. A host whose daemon named no UUID is a
 * machine of its own, so nothing is merged on a guess.
 */
export function desktopsOncePerMachine(
  desktops: readonly Desktop[],
  hosts: readonly FleetHost[],
): readonly Desktop[] {
  const machines = sameMachines(hosts);
  if (machines.length === 0) return desktops;
  const machineOf = new Map<string, string>();
  for (const { hostUuid, hosts: ids } of machines) {
    for (const id of ids) machineOf.set(id, hostUuid);
  }
  const seen = new Set<string>();
  return desktops.filter((vm) => {
    const machine = machineOf.get(vm.host);
    if (machine === undefined) return true;
    const key = `${machine}/${vm.uuid}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
