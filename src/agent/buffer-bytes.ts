import { statSync } from 'node:fs';

/**
 * The history's size on disk: the SQLite file and its -wal, where samples wait to be
 * checkpointed (-shm is an index of the -wal, a few KiB). A file not there counts 0.
 */
export function bufferBytes(dbPath: string): number {
  let bytes = 0;
  for (const path of [dbPath, `${dbPath}-wal`]) {
    try {
      bytes += statSync(path).size;
    } catch {
      // Not created yet, or gone with a checkpoint: nothing on disk.
    }
  }
  return bytes;
}
