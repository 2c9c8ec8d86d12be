import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import log from 'electron-log/node';
import { describe, expect, it } from 'vitest';
import { configureAppLog, rotateLogFiles } from '../../../src/main/log/app-log';
import { SecretRedactor } from '../../../src/main/log/redact';

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'setmov-app-log-'));

// A real electron-log logger writing real files; only the console transport is muted.
function appLog(options: { maxFileBytes?: number; keptFiles?: number } = {}) {
  const logsDir = tempDir();
  const redactor = new SecretRedactor();
  const logger = configureAppLog(log.create({ logId: `test-${Math.random()}` }), {
    logsDir,
    redactor,
    ...options,
  });
  logger.transports.console.level = false;
  return { logger, logsDir, redactor, file: join(logsDir, 'main.log') };
}

describe('configureAppLog', () => {
  it('writes to main.log in the log folder, readable by the user only', () => {
    const { logger, file } = appLog();
    logger.info('started', { hosts: 2 });
    expect(readFileSync(file, 'utf8')).toMatch(/\[info\]\s+started \{ hosts: 2 \}/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('lets no secret reach the file, by shape or by value', () => {
    const { logger, file, redactor } = appLog();
    redactor.remember('ssh-pass-1234');
    logger.error(new Error('auth failed with ssh-pass-1234'));
    logger.warn('sync', { url: 'mysql://u:my-sql-pw@db/x', passphrase: 'key-pp-5678' });
    logger.info('serve on http://127.0.0.1:7420/?token=f00dfeed');
    const text = readFileSync(file, 'utf8');
    for (const secret of ['ssh-pass-1234', 'my-sql-pw', 'key-pp-5678', 'f00dfeed']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('auth failed with [redacted]');
    expect(text).toContain('mysql://u:[redacted]@db/x');
  });

  it('rotates past maxFileBytes and keeps a bounded number of old files', () => {
    const { logger, logsDir } = appLog({ maxFileBytes: 1_000, keptFiles: 2 });
    for (let i = 0; i < 100; i += 1) logger.info(`line ${i} ${'x'.repeat(80)}`);
    expect(readdirSync(logsDir).sort()).toEqual(['main.1.log', 'main.2.log', 'main.log']);
    for (const name of readdirSync(logsDir)) {
      // A file is rotated once it is past the limit, so it ends at most one line over.
      expect(statSync(join(logsDir, name)).size).toBeLessThan(1_000 + 150);
    }
    expect(readFileSync(join(logsDir, 'main.log'), 'utf8')).toContain('line 99 ');
    const older = readFileSync(join(logsDir, 'main.2.log'), 'utf8');
    const newer = readFileSync(join(logsDir, 'main.1.log'), 'utf8');
    const firstLine = (text: string): number => Number(/line (\d+)/.exec(text)?.[1]);
    expect(firstLine(older)).toBeLessThan(firstLine(newer));
  });
});

describe('rotateLogFiles', () => {
  it('shifts each generation by one and drops the oldest', () => {
    const dir = tempDir();
    const path = (name: string): string => join(dir, name);
    writeFileSync(path('main.log'), 'current');
    writeFileSync(path('main.1.log'), 'one');
    writeFileSync(path('main.3.log'), 'three');
    rotateLogFiles(path('main.log'), 3);
    expect(readdirSync(dir).sort()).toEqual(['main.1.log', 'main.2.log']);
    expect(readFileSync(path('main.1.log'), 'utf8')).toBe('current');
    expect(readFileSync(path('main.2.log'), 'utf8')).toBe('one');
  });

  it('keeps nothing when asked for no old files', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'main.log'), 'x');
    rotateLogFiles(join(dir, 'main.log'), 0);
    expect(existsSync(join(dir, 'main.log'))).toBe(false);
  });
});
