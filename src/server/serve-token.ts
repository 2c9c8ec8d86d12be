import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 bits: a token nobody can guess in the life of one `setmov serve`. */
const TOKEN_BYTES = 32;

/** A fresh token for one run of the server, URL-safe so it fits a query string and a cookie. */
export function createServeToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/**
 * Whether a presented token is the server's, in time that does not depend on where they
 * differ. Both are hashed first so that their lengths differing tells nothing either and
 * timingSafeEqual always sees equal lengths.
 */
export function sameToken(expected: string, presented: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(presented));
}
