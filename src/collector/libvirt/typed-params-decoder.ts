import { TypedParamType, TYPED_PARAM_MIN_BYTES, type TypedParamValue } from './remote-types';
import type { StringInterner } from './string-interner';
import { TypedParamLayout, TypedParams } from './typed-params';
import { XdrDecodeError } from './xdr-error';
import { hyperAt, uhyperAt, type XdrReader } from './xdr-reader';

/** Thrown from a cold function so the decoding loop stays small enough to optimise well. */
function truncated(what: string, need: number, at: number, end: number): never {
  throw new XdrDecodeError(`truncated ${what}: need ${need} bytes, have ${end - at}`, at);
}

function invalid(message: string, at: number): never {
  throw new XdrDecodeError(message, at);
}

/**
 * An array of remote_typed_param as TypedParams: the values that reading each with
 * readTypedParam gives, with the same checks (lengths against their maximum and the bytes
 * left, zero padding, known value types), in one loop over the bytes. This is the poll's hot
 * path: a few hundred parameters per reply, every second, for every host, and the generic
 * reader's calls per item, then a fresh object with a key per field, cost more than the
 * network round trip. Names are interned, and when they are those of `expected` (the same
 * domain's previous reply, as they nearly always are) its layout is shared.
 */
export function readTypedParams(
  r: XdrReader,
  maxCount: number,
  maxStringBytes: number,
  names: StringInterner,
  expected: TypedParamLayout | undefined,
): TypedParams {
  const count = r.count(maxCount, TYPED_PARAM_MIN_BYTES);
  const { buf, view, end } = r.span();
  let p = r.offset;
  const values = new Array<TypedParamValue>(count);
  const expectedNames = expected?.names;
  // null while every name so far equals expected's at the same position.
  let ownNames: string[] | null = expectedNames?.length === count ? null : [];
  // While they match, names are checked against expected's wire form, read in order: no hash,
  // no table lookup, no pointer chasing per name (the interner's are cache misses in a poll
  // that runs once a second, which cost more than the decoding itself).
  const wire = expected?.wire;
  let w = 0;
  let wireBytes = 0;
  for (let i = 0; i < count; i++) {
    if (end - p < 4) truncated('string length', 4, p, end);
    const length = view.getUint32(p);
    if (length > maxStringBytes) {
      invalid(`string length ${length} exceeds its maximum ${maxStringBytes}`, p);
    }
    p += 4;
    const padded = (length + 3) & ~3;
    if (end - p < padded) truncated('string', padded, p, end);
    if (
      padded !== length &&
      (view.getUint32(p + padded - 4) & (0xffffffff >>> (8 * (length & 3)))) !== 0
    ) {
      invalid('non-zero string padding', p + length);
    }
    let field: string;
    if (ownNames === null) {
      const words = padded >>> 2;
      let same = (wire as Int32Array)[w] === length;
      for (let j = 0; same && j < words; j++) {
        same = (wire as Int32Array)[w + 1 + j] === view.getInt32(p + 4 * j);
      }
      if (same) {
        field = (expectedNames as readonly string[])[i] as string;
        w += 1 + words;
      } else {
        field = names.intern(buf, view, p, length);
        ownNames = expectedNames?.slice(0, i) ?? [];
        ownNames.push(field);
      }
    } else {
      field = names.intern(buf, view, p, length);
      ownNames.push(field);
    }
    p += padded;
    wireBytes += 4 + padded;
    if (end - p < 4) truncated('typed parameter type', 4, p, end);
    const typeAt = p;
    const type = view.getInt32(p);
    p += 4;
    let value: TypedParamValue;
    switch (type) {
      case TypedParamType.Int:
      case TypedParamType.Boolean:
        if (end - p < 4) truncated('int', 4, p, end);
        value = view.getInt32(p);
        // An int on the wire; libvirt sends 0 or 1 but C treats any non-zero as true.
        if (type === TypedParamType.Boolean) value = value !== 0;
        p += 4;
        break;
      case TypedParamType.Uint:
        if (end - p < 4) truncated('unsigned int', 4, p, end);
        value = view.getUint32(p);
        p += 4;
        break;
      case TypedParamType.Llong:
        if (end - p < 8) truncated('hyper', 8, p, end);
        value = hyperAt(view, p);
        p += 8;
        break;
      case TypedParamType.Ullong:
        if (end - p < 8) truncated('unsigned hyper', 8, p, end);
        value = uhyperAt(view, p);
        p += 8;
        break;
      case TypedParamType.Double:
        if (end - p < 8) truncated('double', 8, p, end);
        value = view.getFloat64(p);
        p += 8;
        break;
      case TypedParamType.String:
        // Rare in stats (device names): the generic reader keeps every check in one place.
        r.seek(p);
        value = r.string(maxStringBytes);
        p = r.offset;
        break;
      default:
        invalid(`typed parameter '${field}' has unknown type ${type}`, typeAt);
    }
    values[i] = value;
  }
  r.seek(p);
  return new TypedParams(
    ownNames === null ? (expected as TypedParamLayout) : new TypedParamLayout(ownNames, wireBytes),
    values,
  );
}
