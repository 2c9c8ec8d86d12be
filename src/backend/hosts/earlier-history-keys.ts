import { rm } from 'node:fs/promises';
import { z } from 'zod';
import type { SavedHost } from '../../collector/hosts-config/saved-host';
import { readJsonFile } from '../../collector/files/private-json-file';
import type { Store } from '../../store/store';

/** history-names.json of an earlier version: saved host name → the hostname its history had. */
const earlierNamesSchema = z.record(z.string(), z.string());

/**
 * Once, after an upgrade: the history an earlier version kept under each saved host's
 * hostname (history-names.json said which) moves to the host's id, and the file goes.
 * A host the file does not name had its history under its saved name, as that version
 * looked it up. Nothing is deleted: rows no saved host claims stay under their hostname.
 */
export async function rekeyEarlierHistory(
  path: string,
  hosts: readonly SavedHost[],
  store: Store,
  log: (line: string) => void,
): Promise<void> {
  const names = await readJsonFile(path, earlierNamesSchema);
  if (names === undefined) return;
  for (const host of hosts) {
    const earlierKey = names[host.name] ?? host.name;
    if (store.rekeyHost(earlierKey, host.id)) {
      log(`setmov: ${host.name}: its history (kept as '${earlierKey}') is now under its id`);
    }
  }
  await rm(path, { force: true });
}
