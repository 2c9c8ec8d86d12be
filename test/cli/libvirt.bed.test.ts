import { expect, it } from 'vitest';
import { describeBed } from '../helpers/bed';
import { bedSshCliArgs } from '../helpers/bed-ssh';
import { runCli, type CliRun } from '../helpers/run-cli';
import { virsh, virshAsync, virshDomstats, virshUuidNames } from '../helpers/virsh';
import { waitFor } from '../collector/libvirt/bed-helpers';

const run = (...argv: string[]): Promise<CliRun> => runCli(argv);

describeBed('setmov libvirt against the bed', (bed) => {
  const uri = bed.libvirt.uri;
  const viaSsh = bedSshCliArgs(bed);

  it('prints the hostname, locally and over SSH', async () => {
    const hostname = virsh(uri, 'hostname').trim();
    expect(await run('libvirt', 'hostname')).toEqual({
      code: 0,
      out: `${hostname}\n`,
      err: '',
    });
    expect(await run('libvirt', 'hostname', ...viaSsh)).toEqual({
      code: 0,
      out: `${hostname}\n`,
      err: '',
    });
  });

  it('list --json names what `virsh list --all --uuid --name` names, with ids and states', async () => {
    for (const extra of [[], viaSsh]) {
      const { code, out } = await run('libvirt', 'list', '--json', ...extra);
      expect(code).toBe(0);
      const listed = JSON.parse(out) as {
        name: string;
        uuid: string;
        id: number | null;
        state: string;
      }[];
      expect(listed.map((d) => `${d.uuid} ${d.name}`).sort()).toEqual(virshUuidNames(uri));
      for (const d of bed.domains) {
        expect(listed.find((l) => l.uuid === d.uuid)).toMatchObject({
          name: d.name,
          state: 'running',
          id: Number(virsh(uri, 'domid', d.name).trim()),
        });
      }
    }
  });

  it('stats --json carries libvirt field names, the same keys as `virsh domstats --raw`', async () => {
    const { code, out } = await run('libvirt', 'stats', '--json');
    const theirs = virshDomstats(uri);
    expect(code).toBe(0);
    const records = JSON.parse(out) as {
      name: string;
      uuid: string;
      stats: Record<string, unknown>;
    }[];
    for (const d of bed.domains) {
      const record = records.find((r) => r.uuid === d.uuid);
      expect(Object.keys(record?.stats ?? {}).sort()).toEqual(
        [...(theirs.get(d.name)?.keys() ?? [])].sort(),
      );
      expect(typeof record?.stats['cpu.time']).toBe('number');
      expect(record?.stats['block.0.wr.bytes']).toBeTypeOf('number');
    }
  });

  it('nodeinfo --json', async () => {
    const { code, out } = await run('libvirt', 'nodeinfo', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      model: 'x86_64',
      cpus: Number(/CPU\(s\):\s+(\d+)/.exec(virsh(uri, 'nodeinfo'))?.[1]),
    });
  });

  it("reports libvirt's error code and message in one line, exit 1", async () => {
    const { code, out, err } = await run('libvirt', 'list', '--uri', 'qemu:///nope');
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toBe(
      "setmov: libvirt error 1 (VIR_ERR_INTERNAL_ERROR): internal error: unexpected qemu URI path '/nope', try qemu:///system\n",
    );
  });

  it('events prints lifecycle events as they come until interrupted', async () => {
    const testUri = bed.libvirt.testUri;
    const abort = new AbortController();
    let printed = '';
    const events = runCli(['libvirt', 'events', '--json', '--uri', testUri], {
      signal: abort.signal,
      onOutput: (out) => (printed = out),
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await virshAsync(testUri, 'suspend', 'test');
      await virshAsync(testUri, 'resume', 'test');
      const lines = await waitFor(
        'suspended and resumed events',
        () => {
          const got = printed
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as { kind: string; event: string; domain: { name: string } });
          return got.some((e) => e.event === 'resumed') && got;
        },
        5_000,
      );
      expect(lines.map((e) => [e.kind, e.domain.name, e.event])).toEqual([
        ['lifecycle', 'test', 'suspended'],
        ['lifecycle', 'test', 'resumed'],
      ]);
    } finally {
      abort.abort();
    }
    expect((await events).code).toBe(0);
  });
});
