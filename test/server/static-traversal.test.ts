import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/server';
import type { RunningServer } from '../../src/server/server';
import { readStaticFile } from '../../src/server/static-files';
import { rawRequest } from './test-server';

const SECRET = 'outside the renderer';

/** base/renderer is what is served; base/secret.js and base/etc/passwd.js lie beside it. */
function fixture(): string {
  const base = mkdtempSync(join(tmpdir(), 'setmov-traversal-'));
  const root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>SETMOV Console</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1);');
  writeFileSync(join(base, 'secret.js'), SECRET);
  mkdirSync(join(base, 'etc'));
  writeFileSync(join(base, 'etc', 'passwd.js'), SECRET);
  symlinkSync(join(base, 'secret.js'), join(root, 'assets', 'linked.js'));
  symlinkSync(base, join(root, 'up'));
  // A name that is a separator on Windows, and one that a second decoding would change.
  writeFileSync(join(root, 'assets', 'a\\b.js'), SECRET);
  writeFileSync(join(root, 'assets', '%2e.js'), SECRET);
  return root;
}

/** Every way of writing "the parent folder" in a URL that a traversal attempt uses. */
const attempts = [
  '/../secret.js',
  '/assets/../../secret.js',
  '/%2e%2e/secret.js',
  '/%2E%2E/secret.js',
  '/.%2e/secret.js',
  '/assets/%2e%2e/%2e%2e/secret.js',
  '/..%2fsecret.js',
  '/assets/..%2f..%2fsecret.js',
  '/%2e%2e%2fsecret.js',
  '/%252e%252e/secret.js',
  '/%252e%252e%252fsecret.js',
  '/assets/%252e%252e%252f%252e%252e%252fsecret.js',
  '/..\\secret.js',
  '/assets\\..\\..\\secret.js',
  '/..%5csecret.js',
  '/assets/..%5c..%5csecret.js',
  '/%255c..%255csecret.js',
  '/%c0%ae%c0%ae/secret.js',
  '/..%00/secret.js',
  '//../secret.js',
  '/assets/linked.js',
  '/up/secret.js',
  '/up/etc/passwd.js',
  '/assets/a%5cb.js',
  '/assets/%252e.js',
];

describe('the static server never serves a file outside the renderer', () => {
  let root: string;
  let server: RunningServer;
  beforeAll(async () => {
    root = fixture();
    server = await startServer({
      host: '127.0.0.1',
      port: 0,
      rendererDir: root,
      handlers: { 'app.getVersion': () => ({ version: '1' }) },
    });
  });
  afterAll(() => server.close());

  it.each(attempts)('over HTTP: %s', async (path) => {
    const response = await rawRequest(server.port, {
      path,
      headers: { host: `127.0.0.1:${server.port}` },
    });
    expect(response.body).not.toContain(SECRET);
    expect([400, 404]).toContain(response.status);
  });

  it.each(attempts)('given straight to readStaticFile: %s', async (path) => {
    expect(await readStaticFile(root, path)).toBeUndefined();
  });

  it('refuses names with a backslash or a percent sign even when such a file exists', async () => {
    // On Linux these are plain names, but no build has them, and refusing them means no
    // platform's separator and no second decoding can ever make one a way out.
    expect(await readStaticFile(root, '/assets/a\\b.js')).toBeUndefined();
    expect(await readStaticFile(root, '/assets/%252e.js')).toBeUndefined();
  });

  it('still serves what is inside', async () => {
    expect((await readStaticFile(root, '/assets/app.js'))?.body.toString()).toBe('console.log(1);');
    expect((await readStaticFile(root, '/'))?.contentType).toBe('text/html; charset=utf-8');
    expect((await readStaticFile(root, '/assets/%61pp.js'))?.body.toString()).toBe(
      'console.log(1);',
    );
  });
});
