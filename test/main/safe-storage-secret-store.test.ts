import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SafeStorageSecretStore } from '../../src/main/safe-storage-secret-store';
import { FileSecretStore } from '../../src/store/file-secret-store';

/** safeStorage exists only inside Electron: this one "encrypts" by reversing bytes. */
function fakeSafeStorage(available: boolean) {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (text: string) => Buffer.from(text, 'utf8').reverse(),
    decryptString: (sealed: Buffer) => Buffer.from(sealed).reverse().toString('utf8'),
  };
}

describe('SafeStorageSecretStore', () => {
  it('keeps only the sealed value in the file, and reads it back', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'setmov-safe-')), 'secrets.json');
    const store = new SafeStorageSecretStore(fakeSafeStorage(true), new FileSecretStore(path));
    await store.set('ssh-password:db1', 'hunter2-secret');
    expect(readFileSync(path, 'utf8')).not.toContain('hunter2-secret');
    expect(await store.get('ssh-password:db1')).toBe('hunter2-secret');
    await store.delete('ssh-password:db1');
    expect(await store.get('ssh-password:db1')).toBeNull();
  });

  it('refuses to store without a keyring instead of keeping the secret in clear', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'setmov-safe-')), 'secrets.json');
    const file = new FileSecretStore(path);
    const store = new SafeStorageSecretStore(fakeSafeStorage(false), file);
    await expect(store.set('k', 'hunter2-secret')).rejects.toThrow(/no OS keyring/);
    expect(await file.get('k')).toBeNull();
  });
});
