export { seededRandom } from '../../helpers/seeded-random';

const junk = [
  '\0',
  '\x7f',
  '\ufffd',
  '\t',
  ' ',
  ':',
  '|',
  '/',
  '.',
  '-',
  'é',
  '\r',
  '\n',
  'x',
  '💥',
];
const oddNumbers = [
  '18446744073709551616',
  '99999999999999999999999999',
  '-1',
  '1e309',
  'NaN',
  'Infinity',
  '0x10',
  '1.5',
  '',
  '00000000000000000000001',
  '9007199254740993',
];

/**
 * One random damage to /proc text: truncated lines or file, junk bytes, numbers
 * beyond 2^64 and other non-numbers, removed or duplicated tokens and lines.
 */
export function mutate(text: string, random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const lines = text.split('\n');
  const lineIndex = Math.floor(random() * lines.length);
  const line = lines[lineIndex] ?? '';
  const tokens = line.split(/( +|\t+)/);
  const tokenIndex = Math.floor(random() * tokens.length);
  const setLine = (value: string): string => {
    lines[lineIndex] = value;
    return lines.join('\n');
  };
  switch (Math.floor(random() * 10)) {
    case 0:
      return text.slice(0, Math.floor(random() * text.length));
    case 1:
      return setLine(line.slice(0, Math.floor(random() * line.length)));
    case 2: {
      const at = Math.floor(random() * text.length);
      return text.slice(0, at) + pick(junk) + text.slice(at + 1);
    }
    case 3:
      tokens[tokenIndex] = pick(oddNumbers);
      return setLine(tokens.join(''));
    case 4:
      tokens.splice(tokenIndex, 1);
      return setLine(tokens.join(''));
    case 5:
      tokens.splice(tokenIndex, 0, tokens[tokenIndex] ?? '', ' ');
      return setLine(tokens.join(''));
    case 6:
      lines.splice(lineIndex, 1);
      return lines.join('\n');
    case 7:
      lines.splice(lineIndex, 0, line);
      return lines.join('\n');
    case 8: {
      const digits = String(Math.floor(random() * 1e6)).repeat(1 + Math.floor(random() * 5));
      tokens[tokenIndex] = digits;
      return setLine(tokens.join(''));
    }
    default: {
      let out = text;
      const count = 1 + Math.floor(random() * 5);
      for (let i = 0; i < count; i++) {
        const at = Math.floor(random() * out.length);
        out = out.slice(0, at) + String.fromCharCode(Math.floor(random() * 0x3000)) + out.slice(at);
      }
      return out;
    }
  }
}

/** Every number in a parse result, for the no-NaN/Infinity/negative-counter check. */
export function badValue(value: unknown, path = '$'): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : `${path} = ${value}`;
  if (typeof value === 'bigint') {
    return value < 0n || value >= 1n << 64n ? `${path} = ${value} outside u64` : null;
  }
  if (value instanceof Map) {
    for (const [key, item] of value) {
      const found = badValue(item, `${path}.${String(key)}`);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = badValue(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}
