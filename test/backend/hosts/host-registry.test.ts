import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SavedHost } from '../../../src/collector/hosts-config/saved-host';
import { HostRegistry } from '../../../src/backend/hosts/host-registry';
import { tempDir } from '../../store/temp-db';
import { MemorySecretStore } from '../memory-secret-store';

const sshHost = (name: string): Omit<SavedHost, 'id'> => ({
  name,
  ssh: {
    host: '10.0.0.7',
    port: 22,
    username: 'root',
    auth: 'password',
    identityFile: null,
    knownHostsFile: null,
  },
  libvirtUri: 'qemu:///system',
  pollIntervalSec: 2,
  memoryStatsPeriodSec: 2,
});

const pending = {
  host: '10.0.0.7',
  port: 22,
  keyType: 'ssh-ed25519',
  fingerprint: `SHA256:${'B'.repeat(43)}`,
  publicKeyBase64: 'AAAAC3NzaC1lZDI1NTE5AAAAIBbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
};

describe('HostRegistry: the saved hosts, their secrets and pending keys', () => {
  let tmp: ReturnType<typeof tempDir>;
  let secrets: MemorySecretStore;
  const open = (firstHost?: () => Omit<SavedHost, 'id'>) =>
    HostRegistry.open({
      hostsPath: tmp.file('hosts.json'),
      secrets,
      ...(firstHost ? { firstHost } : {}),
    });
  beforeEach(() => {
    tmp = tempDir();
    secrets = new MemorySecretStore();
  });
  afterEach(() => tmp.remove());

  it('saves the first host only when there is no hosts.json yet', async () => {
    const first = await open(() => sshHost('here'));
    expect(first.all.map((h) => h.name)).toEqual(['here']);
    await first.remove(first.all[0]?.id ?? '');
    // Removed by the admin: not added back on the next start.
    expect((await open(() => sshHost('here'))).all).toEqual([]);
  });

  it('gives each host an id that a rename keeps, and refuses a name in use', async () => {
    const registry = await open();
    const a = await registry.add(sshHost('가상 서버 1'), { password: 'pw-a' });
    const b = await registry.add(sshHost('lab'));
    expect(a.id).not.toBe(b.id);
    await expect(registry.add(sshHost('lab'))).rejects.toThrow(/a host named 'lab' exists/);
    await registry.update({ ...a, name: 'renamed' });
    await expect(registry.update({ ...b, name: 'renamed' })).rejects.toThrow(/exists already/);
    const again = await open();
    expect(again.get(a.id).name).toBe('renamed');
    expect(await again.secretsOf(again.get(a.id))).toEqual({ password: 'pw-a' });
    expect(() => again.get('ghost')).toThrow(/no saved host has the id 'ghost'/);
  });

  it('replaces secrets only when new ones are given, and drops them with the host', async () => {
    const registry = await open();
    const host = await registry.add(sshHost('kvm'), { password: 'first' });
    await registry.update({ ...host, pollIntervalSec: 5 });
    expect(await registry.secretsOf(host)).toEqual({ password: 'first' });
    await registry.update(host, { passphrase: 'second' });
    expect(await registry.secretsOf(host)).toEqual({ passphrase: 'second' });
    await registry.remove(host.id);
    expect(secrets.values.size).toBe(0);
  });

  it('gives ids to hosts saved before hosts had them, and moves their secrets to the id', async () => {
    const { id: _id, ...old } = { id: '', ...sshHost('old kvm') };
    writeFileSync(tmp.file('hosts.json'), JSON.stringify({ version: 1, hosts: [old] }));
    await secrets.set('ssh-password:old kvm', 'kept');
    const registry = await open();
    const [host] = registry.all;
    expect(host?.id).toMatch(/^[0-9a-f-]{36}$/);
    // Written back at once: the next start finds the same id.
    expect(JSON.parse(readFileSync(tmp.file('hosts.json'), 'utf8')).hosts[0].id).toBe(host?.id);
    expect((await open()).all[0]?.id).toBe(host?.id);
    expect(await registry.secretsOf(host as SavedHost)).toEqual({ password: 'kept' });
    expect([...secrets.values.keys()]).toEqual([`ssh-password#${host?.id}`]);
  });

  it('trusts only the key a test showed, once', async () => {
    const registry = await open();
    const host = await registry.add(sshHost('kvm'));
    const knownHosts = tmp.file('known_hosts');
    await expect(registry.acceptKey(host.id, pending.fingerprint, knownHosts)).rejects.toThrow(
      /is not the key hosts.test was shown/,
    );
    registry.rememberKey(host.id, pending);
    await expect(
      registry.acceptKey(host.id, `SHA256:${'C'.repeat(43)}`, knownHosts),
    ).rejects.toThrow(/is not the key/);
    await registry.acceptKey(host.id, pending.fingerprint, knownHosts);
    expect(readFileSync(knownHosts, 'utf8')).toContain(pending.publicKeyBase64);
    await expect(registry.acceptKey(host.id, pending.fingerprint, knownHosts)).rejects.toThrow(
      /is not the key/,
    );
  });
});
