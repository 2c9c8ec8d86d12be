import { describe, expect, it } from 'vitest';
import { routeApply, type RouteCandidate } from '../../../src/backend/analysis/apply-route';
import type { HostIdentity } from '../../../src/shared/model/host-identity';

const vm = '5e7a0b0d-0000-4000-8000-000000000001';
const identity = (hostname: string, memoryTotalBytes: number): HostIdentity => ({
  hostname,
  primaryIp: '10.0.0.1',
  cpuCount: 8,
  cpuModel: 'x',
  memoryTotalBytes,
  kernelRelease: '6.1.0',
});

describe('routeApply', () => {
  it('goes to the host that lists the VM, not the first one with its hostname', () => {
    // Two machines that both call themselves kvm (the history names hosts by hostname).
    const hosts: RouteCandidate[] = [
      { id: 'kvm-a', name: 'kvm-a', vmUuids: [], identity: identity('kvm', 64e9) },
      { id: 'kvm-b', name: 'kvm-b', vmUuids: [vm], identity: identity('kvm', 128e9) },
    ];
    expect(routeApply(hosts, vm, 'desk')).toBe('kvm-b');
  });

  it('refuses when no connected host lists the VM', () => {
    expect(() =>
      routeApply([{ id: 'kvm-a', name: 'kvm-a', vmUuids: [], identity: null }], vm, 'desk'),
    ).toThrow(/is on no host the console is connected to now/);
  });

  it('takes either of one machine saved twice', () => {
    const same = identity('kvm', 64e9);
    const hosts: RouteCandidate[] = [
      { id: 'local', name: 'local', vmUuids: [vm], identity: same },
      { id: 'over-ssh', name: 'over-ssh', vmUuids: [vm], identity: { ...same } },
    ];
    expect(routeApply(hosts, vm, 'desk')).toBe('local');
  });

  it('changes nothing when two different machines list the same UUID', () => {
    const hosts: RouteCandidate[] = [
      { id: 'kvm-a', name: 'kvm-a', vmUuids: [vm], identity: identity('kvm', 64e9) },
      { id: 'kvm-b', name: 'kvm-b', vmUuids: [vm], identity: identity('kvm', 128e9) },
    ];
    expect(() => routeApply(hosts, vm, 'desk')).toThrow(/not known to be one machine/);
    const unknown: RouteCandidate[] = [
      { id: 'kvm-a', name: 'kvm-a', vmUuids: [vm], identity: null },
      { id: 'kvm-b', name: 'kvm-b', vmUuids: [vm], identity: null },
    ];
    expect(() => routeApply(unknown, vm, 'desk')).toThrow(/not known to be one machine/);
  });
});
