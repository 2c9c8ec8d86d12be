import type { SafeStorage } from 'electron';
import type { SecretStore } from '../store/secret-store';

/**
 * The app's secrets: each value encrypted with Electron's safeStorage (the OS keyring:
 * libsecret/kwallet, Keychain, DPAPI) and kept, as base64, in another SecretStore (the
 * 0600 file). Without a keyring nothing is stored: set() fails and says why, rather
 * than keeping a password in clear.
 */
export class SafeStorageSecretStore implements SecretStore {
  constructor(
    private readonly safeStorage: Pick<
      SafeStorage,
      'isEncryptionAvailable' | 'encryptString' | 'decryptString'
    >,
    private readonly file: SecretStore,
  ) {}

  async get(key: string): Promise<string | null> {
    const sealed = await this.file.get(key);
    if (sealed === null || !this.safeStorage.isEncryptionAvailable()) return null;
    return this.safeStorage.decryptString(Buffer.from(sealed, 'base64'));
  }

  async set(key: string, value: string): Promise<void> {
    if (!this.safeStorage.isEncryptionAvailable()) {
      throw new Error('no OS keyring is available to encrypt the secret; it was not saved');
    }
    await this.file.set(key, this.safeStorage.encryptString(value).toString('base64'));
  }

  delete(key: string): Promise<void> {
    return this.file.delete(key);
  }
}
