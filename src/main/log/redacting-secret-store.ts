import type { SecretStore } from '../../store/secret-store';
import type { SecretRedactor } from './redact';

/**
 * A secret store that tells the log's redactor every secret passing through it, so a
 * password or passphrase the app holds is blanked from the log by value even where it
 * has no telltale shape (a library's error message quoting it, say). Values are never
 * forgotten: a line about a deleted password must not show it either.
 */
export class RedactingSecretStore implements SecretStore {
  constructor(
    private readonly inner: SecretStore,
    private readonly redactor: Pick<SecretRedactor, 'remember'>,
  ) {}

  async get(key: string): Promise<string | null> {
    const value = await this.inner.get(key);
    if (value !== null) this.redactor.remember(value);
    return value;
  }

  async set(key: string, value: string): Promise<void> {
    this.redactor.remember(value);
    await this.inner.set(key, value);
  }

  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }
}
