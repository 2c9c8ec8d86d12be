/**
 * JSON.stringify that writes bigints as exact JSON numbers: libvirt's 64-bit counters
 * (cpu.time in ns, block bytes) can exceed 2^53, and a string would change their type.
 */
export function jsonWithBigint(value: unknown, indent = 2): string {
  const marks: string[] = [];
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v !== 'bigint') return v;
      marks.push(v.toString());
      return `\u0000bigint${marks.length - 1}\u0000`;
    },
    indent,
  );
  return text.replace(/"\\u0000bigint(\d+)\\u0000"/g, (_m, i: string) => marks[Number(i)] ?? '0');
}
