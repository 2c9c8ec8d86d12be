import {
  chmodSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSecretStore, defaultSecretsPath } from '../../src/store/file-secret-store';

const mode = (path: string): number => statSync(path).mode & 0o777;

describe('FileSecretStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'setmov-secrets-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps, replaces and deletes secrets in a 0600 file in a folder it makes 0700', async () => {
    const path = join(dir, 'config', 'setmov', 'secrets.json');
    const store = new FileSecretStore(path);
    expect(await store.get('mysql:root@db:3306/vdi')).toBeNull();
    await store.set('mysql:root@db:3306/vdi', 'pw "one"\n');
    await store.set('ssh-password:h1', 'p2');
    await store.set('ssh-password:h1', 'p3');
    expect(mode(path)).toBe(0o600);
    expect(mode(join(dir, 'config', 'setmov'))).toBe(0o700);
    const again = new FileSecretStore(path);
    expect(await again.get('mysql:root@db:3306/vdi')).toBe('pw "one"\n');
    expect(await again.get('ssh-password:h1')).toBe('p3');
    await again.delete('ssh-password:h1');
    await again.delete('never-set');
    expect(await store.get('ssh-password:h1')).toBeNull();
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      version: 1,
      secrets: { 'mysql:root@db:3306/vdi': 'pw "one"\n' },
    });
    // Temporary files are renamed or removed, never left behind.
    expect(readdirSync(join(dir, 'config', 'setmov'))).toEqual(['secrets.json']);
  });

  it('creates the file 0600 whatever the umask', async () => {
    const path = join(dir, 'secrets.json');
    const old = process.umask(0);
    try {
      await new FileSecretStore(path).set('k', 'v');
    } finally {
      process.umask(old);
    }
    expect(mode(path)).toBe(0o600);
  });

  it('keeps every secret of writes started together', async () => {
    const store = new FileSecretStore(join(dir, 'secrets.json'));
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`k${i}`, `v${i}`)));
    for (let i = 0; i < 20; i++) expect(await store.get(`k${i}`)).toBe(`v${i}`);
  });

  it('refuses a file group or others can read, without changing it', async () => {
    const path = join(dir, 'secrets.json');
    const text = JSON.stringify({ version: 1, secrets: { k: 'hunter2' } });
    writeFileSync(path, text);
    chmodSync(path, 0o644);
    const store = new FileSecretStore(path);
    const refusal = await store.get('k').catch((e: unknown) => e);
    expect(refusal).toMatchObject({ name: 'SecretFileError', code: 'secret-file-exposed', path });
    expect((refusal as Error).message).toMatch(/mode 644 .*chmod 600/);
    expect((refusal as Error).message).not.toContain('hunter2');
    await expect(store.set('k2', 'v')).rejects.toMatchObject({ code: 'secret-file-exposed' });
    expect(readFileSync(path, 'utf8')).toBe(text);
    expect(mode(path)).toBe(0o644);
  });

  it('refuses a symbolic link', async () => {
    const real = join(dir, 'real.json');
    writeFileSync(real, JSON.stringify({ version: 1, secrets: {} }), { mode: 0o600 });
    const link = join(dir, 'secrets.json');
    symlinkSync(real, link);
    await expect(new FileSecretStore(link).get('k')).rejects.toMatchObject({
      code: 'secret-file-exposed',
    });
  });

  it('leaves a file that is not its own as it is, and says so without quoting it', async () => {
    const path = join(dir, 'secrets.json');
    for (const text of ['{"version":1,"secrets":{"k":"hunter2"', '{"version":2,"secrets":{}}']) {
      writeFileSync(path, text, { mode: 0o600 });
      const store = new FileSecretStore(path);
      const error = await store.set('k', 'new').catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'secret-file-invalid' });
      expect((error as Error).message).not.toContain('hunter2');
      expect(readFileSync(path, 'utf8')).toBe(text);
    }
  });

  it('fails a write it cannot make with a typed error', async () => {
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, 'x');
    await expect(
      new FileSecretStore(join(blocker, 'secrets.json')).set('k', 'v'),
    ).rejects.toMatchObject({ name: 'SecretFileError', code: 'secret-file-io' });
  });

  it('creates no file for a delete that changes nothing', async () => {
    const path = join(dir, 'secrets.json');
    await new FileSecretStore(path).delete('never-set');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('lives beside hosts.json in the XDG config folder', () => {
    expect(defaultSecretsPath({ XDG_CONFIG_HOME: '/x/cfg' })).toBe('/x/cfg/setmov/secrets.json');
  });
});
