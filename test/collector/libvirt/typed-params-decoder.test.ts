import { describe, expect, it } from 'vitest';
import {
  readTypedParam,
  TypedParamType,
  writeTypedParam,
  type TypedParam,
} from '../../../src/collector/libvirt/remote-types';
import { StringInterner } from '../../../src/collector/libvirt/string-interner';
import type { TypedParamLayout, TypedParams } from '../../../src/collector/libvirt/typed-params';
import { readTypedParams } from '../../../src/collector/libvirt/typed-params-decoder';
import { XdrDecodeError } from '../../../src/collector/libvirt/xdr-error';
import { XdrReader } from '../../../src/collector/libvirt/xdr-reader';
import { XdrWriter } from '../../../src/collector/libvirt/xdr-writer';

/** Names of every length mod 4, so each padding case is crossed; values of every type. */
const PARAMS: TypedParam[] = [
  { field: 'state.state', type: TypedParamType.Int, value: 1 },
  { field: 'cpu.time', type: TypedParamType.Ullong, value: 26922384000 },
  { field: 'big', type: TypedParamType.Ullong, value: 2n ** 64n - 1n },
  { field: 'neg.l', type: TypedParamType.Llong, value: -7 },
  { field: 'vcpu.current', type: TypedParamType.Uint, value: 4000000000 },
  { field: 'x.dbl', type: TypedParamType.Double, value: 0.5 },
  { field: 'x.bool', type: TypedParamType.Boolean, value: true },
  { field: 'block.0.name', type: TypedParamType.String, value: 'vda' },
  { field: 'é.utf8', type: TypedParamType.Int, value: -1 },
];

function encode(params: readonly TypedParam[]): Buffer {
  const w = new XdrWriter().uint(params.length);
  for (const p of params) writeTypedParam(w, p);
  return w.bytes();
}

/** Decodes `params` as one list, with room to spare for counts and names. */
function decode(
  params: readonly TypedParam[],
  names = new StringInterner(),
  expected?: TypedParamLayout,
): TypedParams {
  return readTypedParams(new XdrReader(encode(params)), 1000, 1 << 20, names, expected);
}

describe('readTypedParams', () => {
  it('gives what the generic reader gives, field by field, and consumes the same bytes', () => {
    const body = encode(PARAMS);
    const generic = new XdrReader(body);
    const count = generic.uint();
    const expected = Array.from({ length: count }, () => readTypedParam(generic));
    const fast = new XdrReader(body);
    const params = readTypedParams(fast, 1000, 1 << 20, new StringInterner(), undefined);
    expect(fast.offset).toBe(generic.offset);
    expect(params.entries()).toEqual(expected.map((p) => [p.field, p.value]));
    expect(
      JSON.stringify(params.toObject(), (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)),
    ).toContain('"big":"18446744073709551615n"');
  });

  it('shares the layout of a reply with the same names, and builds its own when they differ', () => {
    const names = new StringInterner();
    const first = decode(PARAMS, names);
    const again = decode(PARAMS, names, first.layout);
    expect(again.layout).toBe(first.layout);
    const changed = PARAMS.map((p, i) => (i === 3 ? { ...p, field: 'neg.m' } : p));
    const other = decode(changed, names, first.layout);
    expect(other.layout).not.toBe(first.layout);
    expect(other.get('neg.m')).toBe(-7);
    expect(other.has('neg.l')).toBe(false);
    const shorter = decode(PARAMS.slice(0, 4), names, first.layout);
    expect(shorter.keys()).toEqual(PARAMS.slice(0, 4).map((p) => p.field));
  });

  it('keeps the last value of a repeated name, as an object would', () => {
    const params = decode([
      { field: 'a', type: TypedParamType.Int, value: 1 },
      { field: 'a', type: TypedParamType.Int, value: 2 },
    ]);
    expect(params.get('a')).toBe(2);
    expect(params.size).toBe(1);
    expect(params.toObject()).toEqual({ a: 2 });
  });

  it.each([
    ['a name longer than its maximum', (b: Buffer) => b, 0],
    ['a truncated value', (b: Buffer) => b.subarray(0, b.length - 2), 100],
    ['non-zero padding', (b: Buffer) => (b.writeUInt8(1, 4 + 4 + 1), b), 100],
    ['an unknown value type', (b: Buffer) => (b.writeInt32BE(9, 4 + 4 + 4), b), 100],
  ])('refuses %s with an XdrDecodeError', (_what, mangle, maxName) => {
    // One param named 'x' (1 byte + 3 padding) of type Int.
    const body = mangle(Buffer.from(encode([{ field: 'x', type: TypedParamType.Int, value: 5 }])));
    expect(() =>
      readTypedParams(new XdrReader(body), 10, maxName, new StringInterner(), undefined),
    ).toThrow(XdrDecodeError);
  });
});
