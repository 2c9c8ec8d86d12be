import { printableText } from './model/printable-text';

/** A libvirt URI as the console takes it, `driver[+transport]://[user@][host][:port]/path`, taken apart. */
export interface LibvirtUri {
  driver: string;
  /** unix, tcp, ssh, tls, ext, libssh...; when absent: unix without a host, tls with one (as libvirt). */
  transport: string;
  user: string | null;
  host: string | null;
  port: number | null;
  /** e.g. /system, /default, /abs/path.xml */
  path: string;
  /** What CONNECT_OPEN is given: `driver://path`, the URI without transport and host. */
  remoteName: string;
}

export class LibvirtUriError extends Error {
  override readonly name = 'LibvirtUriError';
}

/** How much of a refused URI its error quotes. */
const maxQuotedChars = 200;

const shape = 'driver[+transport]://[user@][host][:port]/path';

/**
 * Takes a console's libvirt URI apart. It carries no `?parameters`: libvirt's client reads
 * its socket, helper command (`netcat`, `command`), SSH key (`keyfile`) and known_hosts
 * from there, and a saved host's URI comes from a request, so those would let a request
 * pick the commands run on the host and the files read here. The console chooses them
 * itself: the host's SSH settings give the key, the socket and helpers are fixed.
 */
export function parseLibvirtUri(text: string): LibvirtUri {
  const quoted = `'${printableText(text, maxQuotedChars)}'`;
  if (text.includes('?')) {
    throw new LibvirtUriError(
      `${quoted}: a console's libvirt URI takes no ?parameters (${shape}); ` +
        "the SSH key, socket and helper come from the host's SSH settings",
    );
  }
  const match = /^([a-z][a-z0-9-]*)(?:\+([a-z0-9-]+))?:\/\/([^/?#]*)(\/[^?#]*)?$/i.exec(text);
  if (!match) throw new LibvirtUriError(`${quoted} is not a libvirt URI (${shape})`);
  const [, driver = '', transportPart, authority = '', path = ''] = match;
  let user: string | null = null;
  let hostPort = authority;
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    user = decodedPart(authority.slice(0, at), quoted);
    hostPort = authority.slice(at + 1);
  }
  const portMatch = /^(\[[^\]]+\]|[^:]*)(?::(\d*))?$/.exec(hostPort);
  if (!portMatch) throw new LibvirtUriError(`bad host in ${quoted}`);
  const host = (portMatch[1] ?? '').replace(/^\[|\]$/g, '') || null;
  let port: number | null = null;
  if (portMatch[2]) {
    port = Number(portMatch[2]);
    if (port < 1 || port > 65535) throw new LibvirtUriError(`bad port in ${quoted}`);
  }
  const transport = (transportPart ?? (host ? 'tls' : 'unix')).toLowerCase();
  const remoteName = `${driver.toLowerCase()}://${path}`;
  return { driver: driver.toLowerCase(), transport, user, host, port, path, remoteName };
}

function decodedPart(part: string, quoted: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new LibvirtUriError(`bad %-escape in the user of ${quoted}`);
  }
}
