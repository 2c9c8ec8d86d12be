import type { LibvirtConnection } from '../libvirt/libvirt-connection';
import type { DomainRef } from '../libvirt/remote-types';
import {
  parseSpiceClientsFromQmp,
  parseVncClientsFromQmp,
  type DisplayClientAddress,
} from '../vm/display-tracker';
import type { VmInventoryEntry } from '../../shared/model/engine-events';

/** How QEMU is asked who is attached to each kind of display. */
const DISPLAY_QUERIES: readonly [string, string, (reply: string) => DisplayClientAddress[]][] = [
  ['vnc', '{"execute":"query-vnc"}', parseVncClientsFromQmp],
  ['spice', '{"execute":"query-spice"}', parseSpiceClientsFromQmp],
];

/** QEMU answered a display query with something that is not a client list. */
export class DisplayQueryError extends Error {
  override readonly name = 'DisplayQueryError';
}

/**
 * The display clients already attached to a running domain, as QEMU lists them: libvirt's
 * events will never tell of a client that connected before we attached. Null when the monitor
 * cannot be asked (not a QEMU domain, a daemon that refuses monitor commands): events still work.
 */
export async function queryDisplayClients(
  lv: LibvirtConnection,
  entry: VmInventoryEntry,
): Promise<DisplayClientAddress[] | null> {
  const domain: DomainRef = { name: entry.name, uuid: entry.uuid, id: entry.id ?? -1 };
  const types = new Set(entry.graphics.map((g) => g.type));
  const clients: DisplayClientAddress[] = [];
  for (const [type, command, parse] of DISPLAY_QUERIES) {
    if (!types.has(type)) continue;
    let reply: string;
    try {
      reply = await lv.qemuMonitorCommand(domain, command);
    } catch {
      return null;
    }
    try {
      clients.push(...parse(reply));
    } catch (error) {
      throw new DisplayQueryError(
        `${entry.name}: unexpected ${type} client list: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  return clients;
}
