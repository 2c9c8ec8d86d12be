import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBackend, type BackendRun } from './backend-harness';

let run: BackendRun;
beforeEach(async () => {
  run = await startBackend();
});
afterEach(async () => {
  await run.close();
});

const ssh = { host: '127.0.0.1', port: 2222, username: 'u', auth: { method: 'agent' } };

describe('backend requests: bad input is a typed error, never a throw', () => {
  it.each([
    ['hosts.add', undefined],
    ['hosts.add', 'web1'],
    ['hosts.add', { name: '' }],
    // A name is free text for people, but not control characters or bidi overrides.
    ['hosts.add', { name: 'a\u202eb' }],
    ['hosts.add', { name: 'a\tb' }],
    ['hosts.add', { name: 'x'.repeat(65) }],
    ['hosts.add', { name: 'h', pollIntervalSec: 0 }],
    ['hosts.add', { name: 'h', pollIntervalSec: 1.5 }],
    ['hosts.add', { name: 'h', pollIntervalSec: '2' }],
    ['hosts.add', { name: 'h', extra: true }],
    ['hosts.add', { name: 'h', ssh: { ...ssh, port: 70000 } }],
    ['hosts.add', { name: 'h', ssh: { ...ssh, auth: { method: 'telnet' } } }],
    ['hosts.add', { name: 'h', ssh: { ...ssh, auth: { method: 'password' } } }],
    ['hosts.add', { name: 'h', ssh: { ...ssh, auth: { method: 'key' } } }],
    // libvirt's client would run the netcat and read the key a URI's query names.
    ['hosts.add', { name: 'h', libvirtUri: 'qemu:///system?netcat=perl&socket=-esystem("id")' }],
    ['hosts.add', { name: 'h', ssh, libvirtUri: 'qemu+ssh://h/system?keyfile=/etc/shadow' }],
    ['hosts.update', { id: 'h', libvirtUri: 'qemu:///system?socket=/tmp/s' }],
    ['hosts.remove', { id: 42 }],
    ['hosts.remove', { name: 'h' }],
    ['hosts.acceptKey', { id: 'h', fingerprint: 'MD5:aa' }],
    [
      'history',
      {
        entity: { kind: 'vm', uuid: 'not-a-uuid' },
        metrics: ['cpuHostPercent'],
        fromMs: 0,
        toMs: 1,
        maxPoints: 10,
      },
    ],
    [
      'history',
      { entity: { kind: 'host', id: 'h' }, metrics: [], fromMs: 0, toMs: 1, maxPoints: 10 },
    ],
    [
      'history',
      {
        entity: { kind: 'host', id: 'h' },
        metrics: ['cpuPercent'],
        fromMs: 5,
        toMs: 5,
        maxPoints: 10,
      },
    ],
    ['inventory', { all: true }],
    ['hosts.list', [1]],
    ['analysis.run', { windowMs: 10 }],
    ['analysis.run', { windowMs: 7, extra: 1 }],
    ['analysis.preview', { id: 'x' }],
    ['analysis.apply', { id: '5e7a0b0d-0000-4000-8000-000000000001:less-memory', scope: 'both' }],
    ['analysis.apply', { id: '5e7a0b0d-0000-4000-8000-000000000001; DROP', scope: 'live' }],
    ['analysis.memoryVsDisk', { uuid: 'nope', windowMs: 3_600_000 }],
    ['audit.list', { limit: 0 }],
  ])('%s %j → bad-request', async (name, params) => {
    const before = await run.request('hosts.list');
    const reply = await run.request(name, params);
    expect(reply).toEqual({
      error: { code: 'bad-request', message: expect.stringContaining(name) },
    });
    expect(await run.request('hosts.list')).toEqual(before);
  });

  it('answers unknown names, prototype keys and non-strings as bad requests', async () => {
    for (const name of ['nope', '__proto__', 'constructor', 42, null, { toString: 1 }]) {
      const reply = await run.request(name, {});
      expect(reply).toMatchObject({ error: { code: 'bad-request' } });
    }
  });

  it('analyses an empty history as nothing, and refuses to apply advice it does not make', async () => {
    expect(await run.request('analysis.run')).toMatchObject({
      ok: { windowMs: 7 * 86_400_000, vms: [], placements: [] },
    });
    const id = '5e7a0b0d-0000-4000-8000-000000000001:less-memory';
    for (const name of ['analysis.preview', 'analysis.apply']) {
      expect(await run.request(name, { id })).toEqual({
        error: { code: 'failed', message: `the analysis does not recommend ${id} now` },
      });
    }
    expect(await run.request('audit.list', {})).toEqual({ ok: [] });
  });

  it('answers a request for a host that does not exist as failed, with the id', async () => {
    expect(await run.request('hosts.remove', { id: 'ghost' })).toEqual({
      error: { code: 'failed', message: "no saved host has the id 'ghost'" },
    });
  });

  it('adds this machine on first start, and a valid add with defaults filled in', async () => {
    const list = (await run.request('hosts.list')) as { ok: { name: string; ssh: unknown }[] };
    expect(list.ok).toHaveLength(1);
    expect(list.ok[0]?.ssh).toBeNull();
    const added = await run.request('hosts.add', {
      name: 'far',
      ssh: { host: '127.0.0.1', port: 9, username: 'u', auth: { method: 'agent' } },
    });
    expect(added).toMatchObject({
      ok: { name: 'far', libvirtUri: 'qemu:///system', pollIntervalSec: 2, ssh: { port: 9 } },
    });
    expect(await run.request('hosts.add', { name: 'far' })).toMatchObject({
      error: { code: 'failed' },
    });
  });
});

