import { describe, expect, it } from 'vitest';
import { XdrDecodeError, XdrEncodeError } from '../../../src/collector/libvirt/xdr-error';
import { XdrReader } from '../../../src/collector/libvirt/xdr-reader';
import { XdrWriter } from '../../../src/collector/libvirt/xdr-writer';
import {
  readRemoteError,
  readTypedParam,
  TypedParamType,
  writeTypedParam,
  type TypedParam,
} from '../../../src/collector/libvirt/remote-types';

describe('XDR round trips', () => {
  it('encodes and decodes every primitive', () => {
    const w = new XdrWriter(4);
    w.int(-2147483648)
      .int(2147483647)
      .uint(4294967295)
      .hyper(-(1n << 63n))
      .uhyper((1n << 64n) - 1n);
    w.bool(true)
      .bool(false)
      .double(-1.5)
      .string('héllo', 100)
      .opaqueFixed(Buffer.from([1, 2, 3]), 3);
    w.opaqueVar(Buffer.from([9]), 8)
      .optional<number>(null, (ww, v) => ww.int(v))
      .optional(7, (ww, v) => ww.int(v));
    w.array([1, 2, 3], 3, (ww, v) => ww.uint(v));
    const r = new XdrReader(w.bytes());
    expect(r.int()).toBe(-2147483648);
    expect(r.int()).toBe(2147483647);
    expect(r.uint()).toBe(4294967295);
    expect(r.hyper()).toBe(-(1n << 63n));
    expect(r.uhyper()).toBe((1n << 64n) - 1n);
    expect(r.bool()).toBe(true);
    expect(r.bool()).toBe(false);
    expect(r.double()).toBe(-1.5);
    expect(r.string(100)).toBe('héllo');
    expect([...r.opaqueFixed(3)]).toEqual([1, 2, 3]);
    expect([...r.opaqueVar(8)]).toEqual([9]);
    expect(r.optional((rr) => rr.int())).toBeNull();
    expect(r.optional((rr) => rr.int())).toBe(7);
    expect(r.array(3, (rr) => rr.uint())).toEqual([1, 2, 3]);
    r.done('test');
  });

  it('pads strings and opaque data to 4 bytes with zeros', () => {
    const bytes = new XdrWriter().string('abcde', 10).bytes();
    expect(bytes.length).toBe(12);
    expect([...bytes.subarray(9)]).toEqual([0, 0, 0]);
  });

  it('round-trips every kind of remote_typed_param', () => {
    const params: TypedParam[] = [
      { field: 'i', type: TypedParamType.Int, value: -5 },
      { field: 'ui', type: TypedParamType.Uint, value: 4000000000 },
      { field: 'l', type: TypedParamType.Llong, value: -(2 ** 40) },
      { field: 'ul', type: TypedParamType.Ullong, value: 18446744073709551615n },
      { field: 'ul53', type: TypedParamType.Ullong, value: Number.MAX_SAFE_INTEGER },
      { field: 'ul2^53', type: TypedParamType.Ullong, value: 2n ** 53n },
      { field: 'lmin', type: TypedParamType.Llong, value: -(2n ** 63n) },
      { field: 'l-53', type: TypedParamType.Llong, value: -Number.MAX_SAFE_INTEGER },
      { field: 'd', type: TypedParamType.Double, value: 0.25 },
      { field: 'b', type: TypedParamType.Boolean, value: true },
      { field: 's', type: TypedParamType.String, value: 'vda' },
    ];
    const w = new XdrWriter();
    for (const p of params) writeTypedParam(w, p);
    const r = new XdrReader(w.bytes());
    expect(params.map(() => readTypedParam(r))).toEqual(params);
    r.done('params');
  });

  it('decodes 64-bit values as numbers in [-2^53, 2^53) and as exact bigints outside', () => {
    const w = new XdrWriter()
      .uhyper(2n ** 53n - 1n)
      .uhyper(2n ** 53n)
      .hyper(-(2n ** 53n) + 1n)
      .hyper(-(2n ** 53n))
      .hyper(-(2n ** 53n) - 1n)
      .hyper(-1n)
      .uhyper(0xffffffffn);
    const r = new XdrReader(w.bytes());
    expect(r.uhyperValue()).toBe(Number.MAX_SAFE_INTEGER);
    expect(r.uhyperValue()).toBe(2n ** 53n);
    expect(r.hyperValue()).toBe(-Number.MAX_SAFE_INTEGER);
    expect(r.hyperValue()).toBe(-(2 ** 53));
    expect(r.hyperValue()).toBe(-(2n ** 53n) - 1n);
    expect(r.hyperValue()).toBe(-1);
    expect(r.uhyperValue()).toBe(0xffffffff);
    r.done('hypers');
  });

  it('refuses to encode out-of-range values', () => {
    expect(() => new XdrWriter().int(2 ** 31)).toThrow(XdrEncodeError);
    expect(() => new XdrWriter().uint(-1)).toThrow(XdrEncodeError);
    expect(() => new XdrWriter().uint(1.5)).toThrow(XdrEncodeError);
    expect(() => new XdrWriter().uhyper(-1n)).toThrow(XdrEncodeError);
    expect(() => new XdrWriter().hyper(1n << 63n)).toThrow(XdrEncodeError);
    expect(() => new XdrWriter().string('toolong', 3)).toThrow(XdrEncodeError);
    expect(() => new XdrWriter().array([1, 2], 1, (w, v) => w.int(v))).toThrow(XdrEncodeError);
    expect(() => new XdrWriter().opaqueFixed(Buffer.alloc(3), 4)).toThrow(XdrEncodeError);
  });
});

