import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** A TypeScript file of the repository, or TypeScript source resolved from its root. */
export type BundleEntry = { file: string } | { source: string };

/**
 * Bundles `entry` into one ESM file that plain `node` runs, so a measured process carries
 * no TypeScript loader thread. It lands under node_modules/.cache/<name>/ so the external
 * packages (ssh2 and better-sqlite3 have native parts) resolve from node_modules.
 */
export async function bundleForNode(name: string, entry: BundleEntry): Promise<string> {
  const { build } = await import('esbuild');
  const dir = join(repoRoot, 'node_modules', '.cache', name);
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `${name}.mjs`);
  await build({
    ...('file' in entry
      ? { entryPoints: [join(repoRoot, entry.file)] }
      : { stdin: { contents: entry.source, resolveDir: repoRoot, loader: 'ts' as const } }),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'silent',
    packages: 'external',
  });
  return outfile;
}
