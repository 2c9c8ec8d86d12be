import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverBenchFiles } from '../../../bench/lib/discover';

describe('discoverBenchFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'setmov-bench-'));
  for (const f of ['b-fleet.bench.ts', 'a-virsh.bench.ts', 'run.ts', 'notes.bench.md']) {
    writeFileSync(join(dir, f), '');
  }
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds *.bench.ts files, sorted', () => {
    expect(discoverBenchFiles(dir).map((f) => basename(f))).toEqual([
      'a-virsh.bench.ts',
      'b-fleet.bench.ts',
    ]);
  });

  it('filters by a substring of the name', () => {
    expect(discoverBenchFiles(dir, 'fleet').map((f) => basename(f))).toEqual(['b-fleet.bench.ts']);
    expect(discoverBenchFiles(dir, 'nothing')).toEqual([]);
  });
});
