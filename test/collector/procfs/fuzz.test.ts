import { describe, expect, it } from 'vitest';
import { parseCpuinfo } from '../../../src/collector/procfs/cpuinfo';
import { parseDiskstats } from '../../../src/collector/procfs/diskstats';
import { parseLocalAddresses } from '../../../src/collector/procfs/fib-trie';
import { parseLoadavg } from '../../../src/collector/procfs/loadavg';
import { parseMeminfo } from '../../../src/collector/procfs/meminfo';
import { parseNetDev } from '../../../src/collector/procfs/net-dev';
import { parseNetRoute } from '../../../src/collector/procfs/net-route';
import { ProcParseError } from '../../../src/collector/procfs/proc-parse-error';
import { parseStat } from '../../../src/collector/procfs/stat';
import { parseUptime } from '../../../src/collector/procfs/uptime';
import { fixtureText, fixtureTrees, hasFixture } from './fixtures';
import { badValue, mutate, seededRandom } from './mutate';

const inputsPerParser = 10_000;

const parsers: [string, (text: string) => unknown][] = [
  ['stat', parseStat],
  ['meminfo', parseMeminfo],
  ['diskstats', parseDiskstats],
  ['net/dev', parseNetDev],
  ['loadavg', parseLoadavg],
  ['uptime', parseUptime],
  ['cpuinfo', parseCpuinfo],
  ['net/route', parseNetRoute],
  ['net/fib_trie', parseLocalAddresses],
];

describe('fuzzing the parsers with damaged real /proc text', () => {
  it.each(parsers)(
    '%s: 10,000 mutated inputs give a result or a ProcParseError, nothing else',
    (file, parse) => {
      const originals = fixtureTrees()
        .filter((tree) => hasFixture(tree.name, file))
        .map((tree) => fixtureText(tree.name, file));
      const random = seededRandom(0x5e7a0 + file.length);
      let parsed = 0;
      let rejected = 0;
      let slowestMs = 0;
      for (let i = 0; i < inputsPerParser; i++) {
        // Stack up to three mutations so damage compounds.
        let text = originals[i % originals.length] as string;
        const rounds = 1 + Math.floor(random() * 3);
        for (let r = 0; r < rounds; r++) text = mutate(text, random);
        const started = performance.now();
        try {
          const result = parse(text);
          const bad = badValue(result);
          if (bad)
            throw new Error(`input #${i} gave ${bad}: ${JSON.stringify(text.slice(0, 200))}`);
          parsed++;
        } catch (error) {
          if (!(error instanceof ProcParseError)) {
            throw new Error(
              `input #${i} threw ${String(error)}: ${JSON.stringify(text.slice(0, 200))}`,
            );
          }
          if (error.file !== file || error.message.includes('\n')) {
            throw new Error(
              `input #${i}: error names '${error.file}' or spans lines: ${error.message}`,
            );
          }
          rejected++;
        }
        slowestMs = Math.max(slowestMs, performance.now() - started);
      }
      expect(parsed + rejected).toBe(inputsPerParser);
      // Both outcomes occur: the mutations neither always break nor never break a file.
      if (file !== 'net/fib_trie') expect(rejected).toBeGreaterThan(0);
      expect(parsed).toBeGreaterThan(0);
      // Linear parsers: even the largest damaged file takes well under a second.
      expect(slowestMs).toBeLessThan(1000);
    },
    // ~2 s each on an idle machine; room for the loaded 2-core test bed.
    60_000,
  );
});
