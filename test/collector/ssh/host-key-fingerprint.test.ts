import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keyTypeOfBlob, sha256Fingerprint } from '../../../src/collector/ssh/host-key-fingerprint';

const dir = mkdtempSync(join(tmpdir(), 'setmov-fp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sha256Fingerprint', () => {
  for (const [type, expectedType] of [
    ['ed25519', 'ssh-ed25519'],
    ['ecdsa', 'ecdsa-sha2-nistp256'],
    ['rsa', 'ssh-rsa'],
  ] as const) {
    it(`equals ssh-keygen -lf for an ${type} key`, () => {
      const file = join(dir, type);
      execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', file]);
      const blob = Buffer.from(readFileSync(`${file}.pub`, 'utf8').split(' ')[1] ?? '', 'base64');
      const keygen = execFileSync('ssh-keygen', ['-lf', `${file}.pub`], { encoding: 'utf8' }).split(
        ' ',
      )[1];
      expect(sha256Fingerprint(blob)).toBe(keygen);
      expect(sha256Fingerprint(blob)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
      expect(keyTypeOfBlob(blob)).toBe(expectedType);
    });
  }
});

describe('keyTypeOfBlob', () => {
  it('rejects blobs that are not SSH keys', () => {
    expect(keyTypeOfBlob(Buffer.alloc(0))).toBeNull();
    expect(keyTypeOfBlob(Buffer.from([0, 0, 0, 0]))).toBeNull();
    expect(keyTypeOfBlob(Buffer.from([0, 0, 1, 0, 65]))).toBeNull();
    expect(keyTypeOfBlob(Buffer.from([0, 0, 0, 9, 65]))).toBeNull();
    expect(keyTypeOfBlob(Buffer.from([0, 0, 0, 2, 0x20, 0x41]))).toBeNull();
  });
});
