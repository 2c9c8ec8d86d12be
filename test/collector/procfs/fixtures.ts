import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const fixturesRoot = fileURLToPath(new URL('../../fixtures/proc', import.meta.url));

/** Every captured /proc tree under test/fixtures/proc (a directory holding a 'stat' file). */
export function fixtureTrees(): { name: string; dir: string }[] {
  const trees: { name: string; dir: string }[] = [];
  const walk = (dir: string): void => {
    if (existsSync(join(dir, 'stat'))) trees.push({ name: relative(fixturesRoot, dir), dir });
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory() && entry !== 'net' && entry !== 'sys') walk(path);
    }
  };
  walk(fixturesRoot);
  return trees;
}

export function fixtureText(tree: string, file: string): string {
  return readFileSync(join(fixturesRoot, tree, file), 'utf8');
}

export function hasFixture(tree: string, file: string): boolean {
  return existsSync(join(fixturesRoot, tree, file));
}
