import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { procFilesPerReading } from '../../../src/collector/host/host-source';
import { createSshConnectionProvider } from '../../../src/collector/ssh/ssh-connection-provider';
import { maxIdentityOutputBytes } from '../../../src/collector/ssh/host-identity-probe';
import { connectSsh } from '../../../src/collector/ssh/ssh-connection';
import type { SshConnection } from '../../../src/collector/ssh/ssh-connection';
import type { SshConnectionProvider } from '../../../src/collector/ssh/ssh-connection-provider';
import {
  RemoteProcTooLargeError,
  SshOutputTooLargeError,
} from '../../../src/collector/ssh/ssh-errors';
import { createSshHostSource } from '../../../src/collector/ssh/ssh-host-source';
import { describeBed } from '../../helpers/bed';
import { bedSshKeyLogin } from '../../helpers/bed-ssh';
import { watchProcess } from '../../helpers/watch-process';

const fixture = fileURLToPath(new URL('../../fixtures/proc/this-host/t0', import.meta.url));
const MiB = 1024 * 1024;
const root = mkdtempSync(join(tmpdir(), 'setmov-limits-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A proc root on the bed host (this machine) holding a copy of a fixture tree. */
function procTree(name: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'net'), { recursive: true });
  for (const file of procFilesPerReading) copyFileSync(join(fixture, file), join(dir, file));
  return dir;
}

/** 33 MB of diskstats lines, each device distinct: what a hostile host can print. */
function writeHugeDiskstats(dir: string): void {
  const lines: string[] = [];
  for (let size = 0, minor = 0; size < 33_000_000; minor++) {
    const line = `   8 ${String(minor).padStart(7)} sd${minor} 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n`;
    lines.push(line);
    size += line.length;
  }
  writeFileSync(join(dir, 'diskstats'), lines.join(''));
}

describeBed('SSH host source limits against the bed sshd', (bed) => {
  for (const mode of ['loop', 'exec'] as const) {
    it(`refuses a 33 MB diskstats as it arrives and reads on over the same connection (${mode})`, async () => {
      const tree = procTree(`huge-${mode}`);
      const target = bedSshKeyLogin(bed);
      const connections = createSshConnectionProvider(target);
      const source = createSshHostSource(target, {
        connections,
        mode,
        procRoot: tree,
        readTimeoutMs: 30_000,
      });
      try {
        await source.read();
        const connection = connections.current();
        writeHugeDiskstats(tree);
        for (let round = 0; round < 2; round++) {
          const run = await watchProcess(() => source.read());
          expect(run.outcome).toBeInstanceOf(RemoteProcTooLargeError);
          expect(run.outcome).toMatchObject({ file: 'diskstats', limitBytes: 4 * MiB });
          expect(run.maxBlockedCpuMs).toBeLessThan(150);
          expect(run.rssGrowthMiB).toBeLessThan(64);
          expect(run.elapsedMs).toBeLessThan(5_000);
          console.info(
            `${mode} round ${round}: refused in ${Math.round(run.elapsedMs)} ms, event loop ` +
              `blocked at most ${Math.round(run.maxBlockedCpuMs)} ms of CPU (longest gap ${Math.round(run.maxGapMs)} ms), RSS +${run.rssGrowthMiB.toFixed(1)} MiB`,
          );
        }
        copyFileSync(join(fixture, 'diskstats'), join(tree, 'diskstats'));
        const reading = await source.read();
        expect(reading.files.diskstats).toBe(readFileSync(join(fixture, 'diskstats'), 'utf8'));
        expect(connections.current()).toBe(connection);
      } finally {
        await source.close();
        await connections.close();
      }
    });
  }

  it('gives up a command that prints past its limit, as the bytes arrive', async () => {
    const connection = await connectSsh(bedSshKeyLogin(bed));
    try {
      const run = await watchProcess(() =>
        connection.exec('head -c 33000000 /dev/zero', { maxOutputBytes: MiB }),
      );
      expect(run.outcome).toBeInstanceOf(SshOutputTooLargeError);
      expect(run.outcome).toMatchObject({ code: 'output-too-large', limitBytes: MiB });
      expect(run.rssGrowthMiB).toBeLessThan(64);
      expect(run.elapsedMs).toBeLessThan(5_000);
      expect((await connection.exec('echo still here')).stdout.toString()).toBe('still here\n');
    } finally {
      await connection.close();
    }
  });

  it('refuses an identity probe of 33 MB (a huge route table) within its own limit', async () => {
    const route = join(root, 'route');
    const line = 'eth0\t0000000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n';
    writeFileSync(route, `Iface\tDestination\n${line.repeat(Math.ceil(33_000_000 / line.length))}`);
    const real = await connectSsh(bedSshKeyLogin(bed));
    // The host is the bed's; only its route table is swapped for the huge one.
    const connection = Object.create(real) as SshConnection;
    connection.exec = (command, options) =>
      real.exec(command.replace('cat /proc/net/route', `cat ${route}`), options);
    const connections: SshConnectionProvider = {
      get: () => Promise.resolve(connection),
      current: () => connection,
      close: () => real.close(),
    };
    const source = createSshHostSource(bedSshKeyLogin(bed), { connections });
    try {
      const run = await watchProcess(() => source.identity());
      expect(run.outcome).toBeInstanceOf(SshOutputTooLargeError);
      expect(run.outcome).toMatchObject({ limitBytes: maxIdentityOutputBytes });
      expect(run.maxBlockedCpuMs).toBeLessThan(150);
      expect(run.rssGrowthMiB).toBeLessThan(64);
      console.info(
        `identity refused in ${Math.round(run.elapsedMs)} ms, event loop blocked at most ` +
          `${Math.round(run.maxBlockedCpuMs)} ms, RSS +${run.rssGrowthMiB.toFixed(1)} MiB`,
      );
    } finally {
      await source.close();
      await connections.close();
    }
  });
});
