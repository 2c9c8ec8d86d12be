/**
 * The cookie's name carries the port: browsers scope cookies by host, not by port, so
 * two servers on one machine would otherwise overwrite each other's.
 */
export function tokenCookieName(port: number): string {
  return `setmov-token-${port}`;
}

/**
 * Set-Cookie for the token: out of reach of page scripts (HttpOnly), never sent on a
 * request another site starts (SameSite=Strict), only over TLS when the server has it.
 * No expiry: it ends with the browser session, and the token with the server anyway.
 */
export function tokenCookie(port: number, token: string, secure: boolean): string {
  const attributes = [`${tokenCookieName(port)}=${token}`, 'HttpOnly', 'SameSite=Strict', 'Path=/'];
  if (secure) attributes.push('Secure');
  return attributes.join('; ');
}

/** Every value a Cookie header gives the named cookie (a browser may send it twice). */
export function cookieValues(header: string | undefined, name: string): string[] {
  if (header === undefined) return [];
  const values: string[] = [];
  for (const pair of header.split(';')) {
    const equals = pair.indexOf('=');
    if (equals < 0) continue;
    if (pair.slice(0, equals).trim() === name) values.push(pair.slice(equals + 1).trim());
  }
  return values;
}
