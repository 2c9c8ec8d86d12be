import { lines } from './numbers';

/**
 * The host's own IPv4 addresses from /proc/net/fib_trie: a "|-- a.b.c.d" leaf
 * followed by a "/32 host LOCAL" line. This file has no fixed columns, so lines
 * that are not such leaves are skipped instead of rejected; it serves only to find
 * the primary address of a host whose interfaces we cannot list (fixtures, SSH).
 */
export function parseLocalAddresses(text: string): string[] {
  const found = new Set<string>();
  const all = lines(text);
  let leaf: string | null = null;
  for (const line of all) {
    const trimmed = line.trim();
    const leafMatch = /^\|-- (\d{1,3}(?:\.\d{1,3}){3})$/.exec(trimmed);
    if (leafMatch) {
      leaf = leafMatch[1] ?? null;
    } else if (leaf !== null && /^\/32 host LOCAL$/.test(trimmed)) {
      found.add(leaf);
    }
  }
  return [...found];
}
