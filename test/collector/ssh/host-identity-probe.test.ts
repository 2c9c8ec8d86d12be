import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, hostname, release } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  identityCommand,
  parseIdentityOutput,
} from '../../../src/collector/ssh/host-identity-probe';
import { newBoundary } from '../../../src/collector/ssh/proc-reading-protocol';
import { RemoteProcReadError } from '../../../src/collector/ssh/ssh-errors';

const B = 'SETMOV-aa';

function output(sections: Record<string, string>): string {
  return Object.entries(sections)
    .map(([name, text]) => `${B} ${name}\n${text}`)
    .join('\n');
}

const good = {
  hostname: 'kvm1',
  osrelease: '6.1.0-40-amd64',
  cpus: '4',
  cpuinfo:
    'processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz\n',
  meminfo: 'MemTotal:       16318464 kB',
  route:
    'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n' +
    'br0\t00000000\t0101A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n' +
    'br0\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0',
  addr: '1: lo    inet 127.0.0.1/8 scope host lo\n5: br0    inet 192.168.1.20/24 brd 192.168.1.255 scope global br0',
  end: '',
};

describe('parseIdentityOutput', () => {
  it('reads every fact', () => {
    expect(parseIdentityOutput(output(good), B, 'h')).toEqual({
      hostname: 'kvm1',
      primaryIp: '192.168.1.20',
      cpuCount: 4,
      cpuModel: 'Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz',
      memoryTotalBytes: 16318464 * 1024,
      kernelRelease: '6.1.0-40-amd64',
    });
  });

  it('finds the model on other architectures, and null when there is none', () => {
    const arm = parseIdentityOutput(
      output({ ...good, cpuinfo: 'processor\t: 0\nBogoMIPS\t: 50.00\nCPU part\t: 0xd0c\n' }),
      B,
      'h',
    );
    expect(arm.cpuModel).toBe('0xd0c');
    expect(parseIdentityOutput(output({ ...good, cpuinfo: '' }), B, 'h').cpuModel).toBeNull();
  });

  it('uses fib_trie when ip is missing', () => {
    const fib =
      'Local:\n  +-- 0.0.0.0/0 3 0 5\n     |-- 192.168.1.20\n        /32 host LOCAL\n     |-- 127.0.0.1\n        /32 host LOCAL\n';
    const identity = parseIdentityOutput(
      output({ ...good, addr: '', fib_trie: fib, end: '' }),
      B,
      'h',
    );
    expect(identity.primaryIp).toBe('192.168.1.20');
  });

  it('prefers the address on the gateway subnet from fib_trie too, never a network address', () => {
    const fib =
      'Local:\n  +-- 0.0.0.0/0 3 0 5\n     |-- 10.0.0.5\n        /32 host LOCAL\n' +
      '     |-- 192.168.1.0\n        /32 host LOCAL\n     |-- 192.168.1.20\n        /32 host LOCAL\n';
    const route = `${good.route}\nbr0\t0000000A\t00000000\t0001\t0\t0\t0\t000000FF\t0\t0\t0`;
    const identity = parseIdentityOutput(
      output({ ...good, route, addr: '', fib_trie: fib, end: '' }),
      B,
      'h',
    );
    expect(identity.primaryIp).toBe('192.168.1.20');
  });

  it.each([
    [{ route: 'br0\t00000000' }, /\/proc\/net\/route: line 1: 2 columns, expected 11/],
    [{ hostname: '' }, /empty host name/],
    [{ osrelease: '\n' }, /empty kernel release/],
    [{ cpus: '0' }, /no cpuN lines/],
    [{ cpus: 'grep: /proc/stat: No such file' }, /no cpuN lines/],
    [{ meminfo: '' }, /no MemTotal/],
  ])('rejects %j', (override, message) => {
    expect(() => parseIdentityOutput(output({ ...good, ...override }), B, 'h')).toThrow(message);
  });

  it('rejects a truncated reply', () => {
    const { end: _end, ...partial } = good;
    expect(() => parseIdentityOutput(output(partial), B, 'h')).toThrow(RemoteProcReadError);
    expect(() => parseIdentityOutput('', B, 'h')).toThrow(/truncated/);
  });
});

describe('identityCommand against this machine', () => {
  it('reports what the kernel says', () => {
    const boundary = newBoundary();
    const text = execFileSync('/bin/sh', ['-c', identityCommand(boundary)], { encoding: 'utf8' });
    const identity = parseIdentityOutput(text, boundary, 'local');
    expect(identity.hostname).toBe(hostname());
    expect(identity.kernelRelease).toBe(release());
    expect(identity.cpuCount).toBe(cpus().length);
    expect(identity.cpuModel).toBe(cpus()[0]?.model.trim());
    const memTotalKb = Number(
      /^MemTotal:\s+(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1],
    );
    expect(identity.memoryTotalBytes).toBe(memTotalKb * 1024);
    expect(identity.primaryIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });
});
