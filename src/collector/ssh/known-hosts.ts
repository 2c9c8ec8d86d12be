import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { appendFile, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { readBoundedFile } from '../files/read-bounded-file';
import { keyTypeOfBlob, sha256Fingerprint } from './host-key-fingerprint';
import { SshDestinationError } from './ssh-errors';
import { wildcardMatch } from './wildcard-match';

/** One key line of an OpenSSH known_hosts file. */
export interface KnownHostEntry {
  /** 1-based line number in the file. */
  line: number;
  marker: 'revoked' | 'cert-authority' | null;
  /** The host field as written: a comma list of patterns, or one hashed `|1|salt|hash` name. */
  hosts: string;
  keyType: string;
  keyBlob: Buffer;
}

/** What known_hosts says about the key a server presented. */
export type HostKeyVerdict =
  | { kind: 'known'; entry: KnownHostEntry }
  | { kind: 'unknown' }
  | { kind: 'changed'; known: KnownHostEntry[] }
  | { kind: 'revoked'; entry: KnownHostEntry };

/** The name OpenSSH files a host under: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port = 22): string {
  const name = host.toLowerCase();
  return port === 22 ? name : `[${name}]:${port}`;
}

/**
 * Lines that are not a key line (comments, blanks, malformed or unparseable keys) are
 * skipped, as OpenSSH skips them: one bad line must not lock the user out of every host.
 */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const fields = (lines[i] ?? '').trim().split(/[ \t]+/);
    if (fields[0] === undefined || fields[0] === '' || fields[0].startsWith('#')) continue;
    let marker: KnownHostEntry['marker'] = null;
    if (fields[0].startsWith('@')) {
      if (fields[0] === '@revoked') marker = 'revoked';
      else if (fields[0] === '@cert-authority') marker = 'cert-authority';
      else continue;
      fields.shift();
    }
    const [hosts, keyType, keyBase64] = fields;
    if (hosts === undefined || keyType === undefined || keyBase64 === undefined) continue;
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(keyBase64)) continue;
    const keyBlob = Buffer.from(keyBase64, 'base64');
    if (keyTypeOfBlob(keyBlob) === null) continue;
    entries.push({ line: i + 1, marker, hosts, keyType, keyBlob });
  }
  return entries;
}

/** Far larger than a real known_hosts (~100 bytes a key): what is bigger is not read. */
const MAX_KNOWN_HOSTS_BYTES = 16 * 1024 * 1024;

/**
 * known_hosts entries of a file; a missing file has none. A file that is not a regular
 * one or is over 16 MiB is refused (BoundedFileError).
 */
export async function readKnownHostsFile(file: string): Promise<KnownHostEntry[]> {
  try {
    return parseKnownHosts((await readBoundedFile(file, MAX_KNOWN_HOSTS_BYTES)).toString('utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

function hashedNameMatches(hashed: string, name: string): boolean {
  const parts = hashed.split('|');
  if (parts.length !== 4 || parts[1] !== '1' || !parts[2] || !parts[3]) return false;
  const salt = Buffer.from(parts[2], 'base64');
  const expected = Buffer.from(parts[3], 'base64');
  const actual = createHmac('sha1', salt).update(name).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** OpenSSH's pattern-list rule: a matching `!pattern` vetoes the line, else any match wins. */
export function hostFieldMatches(hosts: string, name: string): boolean {
  if (hosts.startsWith('|')) return hashedNameMatches(hosts, name);
  let matched = false;
  for (const pattern of hosts.split(',')) {
    if (pattern === '') continue;
    const negated = pattern.startsWith('!');
    const glob = negated ? pattern.slice(1) : pattern;
    // Host names match case-insensitively, as OpenSSH's match_hostname.
    if (!wildcardMatch(glob.toLowerCase(), name.toLowerCase())) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

/** Key types known_hosts holds for a host, so the handshake can prefer them (as OpenSSH does). */
export function knownKeyTypes(entries: readonly KnownHostEntry[], name: string): string[] {
  const types = new Set<string>();
  for (const entry of entries) {
    if (entry.marker === null && hostFieldMatches(entry.hosts, name)) {
      types.add(keyTypeOfBlob(entry.keyBlob) ?? entry.keyType);
    }
  }
  return [...types];
}

/**
 * Judges a presented key. Stricter than OpenSSH in one case: a host known only under
 * other key types counts as changed, not unknown, since the handshake already asked
 * for the known types first and a server that stopped offering them is suspect.
 */
export function checkHostKey(
  entries: readonly KnownHostEntry[],
  name: string,
  keyBlob: Uint8Array,
): HostKeyVerdict {
  const presented = Buffer.from(keyBlob);
  const forHost = entries.filter(
    (e) => e.marker !== 'cert-authority' && hostFieldMatches(e.hosts, name),
  );
  const revoked = forHost.find((e) => e.marker === 'revoked' && e.keyBlob.equals(presented));
  if (revoked) return { kind: 'revoked', entry: revoked };
  const plain = forHost.filter((e) => e.marker === null);
  const match = plain.find((e) => e.keyBlob.equals(presented));
  if (match) return { kind: 'known', entry: match };
  if (plain.length > 0) return { kind: 'changed', known: plain };
  return { kind: 'unknown' };
}

/** The known_hosts line for a key, hashed like `ssh-keygen -H` does when asked. */
export function formatKnownHostsLine(
  name: string,
  keyType: string,
  publicKeyBase64: string,
  options: { hash?: boolean } = {},
): string {
  let hostField = name;
  if (options.hash) {
    const salt = randomBytes(20);
    const hash = createHmac('sha1', salt).update(name).digest();
    hostField = `|1|${salt.toString('base64')}|${hash.toString('base64')}`;
  }
  return `${hostField} ${keyType} ${publicKeyBase64}`;
}

/**
 * What a host name may not hold to be filed in known_hosts: a comma, wildcard, negation,
 * bracket or `|` would make the line a pattern list or a hashed entry matching other hosts,
 * whitespace or a line break would end the field or the line, a leading `#` or `@` would
 * make it a comment or a marker.
 */
const unfileableHostName = /[,*?![\]|\s]|^[#@]|^$/;

/**
 * Appends an accepted key (typically from an UnknownHostKeyError the user confirmed) to a
 * known_hosts file, creating it (0600, its directory 0700) when missing. A host name that
 * would not be read back as that one host is refused (SshDestinationError) before anything
 * is written.
 */
export async function appendKnownHost(
  file: string,
  host: string,
  port: number,
  keyType: string,
  publicKeyBase64: string,
  options: { hash?: boolean } = {},
): Promise<void> {
  if (unfileableHostName.test(host)) {
    throw new SshDestinationError(
      host,
      'a host name filed in known_hosts has no , * ? ! [ ] | whitespace or line breaks',
    );
  }
  const blob = Buffer.from(publicKeyBase64, 'base64');
  if (keyTypeOfBlob(blob) !== keyType) {
    throw new Error(`not a ${keyType} public key (fingerprint ${sha256Fingerprint(blob)})`);
  }
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  let needsNewline = false;
  const handle = await open(file, 'a+', 0o600);
  try {
    const { size } = await handle.stat();
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      needsNewline = last[0] !== 0x0a;
    }
  } finally {
    await handle.close();
  }
  const line = formatKnownHostsLine(knownHostsName(host, port), keyType, publicKeyBase64, options);
  await appendFile(file, `${needsNewline ? '\n' : ''}${line}\n`);
}
