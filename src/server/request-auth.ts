import type { IncomingHttpHeaders } from 'node:http';
import type { Role } from '../shared/contract';
import { sameToken } from './serve-token';
import { cookieValues, tokenCookieName } from './token-cookie';

/** The two tokens of one run: the admin's and the viewer's. */
export type ServeTokens = Record<Role, string>;

/**
 * The role whose token a value is, or null for neither. Both are compared every time,
 * so which one (if any) it matched takes no different time.
 */
export function roleOfToken(tokens: ServeTokens, presented: string): Role | null {
  const admin = sameToken(tokens.admin, presented);
  const viewer = sameToken(tokens.viewer, presented);
  return admin ? 'admin' : viewer ? 'viewer' : null;
}

/**
 * The role of a request's token, presented as the cookie the page was given or as
 * `Authorization: Bearer` from a script; null when it carries neither token. Every
 * presented value is compared, so which one was wrong takes no different time; the
 * admin's wins when a browser sends both.
 */
export function roleOf(
  headers: IncomingHttpHeaders,
  tokens: ServeTokens,
  port: number,
): Role | null {
  const presented = cookieValues(headers.cookie, tokenCookieName(port));
  const bearer = /^Bearer +(\S+)\s*$/i.exec(headers.authorization ?? '');
  if (bearer?.[1] !== undefined) presented.push(bearer[1]);
  let role: Role | null = null;
  for (const value of presented) {
    const found = roleOfToken(tokens, value);
    if (found === 'admin' || (found === 'viewer' && role === null)) role = found;
  }
  return role;
}
