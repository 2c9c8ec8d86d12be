import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import log from 'electron-log/node';
import { describe, expect, it } from 'vitest';
import { configureAppLog } from '../../../src/main/log/app-log';
import { SecretRedactor } from '../../../src/main/log/redact';
import { RedactingSecretStore } from '../../../src/main/log/redacting-secret-store';
import { FileSecretStore } from '../../../src/store/file-secret-store';

describe('RedactingSecretStore', () => {
  it('keeps every secret that passes through it out of the log, shape or none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'setmov-redacting-secrets-'));
    const redactor = new SecretRedactor();
    const logger = configureAppLog(log.create({ logId: 'redacting-secret-store' }), {
      logsDir: dir,
      redactor,
    });
    logger.transports.console.level = false;
    const saved = new FileSecretStore(join(dir, 'secrets.json'));
    await saved.set('ssh-password:kvm1', 'plainword-one');
    const store = new RedactingSecretStore(saved, redactor);

    await store.set('ssh-passphrase:kvm2', 'plainword-two');
    expect(await store.get('ssh-password:kvm1')).toBe('plainword-one');
    expect(await store.get('missing')).toBeNull();
    await store.delete('ssh-passphrase:kvm2');
    expect(await saved.get('ssh-passphrase:kvm2')).toBeNull();

    // Secrets with no telltale shape, as a library might quote them.
    logger.error(new Error('All configured authentication methods failed: plainword-one'));
    logger.warn('unlock failed for', ['plainword-two']);
    const text = readFileSync(join(dir, 'main.log'), 'utf8');
    expect(text).not.toMatch(/plainword-(one|two)/);
    expect(text.match(/\[redacted\]/g)).toHaveLength(2);
  });
});
