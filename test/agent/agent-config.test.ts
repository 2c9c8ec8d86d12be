import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAgentConfig, parseAgentConfig } from '../../src/agent/agent-config';
import { ConfigFileError } from '../../src/agent/config-file';
import { runCli } from '../helpers/run-cli';

const dir = mkdtempSync(join(tmpdir(), 'setmov-agent-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A configuration that loads, to break one field at a time. */
const valid = (): Record<string, unknown> => ({
  stateDir: join(dir, 'state'),
  hosts: [{ name: 'this host' }],
  sync: { url: 'mysql://agent@127.0.0.1:4306,127.0.0.1:4307/setmov' },
});

/** The problems `setmov agent --config FILE` prints for this value, and its exit code. */
async function refused(value: unknown): Promise<{ code: number; lines: string[] }> {
  const path = join(dir, 'agent.json');
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  const { code, err, out } = await runCli(['agent', '--config', path]);
  expect(out).toBe('');
  return { code, lines: err.trimEnd().split('\n') };
}

describe('the agent configuration', () => {
  it('fills in the defaults and parses the URL into the cluster target', () => {
    const config = parseAgentConfig('agent.json', {
      hosts: [
        { name: 'here' },
        { name: 'kvm 2', ssh: { host: 'kvm2', username: 'root', auth: 'agent' } },
      ],
      sync: { url: 'mysql://agent@127.0.0.1:4306,127.0.0.1:4307,127.0.0.1:4308/setmov' },
    });
    expect(config.stateDir).toBe('/var/lib/setmov-agent');
    expect(config.metrics).toBeNull();
    expect(config.sync).toEqual({
      url: 'mysql://agent@127.0.0.1:4306,127.0.0.1:4307,127.0.0.1:4308/setmov',
      target: {
        host: '127.0.0.1',
        port: 4306,
        alsoAt: [
          { host: '127.0.0.1', port: 4307 },
          { host: '127.0.0.1', port: 4308 },
        ],
        user: 'agent',
        database: 'setmov',
        tlsCaFile: null,
      },
      resolution: '10s',
      centralResolutionSec: 10,
      retentionDays: 90,
      intervalSec: 2,
    });
    expect(config.hosts[0]).toEqual({
      name: 'here',
      ssh: null,
      libvirtUri: 'qemu:///system',
      pollIntervalSec: 2,
      memoryStatsPeriodSec: 2,
    });
    expect(config.hosts[1]?.ssh).toMatchObject({ host: 'kvm2', port: 22, knownHostsFile: null });
  });

  it.each([
    ['raw', 0],
    ['10s', 10],
    ['1m', 60],
  ] as const)('takes resolution %s as %i s', (resolution, seconds) => {
    const config = parseAgentConfig('agent.json', {
      ...valid(),
      sync: { url: 'mysql://a@db/setmov', resolution },
      metrics: { port: 9464 },
    });
    expect(config.sync.centralResolutionSec).toBe(seconds);
    expect(config.metrics).toEqual({ port: 9464, address: '127.0.0.1' });
  });

  it.each([
    [
      'an unknown field',
      { ...valid(), sync: { url: 'mysql://a@db/s', intrval: 5 } },
      'sync.intrval: unknown field',
    ],
    ['an unknown field at the top', { ...valid(), metric: { port: 1 } }, 'metric: unknown field'],
    [
      'a wrong type',
      { ...valid(), sync: { url: 'mysql://a@db/s', intervalSec: '5' } },
      'sync.intervalSec: expected number, got a string',
    ],
    ['a missing field', { hosts: [] }, 'sync: required (object)'],
    [
      'a resolution that is none of the three',
      { ...valid(), sync: { url: 'mysql://a@db/s', resolution: '5s' } },
      'sync.resolution: expected one of raw, 10s, 1m',
    ],
    [
      'a URL that is not MySQL',
      { ...valid(), sync: { url: 'http://db/s' } },
      'sync.url: expected a mysql:// URL, got http://',
    ],
    [
      'a URL naming one node twice',
      { ...valid(), sync: { url: 'mysql://a@db:1,db:1/s' } },
      'sync.url: mysql://a@db:1,db:1/s names db:1 twice',
    ],
    [
      'a password in the URL',
      { ...valid(), sync: { url: 'mysql://a:pw@db/s' } },
      'sync.url: do not put the password in the URL',
    ],
    [
      'two hosts of one name',
      { ...valid(), hosts: [{ name: 'a' }, { name: 'b' }, { name: 'a', pollIntervalSec: 5 }] },
      "hosts[2].name: two hosts are named 'a'",
    ],
    [
      'two hosts of one id',
      {
        ...valid(),
        hosts: [
          { id: 'x', name: 'a' },
          { id: 'x', name: 'b' },
        ],
      },
      "hosts[1].id: two hosts have the id 'x'",
    ],
    [
      'a bad host field',
      { ...valid(), hosts: [{ name: 'a', pollIntervalSec: 0 }] },
      'hosts[0].pollIntervalSec: expected at least 1',
    ],
    [
      'a metrics address beyond loopback',
      { ...valid(), metrics: { port: 9464, address: '0.0.0.0' } },
      'metrics.address: expected a loopback address (127.0.0.1 or ::1)',
    ],
    [
      'a metrics address by name',
      { ...valid(), metrics: { port: 9464, address: 'localhost' } },
      'metrics.address: expected a loopback address',
    ],
    [
      'a relative state directory',
      { ...valid(), stateDir: 'state' },
      'stateDir: expected an absolute path',
    ],
  ])('refuses %s: one line naming the field, exit 2', async (_what, value, line) => {
    const { code, lines } = await refused(value);
    expect(code).toBe(2);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`setmov: ${join(dir, 'agent.json')}: ${line}`);
  });

  it('refuses a password anywhere, and says where passwords go', async () => {
    const { code, lines } = await refused({
      ...valid(),
      password: 'hunter2',
      hosts: [
        { name: 'a', ssh: { host: 'kvm', username: 'root', auth: 'password', password: 'x' } },
      ],
      sync: { url: 'mysql://a@db/s', password: 'y' },
    });
    expect(code).toBe(2);
    expect(lines).toHaveLength(3);
    const where = lines.map((line) => line.split(': ')[2]);
    expect(where.sort()).toEqual(['hosts[0].ssh.password', 'password', 'sync.password']);
    for (const line of lines) {
      expect(line).toContain('passwords do not go in this file');
      expect(line).toContain('SETMOV_MYSQL_PASSWORD');
      expect(line).toContain(`${join(dir, 'state')}/secrets.json`);
      expect(line).not.toContain('hunter2');
    }
  });

  it('says every problem, one line each', async () => {
    const { code, lines } = await refused({
      stateDir: 'relative',
      hosts: [{ name: 'a' }, { name: 'a' }],
      sync: { url: 'mysql://a@db/s', resolution: 'hourly', tlsCaFile: 3 },
      metrics: { port: 70_000 },
    });
    expect(code).toBe(2);
    expect(lines.map((line) => line.split(': ')[2])).toEqual([
      'stateDir',
      'hosts[1].name',
      'sync.tlsCaFile',
      'sync.resolution',
      'metrics.port',
    ]);
  });

  it('refuses a file that is not JSON, or not there, in one line', async () => {
    const bad = await refused('{ "hosts": [');
    expect(bad.code).toBe(2);
    expect(bad.lines).toHaveLength(1);
    expect(bad.lines[0]).toMatch(/agent\.json: not valid JSON/);
    const missing = await runCli(['agent', '--config', join(dir, 'none.json')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toBe(`setmov: ${join(dir, 'none.json')}: cannot be read (ENOENT)\n`);
    await expect(loadAgentConfig(join(dir, 'none.json'))).rejects.toThrow(ConfigFileError);
  });

  it('takes no other subcommand or flag', async () => {
    expect((await runCli(['agent', 'start'])).code).toBe(2);
    expect((await runCli(['agent', '--json'])).code).toBe(2);
    expect((await runCli(['agent', '--password', 'x'])).code).toBe(2);
  });
});
