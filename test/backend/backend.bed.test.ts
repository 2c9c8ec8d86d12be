import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type {
  HostDetailEvent,
  HostPollEvent,
  HostTestResult,
  HostView,
  InventoryHost,
  VmDetailEvent,
} from '../../src/shared/model/host-view';
import type {
  DeviceHistoryResult,
  ExportResult,
  HistoryResult,
} from '../../src/shared/contract/requests';
import { vmTopic, type Topic } from '../../src/shared/contract/topics';
import { describeBed } from '../helpers/bed';
import { libvirtVersions } from '../helpers/libvirt-versions';
import { ok, startBackend, tcpSockets, until, type BackendRun } from './backend-harness';
import { bedSshSettings } from '../helpers/bed-ssh';

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
  /** The saved bed host's id: what events and requests name it by. */
  let bedId = '';
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
      .filter((p) => p.hostId === bedId);
  const details = (): HostDetailEvent[] =>
    run.events
      .filter((e) => e.name === 'host.detail')
      .map((e) => e.payload as HostDetailEvent)
      .filter((p) => p.hostId === bedId);

  it('adds the bed sshd: unknown key → fingerprint → accept → up', async () => {
    const added = ok<HostView>(
      await run.request('hosts.add', {
        name: 'bed',
        ssh: bedSshSettings(bed),
        pollIntervalSec: 1,
      }),
    );
    bedId = added.id;
    // Its key is in no known_hosts of this backend: the engine stops, and says why.
    const refused = await until('the unknown key', async () => {
      const hosts = ok<HostView[]>(await run.request('hosts.list'));
      const host = hosts.find((h) => h.name === 'bed');
      return host?.status.status === 'unreachable' ? host : undefined;
    });
    expect(refused.status.reason).toMatch(/host key not known/);

    const tested = ok<HostTestResult>(
      await run.request('hosts.test', { id: await run.idOf('bed') }),
    );
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
    expect(
      await run.request('hosts.acceptKey', { id: await run.idOf('bed'), fingerprint: other }),
    ).toMatchObject({ error: { code: 'failed' } });
    ok(await run.request('hosts.acceptKey', { id: await run.idOf('bed'), fingerprint }));
    await until('the bed up', async () => {
      const hosts = ok<HostView[]>(await run.request('hosts.list'));
      return hosts.find((h) => h.name === 'bed' && h.status.status === 'up');
    });
    const statuses = run.events
      .filter((e) => e.name === 'host.status')
      .map((e) => e.payload as { hostId: string; status: { status: string } })
      .filter((e) => e.hostId === bedId)
      .map((e) => e.status.status);
    expect(statuses).toContain('unreachable');
    expect(statuses.at(-1)).toBe('up');
    const retested = ok<HostTestResult>(
      await run.request('hosts.test', { id: await run.idOf('bed') }),
    );
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
    const versions = libvirtVersions(bed.libvirt.uri);
    expect(host.libvirt).toMatchObject({
      libvirtVersion: versions.daemon,
      hypervisorVersion: versions.hypervisor,
    });
    const added = run.events
      .filter((e) => e.name === 'inventory.changed')
      .map((e) => e.payload as { hostId: string; change: string; vm: { uuid: string } })
      .filter((e) => e.hostId === bedId && e.change === 'added')
      .map((e) => e.vm.uuid);
    expect(new Set(added)).toEqual(new Set(bed.domains.map((d) => d.uuid)));
    expect(host.figures?.cpuPercent).not.toBeNull();
    for (const domain of bed.domains) {
      const vm = host.vms.find((v) => v.uuid === domain.uuid);
      expect(vm).toMatchObject({ name: domain.name, state: 'running', gone: false });
    }
  });

  it('publishes one host.poll and one host.detail per poll (1 s), with every VM', async () => {
    const before = polls().length;
    const detailsBefore = details().length;
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const fresh = polls().slice(before);
    expect(fresh.length).toBeGreaterThanOrEqual(3);
    expect(fresh.length).toBeLessThanOrEqual(5);
    // Other domains may share this libvirtd: the bed's are among those counted.
    expect(fresh.at(-1)?.vms.running).toBeGreaterThanOrEqual(bed.domains.length);
    expect(fresh.at(-1)?.figures?.cpuPercent).toEqual(expect.any(Number));
    const freshDetails = details().slice(detailsBefore);
    expect(freshDetails.length).toBe(fresh.length);
    const last = freshDetails.at(-1);
    expect(last?.sample?.disk.devices.length).toBeGreaterThan(0);
    for (const domain of bed.domains) {
      expect(last?.vms.some((vm) => vm.uuid === domain.uuid)).toBe(true);
    }
  });

  it('builds only the topics a page wants: no host.detail, vm.detail for one VM', async () => {
    const watched = bed.domains[0]?.uuid ?? '';
    run.wanted = new Set<Topic>(['overview', vmTopic(watched)]);
    try {
      const mark = run.events.length;
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const fresh = run.events.slice(mark);
      expect(fresh.filter((e) => e.name === 'host.poll').length).toBeGreaterThanOrEqual(2);
      expect(fresh.filter((e) => e.name === 'host.detail')).toEqual([]);
      const vmDetails = fresh
        .filter((e) => e.name === 'vm.detail')
        .map((e) => e.payload as VmDetailEvent);
      expect(vmDetails.length).toBeGreaterThanOrEqual(2);
      expect(new Set(vmDetails.map((d) => d.uuid))).toEqual(new Set([watched]));
      expect(vmDetails.at(-1)?.sample.disk.devices?.length).toBeGreaterThan(0);
    } finally {
      run.wanted = 'all';
    }
  });

  it('exports a VM and a host over a range, as CSV and JSON', async () => {
    const toMs = Date.now() + 1_000;
    const csv = ok<ExportResult>(
      await run.request('export', {
        entity: { kind: 'vm', uuid: bed.domains[0]?.uuid },
        fromMs: toMs - 120_000,
        toMs,
        format: 'csv',
      }),
    );
    expect(csv.mimeType).toBe('text/csv');
    const lines = csv.content.trim().split('\n');
    expect(lines[0]).toMatch(/^time,ts,/);
    expect(lines.length - 1).toBe(csv.rows);
    expect(csv.rows).toBeGreaterThanOrEqual(3);
    // Named by what it is about, the VM's name, and the range.
    expect(csv.fileName).toMatch(new RegExp(`^${bed.domains[0]?.name}_.*\\.csv$`));
    const json = ok<ExportResult>(
      await run.request('export', {
        entity: { kind: 'host', id: await run.idOf('bed') },
        fromMs: toMs - 120_000,
        toMs,
        format: 'json',
      }),
    );
    const rows = JSON.parse(json.content) as { ts: number }[];
    // A host's file by its saved name, not its history's hostname.
    expect(json.fileName).toMatch(/^bed_.*\.json$/);
    expect(rows.length).toBe(json.rows);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.every((r) => r.ts >= toMs - 120_000 && r.ts < toMs)).toBe(true);
    expect(
      await run.request('export', {
        entity: { kind: 'host', id: await run.idOf('bed') },
        fromMs: toMs,
        toMs: toMs - 1,
        format: 'csv',
      }),
    ).toMatchObject({ error: { code: 'bad-request' } });
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
        entity: { kind: 'host', id: await run.idOf('bed') },
        metrics: ['cpuPercent'],
        fromMs: toMs - 120_000,
        toMs,
        maxPoints: 1_000,
      }),
    );
    expect(hostHistory.points.length).toBeGreaterThanOrEqual(3);
    // Each interface of the host, from the raw samples: the bed's own tap devices there.
    const devices = ok<DeviceHistoryResult>(
      await run.request('history.devices', {
        entity: { kind: 'host', id: await run.idOf('bed') },
        fromMs: toMs - 120_000,
        toMs,
        maxPoints: 600,
      }),
    );
    const tap = devices.nics.find((n) => n.name === 'bedtap-net');
    expect(tap?.points.length).toBeGreaterThanOrEqual(3);
    expect(tap?.points.some((p) => (p.bytesPerSec ?? 0) > 0)).toBe(true);
    expect(devices.keptFromMs).toBeLessThan(toMs - 120_000);
  });

  it('refuses a changed host key loudly, and accepting cannot override it', async () => {
    const knownHosts = join(run.dir, 'config', 'known_hosts');
    const accepted = readFileSync(knownHosts, 'utf8');
    writeFileSync(
      knownHosts,
      `[${bed.ssh.host}]:${bed.ssh.port} ssh-ed25519 ${otherEd25519Key()}\n`,
    );
    try {
      const tested = ok<HostTestResult>(
        await run.request('hosts.test', { id: await run.idOf('bed') }),
      );
      expect(tested.steps.find((s) => s.step === 'host-key')).toMatchObject({
        result: 'failed',
        error: expect.stringMatching(/HOST KEY CHANGED/),
      });
      expect(tested.unknownHostKey).toBeNull();
      const presented = /presented ssh-ed25519 (SHA256:\S+)/.exec(
        tested.steps.find((s) => s.step === 'host-key')?.error ?? '',
      )?.[1];
      expect(
        await run.request('hosts.acceptKey', { id: await run.idOf('bed'), fingerprint: presented }),
      ).toMatchObject({ error: { code: 'failed' } });
      expect(readFileSync(knownHosts, 'utf8')).not.toContain(accepted.split(' ')[2] ?? '-');
    } finally {
      writeFileSync(knownHosts, accepted);
    }
  });

  it('stops polling a removed host and closes its connection', async () => {
    expect(tcpSockets()).toBeGreaterThan(socketsBefore);
    ok(await run.request('hosts.remove', { id: await run.idOf('bed') }));
    const after = polls().length;
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(polls().length).toBe(after);
    expect(tcpSockets()).toBe(socketsBefore);
    const hosts = ok<HostView[]>(await run.request('hosts.list'));
    expect(hosts.map((h) => h.name)).not.toContain('bed');
  });
});
