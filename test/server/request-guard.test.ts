import { describe, expect, it } from 'vitest';
import {
  allowedHostHeaders,
  checkRequestOrigin,
  hostHeaderKey,
  isLoopbackAddress,
  isWildcardAddress,
} from '../../src/server/request-guard';

describe('request guard', () => {
  it('knows loopback addresses', () => {
    expect(
      ['127.0.0.1', '127.1.2.3', '::1', 'localhost', '::ffff:127.0.0.1'].map(isLoopbackAddress),
    ).toEqual([true, true, true, true, true]);
    expect(
      ['10.0.0.5', '0.0.0.0', '::', '127.example.com', '::ffff:10.0.0.5'].map(isLoopbackAddress),
    ).toEqual([false, false, false, false, false]);
  });

  it('knows the wildcard addresses a listener can report', () => {
    expect(['0.0.0.0', '::', '::ffff:0.0.0.0'].map(isWildcardAddress)).toEqual([true, true, true]);
    expect(['127.0.0.1', '::1', '10.0.0.1'].map(isWildcardAddress)).toEqual([false, false, false]);
  });

  it('lets a loopback server answer to its loopback names only', () => {
    expect([...allowedHostHeaders('127.0.0.1', '127.0.0.1', 7420)].sort()).toEqual([
      '127.0.0.1:7420',
      '[::1]:7420',
      'localhost:7420',
    ]);
    expect([...allowedHostHeaders('localhost', '::1', 80)].sort()).toEqual([
      '127.0.0.1:80',
      '[::1]:80',
      'localhost:80',
    ]);
    expect([...allowedHostHeaders('127.1', '127.0.0.1', 7420)]).toContain('127.0.0.1:7420');
    expect([...allowedHostHeaders('192.168.1.10', '192.168.1.10', 7420)]).toEqual([
      '192.168.1.10:7420',
    ]);
    expect([...allowedHostHeaders('Console.LAN', '192.168.1.10', 7420)].sort()).toEqual([
      '192.168.1.10:7420',
      'console.lan:7420',
    ]);
  });

  it('reads a Host header as name and port, port 80 when it names none', () => {
    expect(hostHeaderKey('127.0.0.1')).toBe('127.0.0.1:80');
    expect(hostHeaderKey('LOCALHOST:7420')).toBe('localhost:7420');
    expect(hostHeaderKey('[::1]')).toBe('[::1]:80');
    expect(hostHeaderKey('[::1]:080')).toBe('[::1]:80');
    for (const bad of ['', 'evil@127.0.0.1:7420', '127.0.0.1:7420/x', '127.0.0.1:', 'a b', '::1']) {
      expect(hostHeaderKey(bad), bad).toBeUndefined();
    }
  });

  it('accepts Host and Origin without a port on port 80', () => {
    const allowed = allowedHostHeaders('127.0.0.1', '127.0.0.1', 80);
    expect(checkRequestOrigin({ host: '127.0.0.1' }, allowed)).toEqual({ ok: true });
    expect(checkRequestOrigin({ host: 'localhost:80' }, allowed)).toEqual({ ok: true });
    expect(checkRequestOrigin({ host: '[::1]', origin: 'http://[::1]' }, allowed)).toEqual({
      ok: true,
    });
    expect(
      checkRequestOrigin({ host: '127.0.0.1', origin: 'http://127.0.0.1:80' }, allowed),
    ).toEqual({ ok: true });
    const elsewhere = allowedHostHeaders('127.0.0.1', '127.0.0.1', 7420);
    expect(checkRequestOrigin({ host: '127.0.0.1' }, elsewhere)).toMatchObject({ ok: false });
    expect(
      checkRequestOrigin({ host: '127.0.0.1:7420', origin: 'http://127.0.0.1' }, elsewhere),
    ).toMatchObject({ ok: false });
  });

  it('checks Host always and Origin when present', () => {
    const allowed = allowedHostHeaders('127.0.0.1', '127.0.0.1', 7420);
    expect(checkRequestOrigin({ host: '127.0.0.1:7420' }, allowed)).toEqual({ ok: true });
    expect(checkRequestOrigin({ host: 'LOCALHOST:7420' }, allowed)).toEqual({ ok: true });
    expect(
      checkRequestOrigin({ host: '127.0.0.1:7420', origin: 'http://localhost:7420' }, allowed),
    ).toEqual({ ok: true });
    expect(checkRequestOrigin({}, allowed)).toMatchObject({ ok: false });
    expect(checkRequestOrigin({ host: 'rebound.example:7420' }, allowed)).toEqual({
      ok: false,
      reason: "Host 'rebound.example:7420' is not this server",
    });
    expect(checkRequestOrigin({ host: '127.0.0.1:7421' }, allowed)).toMatchObject({ ok: false });
    expect(checkRequestOrigin({ host: 'x@127.0.0.1:7420' }, allowed)).toMatchObject({ ok: false });
    for (const origin of ['http://evil.example', 'https://127.0.0.1:7420', 'null', '']) {
      expect(checkRequestOrigin({ host: '127.0.0.1:7420', origin }, allowed), origin).toMatchObject(
        {
          ok: false,
        },
      );
    }
  });

  it('over TLS, takes only https origins and reads a bare Host as port 443', () => {
    expect(hostHeaderKey('console.lan', 'https:')).toBe('console.lan:443');
    const on443 = allowedHostHeaders('console.lan', '192.0.2.2', 443);
    expect(checkRequestOrigin({ host: 'console.lan' }, on443, 'https:')).toEqual({ ok: true });
    expect(
      checkRequestOrigin({ host: 'console.lan', origin: 'https://console.lan' }, on443, 'https:'),
    ).toEqual({ ok: true });
    expect(
      checkRequestOrigin(
        { host: 'console.lan', origin: 'http://console.lan:443' },
        on443,
        'https:',
      ),
    ).toMatchObject({ ok: false });
    expect(checkRequestOrigin({ host: 'console.lan' }, on443)).toMatchObject({ ok: false });
  });
});
