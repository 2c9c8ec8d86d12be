import type { ServerResponse } from 'node:http';
import { roleOfToken } from './request-auth';
import type { ServeTokens } from './request-auth';
import { tokenCookie } from './token-cookie';

/** The query parameter of the URL `setmov serve` prints. */
export const TOKEN_PARAM = 'token';

/**
 * A page opened with `?token=`: a right token becomes the cookie and the browser is sent
 * to the same address without it, so the token leaves the address bar and the history
 * entry, and is never a Referer or a bookmark. A wrong one is refused before any page
 * loads, so an old link says so instead of showing a console that cannot reach its data.
 * Either token (admin's, viewer's) becomes the cookie as it is: its value is the role.
 */
export function answerTokenExchange(
  response: ServerResponse,
  url: URL,
  tokens: ServeTokens,
  port: number,
  secure: boolean,
): void {
  response.setHeader('Cache-Control', 'no-store');
  const token = url.searchParams.get(TOKEN_PARAM) ?? '';
  if (roleOfToken(tokens, token) === null) {
    response.statusCode = 401;
    response.setHeader('Content-Type', 'text/plain; charset=utf-8');
    response.end(
      "this link's token is not this server's (was `setmov serve` restarted?); " +
        'open the URL it printed when it started\n',
    );
    return;
  }
  const clean = new URL(url);
  clean.searchParams.delete(TOKEN_PARAM);
  response.statusCode = 303;
  response.setHeader('Set-Cookie', tokenCookie(port, token, secure));
  // One leading slash: '//host/' (from a path such as '/.//host/') would be another site.
  response.setHeader('Location', `/${clean.pathname.replace(/^\/+/, '')}${clean.search}`);
  response.end();
}
