import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appendKnownHost,
  checkHostKey,
  hostFieldMatches,
  knownHostsName,
  knownKeyTypes,
  parseKnownHosts,
  readKnownHostsFile,
} from '../../../src/collector/ssh/known-hosts';
import { SshDestinationError } from '../../../src/collector/ssh/ssh-errors';

let dir: string;
/** Public keys made by ssh-keygen: [type, base64] */
const keys: Record<'ed' | 'ecdsa' | 'other', { type: string; base64: string; blob: Buffer }> =
  {} as never;

function makeKey(name: string, type: string): { type: string; base64: string; blob: Buffer } {
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', join(dir, name)]);
  const [keyType, base64] = readFileSync(join(dir, `${name}.pub`), 'utf8').split(' ');
  return { type: keyType ?? '', base64: base64 ?? '', blob: Buffer.from(base64 ?? '', 'base64') };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'setmov-kh-'));
  keys.ed = makeKey('ed', 'ed25519');
  keys.ecdsa = makeKey('ecdsa', 'ecdsa');
  keys.other = makeKey('other', 'ed25519');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('knownHostsName', () => {
  it('files port 22 under the bare name and other ports as [host]:port', () => {
    expect(knownHostsName('Example.COM')).toBe('example.com');
    expect(knownHostsName('127.0.0.1', 2222)).toBe('[127.0.0.1]:2222');
    expect(knownHostsName('::1', 2222)).toBe('[::1]:2222');
  });
});

describe('parseKnownHosts', () => {
  it('reads plain, bracketed, comma-list and marker lines and skips junk', () => {
    const text = [
      '# a comment',
      '',
      `example.com,10.0.0.5 ${keys.ed.type} ${keys.ed.base64} comment here`,
      `[127.0.0.1]:2222 ${keys.ecdsa.type} ${keys.ecdsa.base64}`,
      `@revoked * ${keys.other.type} ${keys.other.base64}`,
      `@cert-authority *.corp ${keys.ed.type} ${keys.ed.base64}`,
      '@bogus-marker host ssh-ed25519 AAAA',
      'only-two fields',
      'host ssh-ed25519 !!!not-base64!!!',
      'host ssh-ed25519 AAAA',
      '\t  spaced.example   ' + `${keys.ed.type}   ${keys.ed.base64}  `,
    ].join('\n');
    const entries = parseKnownHosts(text);
    expect(entries.map((e) => [e.line, e.marker, e.hosts, e.keyType])).toEqual([
      [3, null, 'example.com,10.0.0.5', 'ssh-ed25519'],
      [4, null, '[127.0.0.1]:2222', 'ecdsa-sha2-nistp256'],
      [5, 'revoked', '*', 'ssh-ed25519'],
      [6, 'cert-authority', '*.corp', 'ssh-ed25519'],
      [11, null, 'spaced.example', 'ssh-ed25519'],
    ]);
    expect(entries[0]?.keyBlob.equals(keys.ed.blob)).toBe(true);
  });

  it('handles CRLF files', () => {
    const entries = parseKnownHosts(
      `a ${keys.ed.type} ${keys.ed.base64}\r\nb ${keys.ed.type} ${keys.ed.base64}\r\n`,
    );
    expect(entries.map((e) => e.hosts)).toEqual(['a', 'b']);
  });

  it('reads a missing file as empty', async () => {
    expect(await readKnownHostsFile(join(dir, 'does-not-exist'))).toEqual([]);
  });
});

