import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreError } from '../store-error';

function diskIsFull(path: string): boolean {
  try {
    return statfsSync(dirname(path)).bavail === 0;
  } catch {
    return false;
  }
}

/** SQLite's primary result code: extended codes (SQLITE_CORRUPT_INDEX) share its prefix. */
function primaryCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_')
    ? /^SQLITE_[A-Z]+/.exec(code)?.[0]
    : undefined;
}

/** What the admin can do with a damaged history file, named by its path. */
function moveAsideAdvice(path: string): string {
  return (
    `Move it aside (rename ${path}, and any ${path}-wal and ${path}-shm beside it) and ` +
    `SETMOV starts a new history there; \`sqlite3 ${path} .recover\` may save what it held.`
  );
}

/**
 * The StoreError for what SQLite said about the file at path, or undefined when it is
 * not one of the file's conditions (a bug, a constraint, a busy lock): those stay as
 * they are. The one place where SQLite's codes become the store's.
 */
export function storeErrorOf(error: unknown, path: string): StoreError | undefined {
  const reason = error instanceof Error ? error.message : String(error);
  switch (primaryCode(error)) {
    case 'SQLITE_CORRUPT':
      return new StoreError(
        'bad-database',
        `${path} is damaged (${reason}). ${moveAsideAdvice(path)}`,
      );
    case 'SQLITE_NOTADB':
      return new StoreError(
        'bad-database',
        `${path} is not a SQLite database (${reason}); if it is SETMOV's history, it is damaged. ${moveAsideAdvice(path)}`,
      );
    case 'SQLITE_FULL':
      return new StoreError(
        'disk-full',
        `the disk holding ${path} is full (${reason}): the write was undone; free some space`,
      );
    case 'SQLITE_IOERR':
      // Growing -shm or -wal on a full disk is an I/O error to SQLite, not SQLITE_FULL.
      return diskIsFull(path)
        ? new StoreError(
            'disk-full',
            `the disk holding ${path} is full (${reason}): nothing was written; free some space`,
          )
        : undefined;
    default:
      return undefined;
  }
}

/** Runs fn, turning SQLite's file conditions into StoreErrors. */
export function withStoreErrors<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw storeErrorOf(error, path) ?? error;
  }
}
