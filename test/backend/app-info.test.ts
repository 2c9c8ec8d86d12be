import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAppVersion } from '../../src/backend/app-info';

describe('readAppVersion', () => {
  it("reads the project's own package.json by default", () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(readAppVersion().version).toBe(pkg.version);
  });

  it('names the file when it has no version', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'setmov-app-info-')), 'package.json');
    writeFileSync(path, '{"name": "x"}');
    expect(() => readAppVersion(path)).toThrow(`${path} has no version`);
    writeFileSync(path, 'null');
    expect(() => readAppVersion(path)).toThrow('has no version');
  });
});
