import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonFile } from '../collector/files/private-json-file';
import { newHostId } from '../collector/hosts-config/hosts-config';
import type { SavedHost } from '../collector/hosts-config/saved-host';
import { hostId } from '../shared/contract/host-fields';
import type { ConfiguredHost } from './agent-config';

/** The ids the agent gave hosts, by host name. */
const hostIdsSchema = z.strictObject({
  version: z.literal(1),
  ids: z.record(z.string(), hostId),
});

export function hostIdsPath(stateDir: string): string {
  return join(stateDir, 'host-ids.json');
}

/**
 * The configured hosts with their ids. A host's history is keyed by its id, so an id must
 * outlive the process: a host the configuration gives none gets one made once and kept
 * in <stateDir>/host-ids.json by its name. The agent never writes its configuration file,
 * which may be read-only (systemd's ProtectSystem=strict). A given id is recorded too, so
 * taking it out of the file later keeps it; names no longer configured keep theirs, so a
 * host put back has its history back.
 */
export async function withHostIds(
  stateDir: string,
  hosts: readonly ConfiguredHost[],
): Promise<SavedHost[]> {
  const path = hostIdsPath(stateDir);
  const ids = { ...(await readJsonFile(path, hostIdsSchema))?.ids };
  let changed = false;
  const withIds = hosts.map(({ id, ...host }): SavedHost => {
    const kept = id ?? ids[host.name] ?? newHostId();
    if (ids[host.name] !== kept) {
      ids[host.name] = kept;
      changed = true;
    }
    return { id: kept, ...host };
  });
  const seen = new Map<string, string>();
  for (const host of withIds) {
    const other = seen.get(host.id);
    if (other !== undefined) {
      throw new Error(
        `${path}: hosts '${other}' and '${host.name}' would have the same id '${host.id}'; give one of them its own id`,
      );
    }
    seen.set(host.id, host.name);
  }
  if (changed) await writeJsonFile(path, hostIdsSchema, { version: 1, ids });
  return withIds;
}