describe('settings and host updates', () => {
  it('keeps settings across a restart, refusing unknown keys and values', async () => {
    const retention = { rawHours: 48, minuteDays: 30, hourDays: 365 };
    expect(await run.request('settings.get')).toEqual({
      ok: { defaultPollIntervalSec: 2, retention, language: 'en', theme: 'system', analysis: {} },
    });
    for (const bad of [
      { theme: 'neon' },
      { colour: 'red' },
      { defaultPollIntervalSec: 0 },
      { language: 'fr' },
      { retention: { rawHours: 0, minuteDays: 30, hourDays: 365 } },
      { retention: { rawHours: 24 } },
      { analysis: { idleDays: '14' } },
    ]) {
      expect(await run.request('settings.set', bad)).toMatchObject({
        error: { code: 'bad-request' },
      });
    }
    // The recommender's own checks: a name it does not have, a value out of its range.
    for (const [bad, message] of [
      [{ idleDyas: 3 }, /idleDyas/],
      [{ minVcpus: 0 }, /minVcpus/],
    ] as const) {
      expect(await run.request('settings.set', { analysis: bad })).toMatchObject({
        error: { code: 'failed', message: expect.stringMatching(message) },
      });
    }
    const tuned = { idleDays: 7, memoryHeadroomBytes: 128 * 1024 * 1024 };
    const shorter = { rawHours: 6, minuteDays: 7, hourDays: 90 };
    expect(
      await run.request('settings.set', {
        theme: 'dark',
        language: 'ko',
        defaultPollIntervalSec: 5,
        retention: shorter,
        analysis: tuned,
      }),
    ).toEqual({
      ok: {
        defaultPollIntervalSec: 5,
        retention: shorter,
        language: 'ko',
        theme: 'dark',
        analysis: tuned,
      },
    });
    const added = await run.request('hosts.add', { name: 'later' });
    expect(added).toMatchObject({ ok: { pollIntervalSec: 5 } });
    await run.stop();
    const again = await startBackend(run.dir);
    try {
      expect(await again.request('settings.get')).toEqual({
        ok: {
          defaultPollIntervalSec: 5,
          retention: shorter,
          language: 'ko',
          theme: 'dark',
          analysis: tuned,
        },
      });
    } finally {
      await again.stop();
    }
  });

  it('updates a host: new interval, SSH kept; new auth replaces the old secret', async () => {
    const ssh = { host: '127.0.0.1', port: 1, username: 'u' };
    const added = (await run.request('hosts.add', {
      name: 'far',
      ssh: { ...ssh, auth: { method: 'password', password: 'first-secret' } },
    })) as { ok: { id: string } };
    const id = added.ok.id;
    expect(await run.request('hosts.update', { id, pollIntervalSec: 7 })).toMatchObject({
      ok: { pollIntervalSec: 7, ssh: { auth: 'password', port: 1 } },
    });
    expect([...run.secrets.values.values()]).toEqual(['first-secret']);
    expect(
      await run.request('hosts.update', {
        id,
        ssh: { ...ssh, auth: { method: 'key', identityFile: '/k', passphrase: 'second-secret' } },
      }),
    ).toMatchObject({ ok: { pollIntervalSec: 7, ssh: { auth: 'key', identityFile: '/k' } } });
    expect([...run.secrets.values.values()]).toEqual(['second-secret']);
    expect(await run.request('hosts.update', { id: 'ghost' })).toMatchObject({
      error: { code: 'failed' },
    });
  });
});
