/** A libvirt URI, `driver[+transport]://[user@][host][:port]/path[?param=value...]`, taken apart. */
export interface LibvirtUri {
  driver: string;
  /** unix, tcp, ssh, tls, ext, libssh...; when absent: unix without a host, tls with one (as libvirt). */
  transport: string;
  user: string | null;
  host: string | null;
  port: number | null;
  /** e.g. /system, /default, /abs/path.xml */
  path: string;
  /** Query parameters, decoded. */
  params: Record<string, string>;
  /** What CONNECT_OPEN is given: the URI without transport, host and client-side parameters. */
  remoteName: string;
}

export class LibvirtUriError extends Error {
  override readonly name = 'LibvirtUriError';
}

/** Parameters libvirt's remote driver consumes itself and does not forward to the daemon. */
const CLIENT_PARAMS = new Set([
  'name',
  'command',
  'socket',
  'netcat',
  'keyfile',
  'sshauth',
  'no_verify',
  'no_tty',
  'pkipath',
  'known_hosts',
  'known_hosts_verify',
  'tls_priority',
  'mode',
  'proxy',
]);

export function parseLibvirtUri(text: string): LibvirtUri {
  const match =
    /^([a-z][a-z0-9-]*)(?:\+([a-z0-9-]+))?:\/\/([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?$/i.exec(text);
  if (!match) {
    throw new LibvirtUriError(
      `'${text}' is not a libvirt URI (driver[+transport]://[user@][host][:port]/path)`,
    );
  }
  const [, driver = '', transportPart, authority = '', path = '', query = ''] = match;
  let user: string | null = null;
  let hostPort = authority;
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    user = decodeURIComponent(authority.slice(0, at));
    hostPort = authority.slice(at + 1);
  }
  let host: string | null = hostPort;
  let port: number | null = null;
  const portMatch = /^(\[[^\]]+\]|[^:]*)(?::(\d*))?$/.exec(hostPort);
  if (!portMatch) throw new LibvirtUriError(`bad host in '${text}'`);
  host = (portMatch[1] ?? '').replace(/^\[|\]$/g, '') || null;
  if (portMatch[2]) {
    port = Number(portMatch[2]);
    if (port < 1 || port > 65535) throw new LibvirtUriError(`bad port in '${text}'`);
  }
  const params: Record<string, string> = {};
  const forwarded: string[] = [];
  for (const part of query.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '));
    params[key] = value;
    if (!CLIENT_PARAMS.has(key.toLowerCase())) forwarded.push(part);
  }
  const transport = (transportPart ?? (host ? 'tls' : 'unix')).toLowerCase();
  const remoteName =
    params.name ??
    `${driver.toLowerCase()}://${path}${forwarded.length ? `?${forwarded.join('&')}` : ''}`;
  return { driver: driver.toLowerCase(), transport, user, host, port, path, params, remoteName };
}
