import { describe, expect, it } from 'vitest';
import {
  allowedHostHeaders,
  checkRequestOrigin,
  isLoopbackAddress,
} from '../../src/server/request-guard';

describe('request guard', () => {
  it('knows loopback addresses', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].map(isLoopbackAddress)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['10.0.0.5', '0.0.0.0', '::', '127.example.com'].map(isLoopbackAddress)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('lets a loopback server answer to its loopback names only', () => {
    expect([...allowedHostHeaders('127.0.0.1', 7420)].sort()).toEqual([
      '127.0.0.1:7420',
      '[::1]:7420',
      'localhost:7420',
    ]);
    expect([...allowedHostHeaders('::1', 80)].sort()).toEqual([
      '127.0.0.1:80',
      '[::1]:80',
      'localhost:80',
    ]);
    expect([...allowedHostHeaders('192.168.1.10', 7420)]).toEqual(['192.168.1.10:7420']);
  });

  it('checks Host always and Origin when present', () => {
    const allowed = allowedHostHeaders('127.0.0.1', 7420);
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
    for (const origin of ['http://evil.example', 'https://127.0.0.1:7420', 'null', '']) {
      expect(checkRequestOrigin({ host: '127.0.0.1:7420', origin }, allowed), origin).toMatchObject(
        {
          ok: false,
        },
      );
    }
  });
});
