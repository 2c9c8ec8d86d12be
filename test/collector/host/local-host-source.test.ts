import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, networkInterfaces, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HostReadError } from '../../../src/collector/host/host-read-error';
import { procFilesPerReading } from '../../../src/collector/host/host-source';
import { LocalHostSource } from '../../../src/collector/host/local-host-source';
import { parseReadingOf } from '../../../src/collector/host/parse-reading';
import { defaultRoute, parseNetRoute } from '../../../src/collector/procfs/net-route';
import { fixturesRoot } from '../procfs/fixtures';
import { readFileSync } from 'node:fs';

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A writable copy of a fixture tree. */
function copyOf(tree: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'setmov-proc-'));
  scratch.push(dir);
  cpSync(join(fixturesRoot, tree), dir, { recursive: true });
  return dir;
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('LocalHostSource on this machine', () => {
  const source = new LocalHostSource();

  it('reads every file of a reading, parseable, with a monotonic clock', async () => {
    const first = await source.read();
    const second = await source.read();
    expect(Object.keys(first.files).sort()).toEqual([...procFilesPerReading].sort());
    expect(second.monotonicMs).toBeGreaterThan(first.monotonicMs);
    expect(Math.abs(first.timestampMs - Date.now())).toBeLessThan(5000);
    const parsed = parseReadingOf(second, source.label);
    expect(parsed.meminfo.memTotalBytes).toBe(totalmem());
  });

  it('tells who the host is, as the OS does', async () => {
    const identity = await source.identity();
    expect(identity.hostname).toBe(hostname());
    expect(identity.kernelRelease).toBe(release());
    expect(identity.memoryTotalBytes).toBe(totalmem());
    expect(identity.cpuCount).toBeGreaterThanOrEqual(1);
    expect(identity.cpuModel).not.toBeNull();
    const iface =
      defaultRoute(parseNetRoute(readFileSync('/proc/net/route', 'utf8')))?.iface ?? null;
    const expected =
      iface === null
        ? null
        : (networkInterfaces()[iface]?.find((a) => a.family === 'IPv4')?.address ?? null);
    expect(identity.primaryIp).toBe(expected);
  });

  it('lists as physical the NICs that have a device in sysfs', async () => {
    const physical = await source.physicalInterfaces();
    expect(physical).not.toBeNull();
    expect(physical!.has('lo')).toBe(false);
    const nics = Object.keys(networkInterfaces()).filter((name) => {
      try {
        readFileSync(`/sys/class/net/${name}/device/uevent`);
        return true;
      } catch {
        return false;
      }
    });
    expect([...physical!].sort()).toEqual(expect.arrayContaining(nics));
  });
});

describe('LocalHostSource on a fixture root', () => {
  it('reads identity from the files alone: hostname, primary IP from route + fib_trie, kernel', async () => {
    const edge = new LocalHostSource({ procRoot: join(fixturesRoot, 'edge-case/t0') });
    expect(await edge.identity()).toEqual({
      hostname: 'kvm-edge-01',
      primaryIp: '10.10.3.17',
      cpuCount: 3,
      cpuModel: 'Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz',
      memoryTotalBytes: 65811424 * 1024,
      kernelRelease: '6.1.0-27-amd64',
    });
    const old = new LocalHostSource({ procRoot: join(fixturesRoot, 'old-kernel') });
    expect(await old.identity()).toMatchObject({
      hostname: 'legacy-kvm',
      primaryIp: '192.168.0.10',
      cpuCount: 2,
      kernelRelease: '2.6.32-754.35.1.el6.x86_64',
    });
    expect(await old.physicalInterfaces()).toBeNull();
  });

  it('names the file and the reason when a file is missing', async () => {
    const error = await errorOf(new LocalHostSource({ procRoot: '/nonexistent-proc' }).read());
    expect(error).toBeInstanceOf(HostReadError);
    expect((error as HostReadError).reason).toBe('no such file');
    expect((error as Error).message).toMatch(/^local: \/nonexistent-proc\/[a-z/]+: no such file$/);
  });

  it('names a file that is a directory', async () => {
    const root = copyOf('this-host/t0');
    rmSync(join(root, 'loadavg'));
    mkdirSync(join(root, 'loadavg'));
    const error = await errorOf(new LocalHostSource({ procRoot: root }).read());
    expect((error as Error).message).toBe(`local: ${root}/loadavg: is a directory`);
  });

  it('names the file and the line of malformed text', async () => {
    const root = copyOf('this-host/t0');
    writeFileSync(join(root, 'meminfo'), 'MemTotal: 100 kB\nMemFree: lots\n');
    const source = new LocalHostSource({ procRoot: root });
    await expect(source.identity()).rejects.toThrow(
      `local: ${root}/meminfo: line 2: MemFree is not an unsigned integer: 'lots'`,
    );
    expect(() => parseReadingOf(readingOf(root), 'local', root)).toThrow(
      `local: ${root}/meminfo: line 2: MemFree is not an unsigned integer: 'lots'`,
    );
  });
});

function readingOf(root: string) {
  const files = Object.fromEntries(
    procFilesPerReading.map((name) => [name, readFileSync(join(root, name), 'utf8')]),
  ) as Record<(typeof procFilesPerReading)[number], string>;
  return { timestampMs: 0, monotonicMs: 0, files };
}
