import { SshDestinationError } from './ssh-errors';

export interface SshDestination {
  username: string;
  /** A host name, an IPv4 address, or an IPv6 address without brackets. */
  host: string;
  port: number;
}

const hostNamePattern = /^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;

function parsePort(text: string, input: string): number {
  if (!/^\d{1,5}$/.test(text))
    throw new SshDestinationError(input, `port '${text}' is not a number`);
  const port = Number(text);
  if (port < 1 || port > 65535)
    throw new SshDestinationError(input, `port ${port} is out of range`);
  return port;
}

/**
 * Parses `user@host`, `user@host:port`, `user@[v6addr]:port`, bare `user@v6addr` and the
 * `ssh://user@host:port` form. The user part ends at the last '@' (domain accounts such as
 * `admin@corp@host` keep theirs); without one, `defaultUser` is used.
 */
export function parseSshDestination(
  input: string,
  options: { defaultUser?: string; defaultPort?: number } = {},
): SshDestination {
  let rest = input.trim();
  if (rest === '') throw new SshDestinationError(input, 'empty');
  if (/\s/.test(rest)) throw new SshDestinationError(input, 'contains whitespace');
  if (rest.toLowerCase().startsWith('ssh://'))
    rest = rest.slice('ssh://'.length).replace(/\/$/, '');

  let username = options.defaultUser;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    username = rest.slice(0, at);
    rest = rest.slice(at + 1);
    if (username === '') throw new SshDestinationError(input, 'empty user name');
  }
  if (username === undefined) throw new SshDestinationError(input, 'no user name (user@host)');

  let host: string;
  let port = options.defaultPort ?? 22;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) throw new SshDestinationError(input, "unclosed '['");
    host = rest.slice(1, close);
    const after = rest.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith(':'))
        throw new SshDestinationError(input, `unexpected '${after}' after ']'`);
      port = parsePort(after.slice(1), input);
    }
    if (!host.includes(':') && !hostNamePattern.test(host)) {
      throw new SshDestinationError(input, `bad host '${host}'`);
    }
  } else if ((rest.match(/:/g) ?? []).length > 1) {
    host = rest;
  } else {
    const colon = rest.indexOf(':');
    host = colon >= 0 ? rest.slice(0, colon) : rest;
    if (colon >= 0) port = parsePort(rest.slice(colon + 1), input);
    if (!hostNamePattern.test(host)) throw new SshDestinationError(input, `bad host '${host}'`);
  }
  if (host === '') throw new SshDestinationError(input, 'empty host');
  if (host.includes(':') && !/^[0-9A-Fa-f:.]+(%[\w.-]+)?$/.test(host)) {
    throw new SshDestinationError(input, `bad IPv6 address '${host}'`);
  }
  return { username, host, port };
}

/** `user@host:port` (IPv6 in brackets), for labels and messages. */
export function formatSshDestination(d: { username: string; host: string; port?: number }): string {
  const host = d.host.includes(':') ? `[${d.host}]` : d.host;
  return `${d.username}@${host}:${d.port ?? 22}`;
}
