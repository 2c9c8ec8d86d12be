// npm run bench [-- <name-substring>]: runs bench/*.bench.ts one after another
// (they share 2 cores; running them together would skew each other's numbers),
// prints a table and writes bench/results/latest.json.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, hostname, loadavg } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { discoverBenchFiles } from './lib/discover';
import { formatTable, ratio, targetMet, validateResult } from './lib/report';
import type { BenchResult, Benchmark } from './lib/types';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const resultsDir = join(benchDir, 'results');

async function loadBenchmark(file: string): Promise<Benchmark> {
  const mod = (await import(pathToFileURL(file).href)) as { default?: Partial<Benchmark> };
  const bench = mod.default;
  if (!bench || typeof bench.name !== 'string' || typeof bench.run !== 'function') {
    throw new TypeError(`${basename(file)} has no default export {name, run()}`);
  }
  return bench as Benchmark;
}

async function main(): Promise<number> {
  const filter = process.argv.slice(2).find((a) => a !== '--') ?? '';
  const files = discoverBenchFiles(benchDir, filter);
  if (files.length === 0) {
    console.error(`bench: no bench/*.bench.ts matches "${filter}"`);
    return 2;
  }
  const startedAt = new Date().toISOString();
  const results: BenchResult[] = [];
  const failures: { file: string; error: string }[] = [];
  for (const file of files) {
    const label = basename(file);
    const t0 = performance.now();
    console.log(`bench: running ${label}`);
    try {
      const bench = await loadBenchmark(file);
      const rows = await bench.run();
      if (!Array.isArray(rows)) throw new TypeError(`${label}: run() did not return a list`);
      results.push(...rows.map((row) => validateResult(row, label)));
      console.log(`bench: ${label} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failures.push({ file: label, error: message });
      console.error(`bench: ${label} failed: ${message}`);
    }
  }

  console.log(`\n${formatTable(results)}`);
  for (const r of results.filter((row) => row.note)) {
    console.log(`  ${r.benchmark} / ${r.metric}: ${r.note}`);
  }

  const report = {
    startedAt,
    finishedAt: new Date().toISOString(),
    host: { hostname: hostname(), cores: cpus().length, loadavg: loadavg(), node: process.version },
    filter: filter || null,
    results: results.map((r) => ({ ...r, ratio: ratio(r), targetMet: targetMet(r) })),
    failures,
  };
  mkdirSync(resultsDir, { recursive: true });
  const out = join(resultsDir, 'latest.json');
  writeFileSync(`${out}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
  renameSync(`${out}.tmp`, out);
  console.log(`\nbench: wrote ${out}`);
  if (failures.length > 0) {
    console.error(`bench: ${failures.length} benchmark(s) failed`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
