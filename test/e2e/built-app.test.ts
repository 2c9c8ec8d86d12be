import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuild, projectRoot } from './ensure-build';

const read = (path: string): string => readFileSync(join(projectRoot, path), 'utf8');

describe('npm run build output', () => {
  beforeAll(() => ensureBuild(), 120_000);

  it('opens the window sandboxed and isolated, with the CommonJS preload', () => {
    const main = read('out/main/index.js');
    expect(main).toMatch(/sandbox: true/);
    expect(main).toMatch(/contextIsolation: true/);
    expect(main).toMatch(/nodeIntegration: false/);
    expect(main).toContain('"index.cjs"');
    expect(main).not.toMatch(/webSecurity: false|sandbox: false/);
  });

  it('builds the preload as CommonJS requiring only electron', () => {
    const preload = read('out/preload/index.cjs');
    expect(preload).toContain('require("electron")');
    expect(preload).not.toMatch(/^\s*(import|export)\s/m);
    expect([...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['electron']);
  });

  it('puts the CSP into the built page', () => {
    const html = read('out/renderer/index.html');
    expect(html).toMatch(
      /<meta http-equiv="Content-Security-Policy" content="default-src &#39;self&#39;; script-src &#39;self&#39;;/,
    );
    expect(html).not.toContain('unsafe');
  });
});
