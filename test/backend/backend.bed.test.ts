import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type {
  HostPollEvent,
  HostTestResult,
  HostView,
  InventoryHost,
} from '../../src/shared/model/host-view';
import type { HistoryResult } from '../../src/shared/contract/requests';
import { describeBed } from '../helpers/bed';
import { ok, startBackend, tcpSockets, until, type BackendRun } from './backend-harness';

/** A fresh ed25519 public key as known_hosts writes it: not the bed's. */
function otherEd25519Key(): string {
  const der = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' });
  const field = (bytes: Buffer): Buffer => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return Buffer.concat([length, bytes]);
  };
  return Buffer.concat([field(Buffer.from('ssh-ed25519')), field(der.subarray(-32))]).toString(
    'base64',
  );
}

describeBed('the backend in plain Node, against the bed', (bed) => {
  let run: BackendRun;
  let socketsBefore = 0;
  beforeAll(async () => {
    run = await startBackend();
    socketsBefore = tcpSockets();
  });
  afterAll(async () => {
    await run?.close();
  });

  const polls = (): HostPollEvent[] =>
    run.events
      .filter((e) => e.name === 'host.poll')
      .map((e) => e.payload as HostPollEvent)
      .filter((p) => p.host === 'bed');

  it('adds the bed sshd: unknown key → fingerprint → accept → up', async () => {
    ok<HostView>(
      await run.request('hosts.add', {
        name: 'bed',
        ssh: {
          host: bed.ssh.host,
          port: bed.ssh.port,
          username: bed.ssh.user,
          auth: { method: 'key', identityFile: bed.ssh.identityFile },
        },
        pollIntervalSec: 1,
      }),
    );
    // Its key is in no known_hosts of this backend: the engine stops, and says why.
    const refused = await until('the unknown key', async () => {
      const hosts = ok<HostView[]>(await run.request('hosts.list'));
      const host = hosts.find((h) => h.name === 'bed');
      return host?.status.status === 'unreachable' ? host : undefined;
    });
    expect(refused.status.reason).toMatch(/host key not known/);

    const tested = ok<HostTestResult>(await run.request('hosts.test', { name: 'bed' }));
    expect(tested.steps.map((s) => [s.step, s.result])).toEqual([
      ['tcp', 'ok'],
      ['host-key', 'failed'],
      ['auth', 'skipped'],
      ['proc', 'skipped'],
      ['libvirt', 'skipped'],
    ]);
    const fingerprint = tested.unknownHostKey?.fingerprint ?? '';
    expect(fingerprint).toMatch(/^SHA256:/);

    // Only the key shown is trusted.
    const other = `SHA256:${'A'.repeat(43)}`;
    expect(await run.request('hosts.acceptKey', { name: 'bed', fingerprint: other })).toMatchObject(
      { error: { code: 'failed' } },
    );
    ok(await run.request('hosts.acceptKey', { name: 'bed', fingerprint }));
    await until('the bed up', async () => {
      const hosts = ok<HostView[]>(await run.request('hosts.list'));
      return hosts.find((h) => h.name === 'bed' && h.status.status === 'up');
    });
    const statuses = run.events
      .filter((e) => e.name === 'host.status')
      .map((e) => e.payload as { host: string; status: { status: string } })
      .filter((e) => e.host === 'bed')
      .map((e) => e.status.status);
    expect(statuses).toContain('unreachable');
    expect(statuses.at(-1)).toBe('up');
    const retested = ok<HostTestResult>(await run.request('hosts.test', { name: 'bed' }));
    expect(retested.steps.every((s) => s.result === 'ok')).toBe(true);
    expect(retested.unknownHostKey).toBeNull();
  });

  it('lists the bed VMs in the inventory with their states and figures', async () => {
    const host = await until('the bed VMs with figures', async () => {
      const inventory = ok<InventoryHost[]>(await run.request('inventory'));
      const bedHost = inventory.find((h) => h.name === 'bed');
      const uuids = new Set(bedHost?.vms.filter((vm) => vm.figures).map((vm) => vm.uuid));
      return bed.domains.every((d) => uuids.has(d.uuid)) ? bedHost : undefined;
    });
    expect(host.identity?.cpuCount).toBeGreaterThan(0);
    const added = run.events
      .filter((e) => e.name === 'inventory.changed')
      .map((e) => e.payload as { host: string; change: string; vm: { uuid: string } })
      .filter((e) => e.host === 'bed' && e.change === 'added')
      .map((e) => e.vm.uuid);
    expect(new Set(added)).toEqual(new Set(bed.domains.map((d) => d.uuid)));
    expect(host.figures?.cpuPercent).not.toBeNull();
    for (const domain of bed.domains) {
      const vm = host.vms.find((v) => v.uuid === domain.uuid);
      expect(vm).toMatchObject({ name: domain.name, state: 'running', gone: false });
    }
  });

  it('publishes one host.poll per poll (1 s), with every VM in it', async () => {
    const before = polls().length;
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const fresh = polls().slice(before);
    expect(fresh.length).toBeGreaterThanOrEqual(3);
    expect(fresh.length).toBeLessThanOrEqual(5);
    const last = fresh.at(-1);
    for (const domain of bed.domains) {
      expect(last?.vms.some((vm) => vm.uuid === domain.uuid)).toBe(true);
    }
  });

  it('answers history from what was stored', async () => {
    const toMs = Date.now() + 1_000;
    const result = ok<HistoryResult>(
      await run.request('history', {
        entity: { kind: 'vm', uuid: bed.domains[0]?.uuid },
        metrics: ['cpuHostPercent'],
        fromMs: toMs - 120_000,
        toMs,
        maxPoints: 1_000,
      }),
    );
    expect(result.points.length).toBeGreaterThanOrEqual(3);
    expect(result.points.every((p) => p.n >= 1)).toBe(true);
    const hostHistory = ok<HistoryResult>(
      await run.request('history', {
        entity: { kind: 'host', name: 'bed' },
        metrics: ['cpuPercent'],
        fromMs: toMs - 120_000,
        toMs,
        maxPoints: 1_000,
      }),
    );
    expect(hostHistory.points.length).toBeGreaterThanOrEqual(3);
  });

  it('refuses a changed host key loudly, and accepting cannot override it', async () => {
    const knownHosts = join(run.dir, 'config', 'known_hosts');
    const accepted = readFileSync(knownHosts, 'utf8');
    writeFileSync(
      knownHosts,
      `[${bed.ssh.host}]:${bed.ssh.port} ssh-ed25519 ${otherEd25519Key()}\n`,
    );
    try {
      const tested = ok<HostTestResult>(await run.request('hosts.test', { name: 'bed' }));
      expect(tested.steps.find((s) => s.step === 'host-key')).toMatchObject({
        result: 'failed',
        error: expect.stringMatching(/HOST KEY CHANGED/),
      });
      expect(tested.unknownHostKey).toBeNull();
      const presented = /presented ssh-ed25519 (SHA256:\S+)/.exec(
        tested.steps.find((s) => s.step === 'host-key')?.error ?? '',
      )?.[1];
      expect(
        await run.request('hosts.acceptKey', { name: 'bed', fingerprint: presented }),
      ).toMatchObject({ error: { code: 'failed' } });
      expect(readFileSync(knownHosts, 'utf8')).not.toContain(accepted.split(' ')[2] ?? '-');
    } finally {
      writeFileSync(knownHosts, accepted);
    }
  });

  it('stops polling a removed host and closes its connection', async () => {
    expect(tcpSockets()).toBeGreaterThan(socketsBefore);
    ok(await run.request('hosts.remove', { name: 'bed' }));
    const after = polls().length;
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(polls().length).toBe(after);
    expect(tcpSockets()).toBe(socketsBefore);
    const hosts = ok<HostView[]>(await run.request('hosts.list'));
    expect(hosts.map((h) => h.name)).not.toContain('bed');
  });
});
