import { mkdtempSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeBed } from '../helpers/bed';
import { bedSshCliArgs } from '../helpers/bed-ssh';
import { runCli } from '../helpers/run-cli';

const run = runCli;

describeBed('setmov hosts test against the bed', (bed) => {
  const config = join(mkdtempSync(join(tmpdir(), 'setmov-hosts-bed-')), 'hosts.json');

  it('connects over SSH and prints status, identity and VM count', async () => {
    const add = await run(['hosts', 'add', 'bed', ...bedSshCliArgs(bed), '--config', config]);
    expect(add.code).toBe(0);
    const result = await run(['hosts', 'test', 'bed', '--config', config]);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^bed: up$/m);
    expect(result.out).toMatch(/^ {2}host {6}\S+ \(.*\), \d+ CPUs/m);
    const vms = /VMs {7}(\d+) \((\d+) running\)/.exec(result.out);
    expect(Number(vms?.[2])).toBeGreaterThanOrEqual(bed.domains.length);
  });

  it('reports a host that does not answer as unreachable, exit 1', async () => {
    const sockets: Socket[] = [];
    const server = createServer((s) => {
      sockets.push(s);
      s.on('error', () => undefined);
      s.resume();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      await run([
        'hosts',
        'add',
        'silent',
        ...bedSshCliArgs(bed, `root@127.0.0.1:${port}`),
        '--config',
        config,
      ]);
      const result = await run(['hosts', 'test', 'silent', '--timeout', '3', '--config', config]);
      expect(result.code).toBe(1);
      expect(result.out).toMatch(/^silent: unreachable \(.+\)$/m);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
