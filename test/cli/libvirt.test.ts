import { describe, expect, it } from 'vitest';
import { jsonWithBigint } from '../../src/cli/libvirt/json-with-bigint';
import { formatDomainList, formatStats } from '../../src/cli/libvirt/libvirt-output';
import { TypedParams } from '../../src/collector/libvirt/typed-params';
import { runCli, type CliRun } from '../helpers/run-cli';

const run = (...argv: string[]): Promise<CliRun> => runCli(argv);

describe('setmov libvirt (no daemon needed)', () => {
  it('prints its usage', async () => {
    const { code, out } = await run('libvirt', '--help');
    expect(code).toBe(0);
    expect(out).toContain('<hostname|nodeinfo|list|stats|events>');
  });

  it.each([
    [['libvirt'], /missing subcommand/],
    [['libvirt', 'reboot'], /unknown subcommand 'reboot'/],
    [['libvirt', 'list', 'extra'], /unexpected argument 'extra'/],
    [['libvirt', 'stats', '--groups', 'cpu,bogus'], /unknown stats group 'bogus'/],
    [['libvirt', 'list', '--timeout', 'soon'], /--timeout/],
    [['libvirt', 'list', '--identity', '/k'], /--identity needs --ssh/],
    [['libvirt', 'list', '--ssh', 'nobody'], /--ssh: /],
    [['libvirt', 'list', '--bogus'], /Unknown option/],
  ])('rejects %j with one usage line and exit 2', async (argv, message) => {
    const { code, err, out } = await run(...argv);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(message);
    expect(err.trim().split('\n')).toHaveLength(1);
  });

  it('reports an unreachable daemon in one line, exit 1, no stack trace', async () => {
    // Nothing listens on TCP port 1.
    const { code, err } = await run(
      'libvirt',
      'hostname',
      '--uri',
      'qemu+tcp://127.0.0.1:1/system',
    );
    expect(code).toBe(1);
    expect(err).toMatch(/^setmov: .*127\.0\.0\.1.*ECONNREFUSED/);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('refuses a URI with parameters before it connects: the socket and helpers are its own', async () => {
    const { code, err } = await run('libvirt', 'list', '--uri', 'qemu:///system?socket=/tmp/s');
    expect(code).toBe(1);
    expect(err).toMatch(/^setmov: 'qemu:\/\/\/system\?socket=\/tmp\/s': .*no \?parameters/);
    expect(err.trim().split('\n')).toHaveLength(1);
  });

  it('refuses transports it does not speak', async () => {
    const { code, err } = await run('libvirt', 'list', '--uri', 'qemu://kvm1/system');
    expect(code).toBe(1);
    expect(err).toMatch(/transport 'tls' is not supported/);
  });
});

describe('libvirt CLI output', () => {
  it('writes 64-bit counters as exact JSON numbers', () => {
    const text = jsonWithBigint({ 'cpu.time': 18446744073709551615n, n: 1, s: 'x' }, 0);
    expect(text).toBe('{"cpu.time":18446744073709551615,"n":1,"s":"x"}');
  });

  it('lays out domains and stats the way virsh does', () => {
    expect(
      formatDomainList([
        { id: 3, name: 'vm1', uuid: 'u-1', state: 'running' },
        { id: null, name: 'vm22', uuid: 'u-2', state: 'shut off' },
      ]),
    ).toBe('Id   Name   UUID   State\n3    vm1    u-1    running\n-    vm22   u-2    shut off\n');
    expect(
      formatStats([
        {
          domain: { name: 'vm1', uuid: 'u', id: 1 },
          params: TypedParams.fromObject({ 'state.state': 1, 'cpu.time': 5n, 'x.b': true }),
        },
      ]),
    ).toBe("Domain: 'vm1'\n  state.state=1\n  cpu.time=5\n  x.b=yes\n\n");
  });
});
