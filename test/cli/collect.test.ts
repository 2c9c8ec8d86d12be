import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DetailedHostSample } from '../../src/shared/model/detailed-host-sample';
import { fixturesRoot } from '../collector/procfs/fixtures';
import { runCli, type CliRun, type RunCliOptions } from '../helpers/run-cli';

const collect = (args: string[], options?: RunCliOptions): Promise<CliRun> =>
  runCli(['collect', ...args], options);

const scratch = mkdtempSync(join(tmpdir(), 'setmov-collect-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('setmov collect on this machine', () => {
  it('--json --count 2 prints two samples with rates, one JSON object per line', async () => {
    const started = Date.now();
    const { code, out, err } = await collect(['--json', '--count', '2', '--interval', '0.3']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const samples = lines.map((line) => JSON.parse(line) as DetailedHostSample);
    for (const sample of samples) {
      expect(sample).toMatchObject({ kind: 'host', host: hostname() });
      expect(sample.ts).toBeGreaterThanOrEqual(started);
      expect(typeof sample.ip === 'string' || sample.ip === null).toBe(true);
      for (const key of ['percent', 'user', 'system', 'iowait', 'steal'] as const) {
        expect(sample.cpu[key]).toBeGreaterThanOrEqual(0);
        expect(sample.cpu[key]).toBeLessThanOrEqual(100);
      }
      expect(sample.memory.totalBytes).toBeGreaterThan(0);
      expect(sample.memory.availableBytes).toBeGreaterThan(0);
      expect(sample.memory.usedPercent).toBeGreaterThan(0);
      for (const key of ['readBytesPerSec', 'writeBytesPerSec'] as const)
        expect(sample.disk[key]).toBeGreaterThanOrEqual(0);
      expect(Array.isArray(sample.disk.devices)).toBe(true);
      for (const key of [
        'rxBytesPerSec',
        'txBytesPerSec',
        'rxPacketsPerSec',
        'txPacketsPerSec',
        'wireBitsPerSec',
      ] as const) {
        expect(sample.net[key]).toBeGreaterThanOrEqual(0);
      }
      expect(sample.net.interfaces.map((i) => i.interface)).toContain('lo');
    }
    expect(samples[1]!.ts).toBeGreaterThan(samples[0]!.ts);
    expect(samples[0]!.intervalSec).toBeGreaterThan(0.2);
  });

  it('prints a table, appended when stdout is not a terminal', async () => {
    const { code, out } = await collect(['--count', '2', '--interval', '0.2']);
    expect(code).toBe(0);
    expect(out).not.toContain('\x1b[');
    expect(out.match(/^CPU +busy/gm)).toHaveLength(2);
    expect(out).toContain('MEMORY  used');
    expect(out).toMatch(/^DISK +read +write/m);
    expect(out).toMatch(/^lo \(virtual\)/m);
    expect(out).toMatch(/^physical total/m);
  });

  it('redraws the table in place on a terminal', async () => {
    const { code, out } = await collect(['--count', '2', '--interval', '0.2'], { tty: true });
    expect(code).toBe(0);
    expect(out.startsWith('\x1b[H\x1b[2J')).toBe(true);
    expect(out.split('\x1b[H\x1b[2J')).toHaveLength(3);
  });

  it('runs until interrupted without --count, and exits 0', async () => {
    const abort = new AbortController();
    const { code, out } = await collect(['--json', '--interval', '0.2'], {
      signal: abort.signal,
      onOutput: (text) => {
        if (text.split('\n').length > 2) abort.abort();
      },
    });
    expect(code).toBe(0);
    expect(out.trimEnd().split('\n').length).toBeGreaterThanOrEqual(2);
  });
});

describe('setmov collect --proc-root', () => {
  it('reads a captured tree: the fixture host, its IP, no rate where nothing moved', async () => {
    const { code, out } = await collect([
      '--proc-root',
      join(fixturesRoot, 'edge-case/t0'),
      '--json',
      '--count',
      '1',
      '--interval',
      '0.1',
    ]);
    expect(code).toBe(0);
    const sample = JSON.parse(out) as DetailedHostSample;
    expect(sample).toMatchObject({ host: 'kvm-edge-01', ip: '10.10.3.17' });
    // The same text twice: no CPU tick passed, so no CPU rate; byte rates are 0.
    expect(sample.cpu.percent).toBeNull();
    expect(sample.disk.readBytesPerSec).toBe(0);
    expect(sample.memory.totalBytes).toBe(65811424 * 1024);
  });

  it('exits 1 with one line naming the host, the file and the reason when a file is missing', async () => {
    const { code, out, err } = await collect(['--proc-root', '/nonexistent-proc', '--count', '1']);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/^setmov: local: \/nonexistent-proc\/[a-z/_]+: no such file\n$/);
  });

  it('exits 1 with one line naming the file and the line of malformed text', async () => {
    const root = join(scratch, 'broken');
    cpSync(join(fixturesRoot, 'this-host/t0'), root, { recursive: true });
    writeFileSync(join(root, 'net/dev'), 'Inter-|\n face |\n  eth0: 1 2 3\n');
    const { code, err } = await collect(['--proc-root', root, '--count', '1', '--interval', '0.1']);
    expect(code).toBe(1);
    expect(err).toBe(
      `setmov: vm (local): ${root}/net/dev: line 3: eth0: 3 counters, expected 16\n`,
    );
  });
});

describe('setmov collect argument errors', () => {
  it.each([
    [['--count', '0'], "--count must be a whole number of at least 1, not '0'"],
    [
      ['--interval', 'fast'],
      "--interval must be a number of seconds from 0.1 to 86400, not 'fast'",
    ],
    [
      ['--interval', '0.01'],
      "--interval must be a number of seconds from 0.1 to 86400, not '0.01'",
    ],
    [['--identity', '/k'], '--identity needs --ssh'],
    [
      ['--ssh', 'root@h', '--proc-root', '/p'],
      '--proc-root reads this machine; it cannot be combined with --ssh',
    ],
    [['--ssh', 'root@bad host:22'], "bad SSH destination 'root@bad host:22': contains whitespace"],
    [
      ['--ssh', 'root@h:99999', '--identity', '/k'],
      "bad SSH destination 'root@h:99999': port 99999 is out of range",
    ],
  ])('%j → exit 2 with one line', async (args, message) => {
    const { code, err } = await collect(args);
    expect(code).toBe(2);
    expect(err).toBe(`setmov: ${message}\n`);
  });

  it('prints its usage with --help', async () => {
    const { code, out } = await collect(['--help']);
    expect(code).toBe(0);
    expect(out).toContain('Usage: setmov collect');
    expect(out).toContain('--proc-root DIR');
  });
});