describe('XDR decoding errors', () => {
  const decodeError = (fn: () => unknown): XdrDecodeError => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(XdrDecodeError);
      return error as XdrDecodeError;
    }
    throw new Error('expected an XdrDecodeError');
  };

  it('never reads past the buffer, and says where it stopped', () => {
    const error = decodeError(() =>
      new XdrReader(Buffer.from([0, 0, 0, 1, 0, 0])).fixedArray(2, (r) => r.int()),
    );
    expect(error.offset).toBe(4);
    decodeError(() => new XdrReader(Buffer.alloc(7)).uhyper());
    decodeError(() => new XdrReader(Buffer.from([0, 0, 0, 8, 97, 98])).string(100));
  });

  it('rejects lengths above the declared maximum before allocating', () => {
    const huge = Buffer.from([0xff, 0xff, 0xff, 0xf0]);
    expect(decodeError(() => new XdrReader(huge).string(4194304)).message).toMatch(
      /exceeds its maximum/,
    );
    decodeError(() => new XdrReader(huge).opaqueVar(1024));
    decodeError(() => new XdrReader(Buffer.from([0, 0, 0, 3])).array(2, (r) => r.int()));
  });

  it('rejects an array count the remaining bytes cannot hold', () => {
    const forged = Buffer.from([0, 0, 0x40, 0, 0, 0, 0, 0]);
    expect(decodeError(() => new XdrReader(forged).array(16384, (r) => r.int())).message).toMatch(
      /cannot fit/,
    );
  });

  it('rejects bad booleans, non-zero padding, unknown union arms and trailing bytes', () => {
    decodeError(() => new XdrReader(Buffer.from([0, 0, 0, 2])).bool());
    decodeError(() => new XdrReader(Buffer.from([0, 0, 0, 1, 97, 1, 0, 0])).string(10));
    const badParam = new XdrWriter().string('x', 10).int(99).int(0).bytes();
    expect(decodeError(() => readTypedParam(new XdrReader(badParam))).message).toMatch(
      /unknown type 99/,
    );
    decodeError(() => new XdrReader(Buffer.alloc(8)).done('nothing'));
  });

  it('decodes a remote_error with its optional members', () => {
    const w = new XdrWriter();
    w.int(42)
      .int(10)
      .optional('Domain not found', (ww, s) => ww.string(s, 1000))
      .int(2);
    w.bool(false)
      .optional('x', (ww, s) => ww.string(s, 10))
      .bool(false)
      .bool(false)
      .int(-1)
      .int(0)
      .bool(false);
    expect(readRemoteError(new XdrReader(w.bytes()))).toEqual({
      code: 42,
      domain: 10,
      message: 'Domain not found',
      level: 2,
      str1: 'x',
      str2: null,
      str3: null,
      int1: -1,
      int2: 0,
    });
  });
});
