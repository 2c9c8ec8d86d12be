import { chmodSync, closeSync, lstatSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreError } from '../store-error';

/** Owner read/write only: the history holds host IPs, VM names and display clients' addresses. */
const PRIVATE_FILE_MODE = 0o600;
const PRIVATE_DIR_MODE = 0o700;

/** The files SQLite keeps beside a database in WAL mode. */
const WAL_SUFFIXES = ['-wal', '-shm'];

/**
 * Makes the database file exist, readable by its owner only, before SQLite opens it.
 * SQLite creates a new file 0644 (less the umask), and gives -wal and -shm the mode of
 * the database file, so creating the file 0600 first is what keeps all three private.
 * Folders made here are 0700; a folder that exists is the admin's and is left alone.
 * A history an earlier version left readable by others is tightened, if it is ours.
 * A symbolic link in the history's place (or its -wal's, -shm's) is refused: SQLite
 * would follow it, create a dangling link's target with its default mode, and a chmod
 * would change whatever file it points to.
 */
export function preparePrivateDbFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
  for (const file of [path, ...WAL_SUFFIXES.map((suffix) => path + suffix)]) refuseLink(file);
  try {
    closeSync(openSync(path, 'wx', PRIVATE_FILE_MODE));
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  for (const file of [path, ...WAL_SUFFIXES.map((suffix) => path + suffix)]) tighten(file);
}

/** Its lstat, or null when there is nothing at that path. */
function entryAt(file: string) {
  try {
    return lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function refuseLink(file: string): void {
  if (entryAt(file)?.isSymbolicLink()) {
    throw new StoreError(
      'bad-database',
      `${file} is a symbolic link; the history must be a file of its own: move the link aside or give the real path`,
    );
  }
}

function tighten(file: string): void {
  const stat = entryAt(file);
  if (stat === null || !stat.isFile()) return;
  // Someone else's file opened read-write by this user is theirs to set. Windows has no
  // getuid (nor these mode bits): its per-user folders are private already.
  if (stat.uid !== process.getuid?.() || (stat.mode & 0o077) === 0) return;
  chmodSync(file, stat.mode & PRIVATE_FILE_MODE);
}
