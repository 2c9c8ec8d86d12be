import { readFile, realpath, stat } from 'node:fs/promises';
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
 * directory, by name or through a symbolic link, hidden files and unknown types are
 * treated as absent.
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
  // No file of a build has a backslash or a percent sign in its name. Refused, a backslash
  // cannot act as a separator on any platform, nor a doubly encoded name (%252e%252e)
  // become a traversal in whatever decodes it once more.
  if (/[\0\\%]/.test(decoded)) return undefined;
  const relative = normalize(decoded === '/' ? '/index.html' : decoded).replace(/^[/\\]+/, '');
  const parts = relative.split(sep);
  if (parts.some((part) => part === '..' || part.startsWith('.'))) return undefined;
  const contentType = contentTypes[extname(relative).toLowerCase()];
  if (contentType === undefined) return undefined;
  try {
    const real = await realPathInside(root, join(root, relative));
    if (real === undefined || !(await stat(real)).isFile()) return undefined;
    return { body: await readFile(real), contentType, immutable: parts[0] === 'assets' };
  } catch {
    return undefined;
  }
}

/**
 * The file's real path, when it lies inside the root's real path and is not hidden there.
 * The URL check above only sees names: a symbolic link in the build (a careless deploy,
 * a planted link) would otherwise hand out any file the server can read.
 */
async function realPathInside(root: string, path: string): Promise<string | undefined> {
  const [realRoot, real] = await Promise.all([realpath(root), realpath(path)]);
  if (!real.startsWith(realRoot + sep)) return undefined;
  const parts = real.slice(realRoot.length + 1).split(sep);
  return parts.some((part) => part.startsWith('.')) ? undefined : real;
}
