import { chmodSync, existsSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store';
import { StoreError } from '../../src/store/store-error';
import { makeRandom, makeVmSample } from './sample-factory';
import { tempDir } from './temp-db';

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);

/** The db and the two files SQLite keeps beside it in WAL mode, with their modes. */
function modes(db: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(db + suffix)) result[`db${suffix}`] = mode(db + suffix);
  }
  return result;
}

// The history holds host IPs, VM names and the addresses of display clients: only its
// owner may read it, whatever umask the process was started with.
describe.skipIf(process.platform === 'win32')('history file permissions', () => {
  const tmp = tempDir();
  let umask = 0;
  beforeAll(() => {
    umask = process.umask(0o022);
  });
  afterAll(() => {
    process.umask(umask);
    tmp.remove();
  });

  it('creates the folder 0700 and the db, -wal and -shm 0600', () => {
    const dir = join(tmp.dir, 'data', 'setmov');
    const path = join(dir, 'setmov.db');
    const store = Store.open({ path });
    try {
      expect(mode(join(tmp.dir, 'data'))).toBe('700');
      expect(mode(dir)).toBe('700');
      expect(modes(path)).toEqual({ db: '600', 'db-wal': '600', 'db-shm': '600' });
      store.ingest([{ type: 'vm-sample', sample: makeVmSample(1, Date.now(), makeRandom(1)) }]);
      expect(modes(path)).toEqual({ db: '600', 'db-wal': '600', 'db-shm': '600' });
    } finally {
      store.close();
    }
  });

  it('tightens a history an earlier version left readable by everyone', () => {
    const dir = join(tmp.dir, 'old');
    mkdirSync(dir, { mode: 0o755 });
    const path = join(dir, 'setmov.db');
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE t (a)');
    chmodSync(path, 0o644);
    expect(modes(path)).toEqual({ db: '644', 'db-wal': '644', 'db-shm': '644' });
    const store = Store.open({ path });
    try {
      expect(modes(path)).toEqual({ db: '600', 'db-wal': '600', 'db-shm': '600' });
      // A folder the admin chose (e.g. --db /srv/x.db) is theirs: it is not changed.
      expect(mode(dir)).toBe('755');
    } finally {
      store.close();
      old.close();
    }
  });

  it('refuses a dangling symbolic link as the history instead of creating its target', () => {
    const dir = join(tmp.dir, 'dangling');
    mkdirSync(dir);
    const target = join(dir, 'elsewhere.db');
    const path = join(dir, 'setmov.db');
    symlinkSync(target, path);
    expect(() => Store.open({ path })).toThrow(StoreError);
    expect(() => Store.open({ path })).toThrow(/symbolic link/);
    expect(existsSync(target)).toBe(false);
  });

  it('refuses a link to another file and leaves the mode of that file alone', () => {
    const dir = join(tmp.dir, 'linked');
    mkdirSync(dir);
    const target = join(dir, 'shared.txt');
    writeFileSync(target, 'not a history', { mode: 0o644 });
    chmodSync(target, 0o644);
    const path = join(dir, 'setmov.db');
    symlinkSync(target, path);
    expect(() => Store.open({ path })).toThrow(/symbolic link/);
    expect(mode(target)).toBe('644');
  });

  it('refuses a link in the place of the write-ahead log', () => {
    const dir = join(tmp.dir, 'wal-link');
    mkdirSync(dir);
    const path = join(dir, 'setmov.db');
    symlinkSync(join(dir, 'elsewhere'), `${path}-wal`);
    expect(() => Store.open({ path })).toThrow(/setmov\.db-wal is a symbolic link/);
  });
});
