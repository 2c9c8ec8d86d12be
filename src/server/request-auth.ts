import type { IncomingHttpHeaders } from 'node:http';
import { sameToken } from './serve-token';
import { cookieValues, tokenCookieName } from './token-cookie';

/**
 * Whether a request carries the server's token: as the cookie the page was given, or as
 * `Authorization: Bearer` from a script. Every presented value is compared, so which one
 * was wrong takes no different time.
 */
export function isAuthorized(headers: IncomingHttpHeaders, token: string, port: number): boolean {
  const presented = cookieValues(headers.cookie, tokenCookieName(port));
  const bearer = /^Bearer +(\S+)\s*$/i.exec(headers.authorization ?? '');
  if (bearer?.[1] !== undefined) presented.push(bearer[1]);
  let authorized = false;
  for (const value of presented) authorized = sameToken(token, value) || authorized;
  return authorized;
}