describe('hostFieldMatches', () => {
  it('matches comma lists, wildcards and negations like OpenSSH', () => {
    expect(hostFieldMatches('a.example,b.example', 'b.example')).toBe(true);
    expect(hostFieldMatches('A.Example', 'a.example')).toBe(true);
    expect(hostFieldMatches('*.example', 'x.example')).toBe(true);
    expect(hostFieldMatches('*.example', 'example')).toBe(false);
    expect(hostFieldMatches('host?', 'host1')).toBe(true);
    expect(hostFieldMatches('*.example,!bad.example', 'bad.example')).toBe(false);
    expect(hostFieldMatches('[127.0.0.1]:2222', '[127.0.0.1]:2222')).toBe(true);
    expect(hostFieldMatches('127.0.0.1', '[127.0.0.1]:2222')).toBe(false);
    expect(hostFieldMatches('a.b', 'aXb')).toBe(false);
  });

  it('answers a pattern that would backtrack exponentially as a regex at once', () => {
    const started = performance.now();
    expect(hostFieldMatches('*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(40))).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('matches entries hashed by ssh-keygen -H', () => {
    const file = join(dir, 'hashed');
    writeFileSync(
      file,
      `[127.0.0.1]:2222 ${keys.ed.type} ${keys.ed.base64}\nmyhost,10.1.2.3 ${keys.ecdsa.type} ${keys.ecdsa.base64}\n`,
    );
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const entries = parseKnownHosts(readFileSync(file, 'utf8'));
    expect(entries.every((e) => e.hosts.startsWith('|1|'))).toBe(true);
    expect(checkHostKey(entries, '[127.0.0.1]:2222', keys.ed.blob).kind).toBe('known');
    expect(checkHostKey(entries, 'myhost', keys.ecdsa.blob).kind).toBe('known');
    expect(checkHostKey(entries, '10.1.2.3', keys.ecdsa.blob).kind).toBe('known');
    expect(checkHostKey(entries, 'otherhost', keys.ecdsa.blob).kind).toBe('unknown');
    expect(checkHostKey(entries, '127.0.0.1', keys.ed.blob).kind).toBe('unknown');
    expect(hostFieldMatches('|1|bad', 'x')).toBe(false);
    expect(hostFieldMatches('|2|c2FsdA==|aGFzaA==', 'x')).toBe(false);
  });
});

describe('checkHostKey', () => {
  const name = '[127.0.0.1]:2222';

  it('knows, does not know, and detects a changed key', () => {
    const entries = parseKnownHosts(`${name} ${keys.ed.type} ${keys.ed.base64}\n`);
    expect(checkHostKey(entries, name, keys.ed.blob)).toMatchObject({
      kind: 'known',
      entry: { line: 1 },
    });
    expect(checkHostKey(entries, '[127.0.0.1]:2223', keys.ed.blob).kind).toBe('unknown');
    const changed = checkHostKey(entries, name, keys.other.blob);
    expect(changed.kind).toBe('changed');
    expect(changed.kind === 'changed' && changed.known.map((e) => e.line)).toEqual([1]);
  });

  it('treats a host known only under another key type as changed', () => {
    const entries = parseKnownHosts(`${name} ${keys.ecdsa.type} ${keys.ecdsa.base64}\n`);
    expect(checkHostKey(entries, name, keys.ed.blob).kind).toBe('changed');
    expect(knownKeyTypes(entries, name)).toEqual(['ecdsa-sha2-nistp256']);
  });

  it('accepts any of several keys for a host', () => {
    const entries = parseKnownHosts(
      `${name} ${keys.ecdsa.type} ${keys.ecdsa.base64}\n${name} ${keys.ed.type} ${keys.ed.base64}\n`,
    );
    expect(checkHostKey(entries, name, keys.ed.blob)).toMatchObject({
      kind: 'known',
      entry: { line: 2 },
    });
  });

  it('refuses a @revoked key even when a plain line lists it', () => {
    const entries = parseKnownHosts(
      `${name} ${keys.ed.type} ${keys.ed.base64}\n@revoked * ${keys.ed.type} ${keys.ed.base64}\n`,
    );
    expect(checkHostKey(entries, name, keys.ed.blob)).toMatchObject({
      kind: 'revoked',
      entry: { line: 2 },
    });
  });

  it('ignores @cert-authority lines', () => {
    const entries = parseKnownHosts(`@cert-authority * ${keys.ed.type} ${keys.ed.base64}\n`);
    expect(checkHostKey(entries, name, keys.ed.blob).kind).toBe('unknown');
    expect(knownKeyTypes(entries, name)).toEqual([]);
  });
});

describe('appendKnownHost', () => {
  it('appends lines ssh-keygen -F finds, plain and hashed, fixing a missing final newline', async () => {
    const file = join(dir, 'sub', 'known_hosts');
    await appendKnownHost(file, '127.0.0.1', 2222, keys.ed.type, keys.ed.base64);
    writeFileSync(file, readFileSync(file, 'utf8') + `# no newline at the end`);
    await appendKnownHost(file, 'hashed.example', 22, keys.ecdsa.type, keys.ecdsa.base64, {
      hash: true,
    });
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text).toContain(`[127.0.0.1]:2222 ${keys.ed.type} ${keys.ed.base64}\n`);
    expect(text).not.toContain('hashed.example');
    expect(
      execFileSync('ssh-keygen', ['-F', '[127.0.0.1]:2222', '-f', file], { encoding: 'utf8' }),
    ).toContain(keys.ed.base64);
    expect(
      execFileSync('ssh-keygen', ['-F', 'hashed.example', '-f', file], { encoding: 'utf8' }),
    ).toContain(keys.ecdsa.base64);
    const entries = await readKnownHostsFile(file);
    expect(checkHostKey(entries, 'hashed.example', keys.ecdsa.blob).kind).toBe('known');
  });

  it.each(['a,b', '*', 'h?', '!h', '[h', 'h]', 'a|b', 'a b', 'a\tb', 'a\nb', 'a\rb', '#h', ''])(
    'refuses to file a key under the host name %j, writing nothing',
    async (host) => {
      const file = join(dir, 'refused', 'known_hosts');
      await expect(
        appendKnownHost(file, host, 22, keys.ed.type, keys.ed.base64),
      ).rejects.toBeInstanceOf(SshDestinationError);
      expect(existsSync(file)).toBe(false);
    },
  );

  it('refuses a key whose blob does not match the stated type', async () => {
    await expect(
      appendKnownHost(join(dir, 'kh2'), 'h', 22, 'ssh-rsa', keys.ed.base64),
    ).rejects.toThrow(/not a ssh-rsa public key/);
  });
});
