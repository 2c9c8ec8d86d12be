import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAgentConfig } from '../../src/agent/agent-config';
import { hostIdsPath, withHostIds } from '../../src/agent/agent-host-ids';

const root = mkdtempSync(join(tmpdir(), 'setmov-agent-ids-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The hosts of a configuration with these entries, as the agent reads them. */
const hostsOf = (hosts: unknown[]) =>
  parseAgentConfig('agent.json', { hosts, sync: { url: 'mysql://a@db/s' } }).hosts;

describe('host ids of the agent', () => {
  it('gives a host without an id one, and the same one at every start', async () => {
    const stateDir = join(root, 'keep');
    const first = await withHostIds(stateDir, hostsOf([{ name: 'here' }, { name: '가상 서버 1' }]));
    const [here, korean] = first;
    expect(here?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(korean?.id).not.toBe(here?.id);
    expect(statSync(hostIdsPath(stateDir)).mode & 0o777).toBe(0o600);

    // A restart, with the hosts in another order and one more.
    const again = await withHostIds(
      stateDir,
      hostsOf([{ name: 'new one' }, { name: '가상 서버 1' }, { name: 'here', pollIntervalSec: 5 }]),
    );
    expect(again.map((h) => [h.name, h.id])).toEqual([
      ['new one', again[0]?.id],
      ['가상 서버 1', korean?.id],
      ['here', here?.id],
    ]);
    expect(again[2]?.pollIntervalSec).toBe(5);
    expect(new Set(again.map((h) => h.id)).size).toBe(3);
  });

  it('keeps a given id, and keeps it when the entry stops giving it', async () => {
    const stateDir = join(root, 'given');
    const [given] = await withHostIds(stateDir, hostsOf([{ id: 'kvm-01', name: 'kvm 1' }]));
    expect(given?.id).toBe('kvm-01');
    const [later] = await withHostIds(stateDir, hostsOf([{ name: 'kvm 1' }]));
    expect(later?.id).toBe('kvm-01');
  });

  it('keeps the id of a host taken out, for when it comes back', async () => {
    const stateDir = join(root, 'back');
    const [gone] = await withHostIds(stateDir, hostsOf([{ name: 'gone' }]));
    await withHostIds(stateDir, hostsOf([{ name: 'other' }]));
    const [back] = await withHostIds(stateDir, hostsOf([{ name: 'gone' }]));
    expect(back?.id).toBe(gone?.id);
    expect(Object.keys(JSON.parse(readFileSync(hostIdsPath(stateDir), 'utf8')).ids)).toEqual([
      'gone',
      'other',
    ]);
  });

  it('refuses a given id that another host has already', async () => {
    const stateDir = join(root, 'clash');
    const [a] = await withHostIds(stateDir, hostsOf([{ name: 'a' }]));
    await expect(
      withHostIds(stateDir, hostsOf([{ name: 'a' }, { id: a?.id, name: 'b' }])),
    ).rejects.toThrow(/hosts 'a' and 'b' would have the same id/);
  });
});
