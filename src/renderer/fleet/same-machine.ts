import type { Desktop, FleetHost } from './fleet-store';

/** Saved hosts whose libvirt daemons name one host UUID: one machine added more than once. */
export interface SameMachine {
  hostUuid: string;
  /** The saved hosts that reach it, in the fleet's order; two or more. */
  hosts: string[];
}

/** Every machine saved under more than one host, in the order of its first saved host. */
export function sameMachines(hosts: readonly FleetHost[]): SameMachine[] {
  const byUuid = new Map<string, string[]>();
  for (const host of hosts) {
    const uuid = host.libvirt?.hostUuid;
    if (!uuid) continue;
    const names = byUuid.get(uuid);
    if (names) names.push(host.name);
    else byUuid.set(uuid, [host.name]);
  }
  return [...byUuid]
    .filter(([, names]) => names.length > 1)
    .map(([hostUuid, names]) => ({ hostUuid, hosts: names }));
}

/** For each saved host of a machine saved more than once, the other hosts it is saved as. */
export function sameMachineAs(machines: readonly SameMachine[]): ReadonlyMap<string, string[]> {
  const others = new Map<string, string[]>();
  for (const { hosts } of machines) {
    for (const name of hosts)
      others.set(
        name,
        hosts.filter((other) => other !== name),
      );
  }
  return others;
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
  for (const { hostUuid, hosts: names } of machines) {
    for (const name of names) machineOf.set(name, hostUuid);
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
