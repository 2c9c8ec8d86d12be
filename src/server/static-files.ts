import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

export interface StaticFile {
  body: Buffer;
  contentType: string;
  /** Hashed build assets never change under their name. */
  immutable: boolean;
}

/**
 * The built renderer's file for a URL path, or undefined. Paths that escape the
 * directory, hidden files and unknown types are treated as absent.
 */
export async function readStaticFile(
  root: string,
  urlPath: string,
): Promise<StaticFile | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const relative = normalize(decoded === '/' ? '/index.html' : decoded).replace(/^[/\\]+/, '');
  const parts = relative.split(sep);
  if (parts.some((part) => part === '..' || part.startsWith('.'))) return undefined;
  const contentType = contentTypes[extname(relative).toLowerCase()];
  if (contentType === undefined) return undefined;
  const path = join(root, relative);
  try {
    if (!(await stat(path)).isFile()) return undefined;
    return { body: await readFile(path), contentType, immutable: parts[0] === 'assets' };
  } catch {
    return undefined;
  }
}
