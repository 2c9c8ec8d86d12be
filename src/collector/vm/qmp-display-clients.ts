/**
 * Who is attached to a VM's display right now, from QEMU's own answer (QMP query-vnc,
 * query-vnc-servers, query-spice sent through libvirt's QEMU_PROC_MONITOR_COMMAND). Graphics events
 * only tell about connections made while the console listens; these seed the ones made before.
 */

export interface DisplayClientAddress {
  /** Client's address (host), as QEMU reports it. */
  address: string;
  /** Client's port (service), as text. */
  service: string;
}

/** The monitor's reply is not JSON, is a QMP error, or has not the shape of the query's reply. */
export class QmpReplyError extends Error {
  constructor(
    message: string,
    /** QMP error class (CommandNotFound, GenericError, ...), when QEMU sent an error. */
    readonly qmpClass: string | null = null,
  ) {
    super(message);
    this.name = 'QmpReplyError';
  }
}

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `return` member of a QMP reply; a QMP error becomes a QmpReplyError. */
function qmpReturn(reply: string, command: string): Json {
  let parsed: Json;
  try {
    parsed = JSON.parse(reply);
  } catch (error) {
    throw new QmpReplyError(`${command}: the reply is not JSON (${(error as Error).message})`);
  }
  if (!isObject(parsed)) throw new QmpReplyError(`${command}: the reply is not a JSON object`);
  if (isObject(parsed.error)) {
    const cls = typeof parsed.error.class === 'string' ? parsed.error.class : null;
    const desc = typeof parsed.error.desc === 'string' ? parsed.error.desc : 'no description';
    throw new QmpReplyError(`${command}: QEMU answered ${cls ?? 'an error'}: ${desc}`, cls);
  }
  if (!('return' in parsed)) throw new QmpReplyError(`${command}: the reply has no "return"`);
  return parsed.return;
}

function clientOf(value: Json, command: string, portKey: string): DisplayClientAddress {
  if (!isObject(value)) throw new QmpReplyError(`${command}: a client entry is not an object`);
  const host = value.host;
  const port = value[portKey];
  if (typeof host !== 'string' || (typeof port !== 'string' && typeof port !== 'number')) {
    throw new QmpReplyError(`${command}: a client entry lacks host or ${portKey}`);
  }
  return { address: host, service: String(port) };
}

function clientList(value: Json, command: string): Json[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new QmpReplyError(`${command}: "clients" is not an array`);
  return value;
}

/**
 * Clients of `{"execute":"query-vnc"}` (an object with `clients`) or of
 * `{"execute":"query-vnc-servers"}` (a list of servers, each with `clients`).
 */
export function parseVncClientsFromQmp(reply: string): DisplayClientAddress[] {
  const command = 'query-vnc';
  const result = qmpReturn(reply, command);
  const servers = Array.isArray(result) ? result : [result];
  const out: DisplayClientAddress[] = [];
  for (const server of servers) {
    if (!isObject(server)) throw new QmpReplyError(`${command}: the return is not an object`);
    for (const c of clientList(server.clients, command)) out.push(clientOf(c, command, 'service'));
  }
  return out;
}

const SPICE_MAIN_CHANNEL = 1;

/**
 * Clients of `{"execute":"query-spice"}`. SPICE opens one connection per channel; a client is
 * one connection-id, reported by the address of its main channel.
 */
export function parseSpiceClientsFromQmp(reply: string): DisplayClientAddress[] {
  const command = 'query-spice';
  const result = qmpReturn(reply, command);
  if (!isObject(result)) throw new QmpReplyError(`${command}: the return is not an object`);
  if (result.enabled === false) return [];
  const byConnection = new Map<string, { client: DisplayClientAddress; main: boolean }>();
  for (const channel of clientList(result.channels, command)) {
    const client = clientOf(channel, command, 'port');
    const record = channel as Record<string, Json>;
    const id = record['connection-id'];
    const key = typeof id === 'number' ? String(id) : `${client.address}:${client.service}`;
    const main = record['channel-type'] === SPICE_MAIN_CHANNEL;
    const known = byConnection.get(key);
    if (!known || (main && !known.main)) byConnection.set(key, { client, main });
  }
  return [...byConnection.values()].map((v) => v.client);
}
