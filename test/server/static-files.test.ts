import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/server';
import type { RunningServer } from '../../src/server/server';
import { readStaticFile } from '../../src/server/static-files';
import { makeRendererDir, rawRequest } from './test-server';

/**
 * A build folder with links in it: one to a file outside (what an attacker, or a careless
 * deploy, leaves), one to a folder outside, and links that stay inside.
 */
function rendererWithLinks(): { root: string; secret: string } {
  const root = makeRendererDir();
  const outside = mkdtempSync(join(tmpdir(), 'setmov-outside-'));
  const secret = join(outside, 'secret.js');
  writeFileSync(secret, 'const key = "outside the build";');
  mkdirSync(join(outside, 'dir'));
  writeFileSync(join(outside, 'dir', 'other.js'), 'outside too');
  symlinkSync(secret, join(root, 'leak.js'));
  symlinkSync(join(outside, 'dir'), join(root, 'assets', 'linked-dir'));
  symlinkSync(join(root, 'assets', 'index-abc123.js'), join(root, 'alias.js'));
  symlinkSync(join(root, '.env'), join(root, 'env.js'));
  return { root, secret };
}

describe('readStaticFile and symbolic links', () => {
  let fixture: { root: string; secret: string };
  let server: RunningServer;
  beforeAll(async () => {
    fixture = rendererWithLinks();
    server = await startServer({
      host: '127.0.0.1',
      port: 0,
      rendererDir: fixture.root,
      handlers: { 'app.getVersion': () => ({ version: '1' }) },
    });
  });
  afterAll(() => server.close());

  const get = (path: string) =>
    rawRequest(server.port, { path, headers: { host: `127.0.0.1:${server.port}` } });

  it('does not follow a link to a file or a folder outside the build', async () => {
    expect(await readStaticFile(fixture.root, '/leak.js')).toBeUndefined();
    expect(await readStaticFile(fixture.root, '/assets/linked-dir/other.js')).toBeUndefined();
    const leak = await get('/leak.js');
    expect(leak.status).toBe(404);
    expect(leak.body).not.toContain('outside the build');
    expect((await get('/assets/linked-dir/other.js')).status).toBe(404);
  });

  it('does not follow a link inside the build to a hidden file', async () => {
    expect(await readStaticFile(fixture.root, '/env.js')).toBeUndefined();
  });

  it('still serves a link that stays inside the build', async () => {
    const alias = await get('/alias.js');
    expect(alias.status).toBe(200);
    expect(alias.body).toBe('console.log(1);');
  });

  it('serves a build folder that is itself reached through a link', async () => {
    const linkedRoot = join(mkdtempSync(join(tmpdir(), 'setmov-link-')), 'renderer');
    symlinkSync(fixture.root, linkedRoot);
    const file = await readStaticFile(linkedRoot, '/assets/index-abc123.js');
    expect(file?.body.toString()).toBe('console.log(1);');
    expect(await readStaticFile(linkedRoot, '/leak.js')).toBeUndefined();
  });
});
