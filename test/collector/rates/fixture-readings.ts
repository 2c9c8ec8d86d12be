import { parseReading, type ParsedHostReading } from '../../../src/collector/host/parse-reading';
import { procFilesPerReading, type ProcFileName } from '../../../src/collector/host/host-source';
import { fixtureText } from '../procfs/fixtures';

/**
 * A fixture tree as a parsed reading. Captures carry no monotonic clock, so the
 * reading's clock is taken from the tree's /proc/uptime (the kernel's own monotonic
 * time), or given explicitly.
 */
export function fixtureReading(tree: string, monotonicMs?: number): ParsedHostReading {
  const files = {} as Record<ProcFileName, string>;
  for (const name of procFilesPerReading) files[name] = fixtureText(tree, name);
  const uptimeMs = Number(files.uptime.split(' ')[0]) * 1000;
  return parseReading({
    timestampMs: 1_795_676_000_000 + uptimeMs,
    monotonicMs: monotonicMs ?? uptimeMs,
    files,
  });
}
