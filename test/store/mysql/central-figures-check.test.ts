import { describe, expect, it } from 'vitest';
import {
  figureSchemas,
  quickHostFigures,
  quickVmFigures,
} from '../../../src/store/mysql/central-fleet-reader';
import { seededRandom } from '../../helpers/seeded-random';

// What a t1/t3 row's figure columns may hold as mysql2 hands them over, and worse.
const numbers = [
  0,
  -0,
  12.5,
  37,
  99.9,
  100,
  5e6,
  100_000,
  100_000.5,
  -1,
  1e12,
  NaN,
  Infinity,
  -Infinity,
];
const others = [null, undefined, '12', '', true, {}, [], 2n];
const times = [
  '2026-12-07 10:00:00',
  '2026-12-07 10:00:00.123',
  '2026-12-07 10:00:00.123456',
  '2026-02-30 10:00:00',
  '2026-12-07T10:00:00',
  '2026-12-07 10:00',
  '9999-99-99 99:99:99',
  '',
];

describe('the figures-only check of a central row', () => {
  it('takes exactly what the row schema takes, as it takes it, over 20,000 rows', () => {
    const random = seededRandom(25);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
    const figureValue = () => (random() < 0.9 ? pick(numbers) : pick(others));
    const timeValue = () => (random() < 0.9 ? pick(times) : pick([...others, ...numbers]));
    let taken = 0;
    for (let i = 0; i < 20_000; i++) {
      const raw: Record<string, unknown> = {
        updated_at: timeValue(),
        latest_ts: timeValue(),
        latest_cpu: figureValue(),
        latest_memory: figureValue(),
        latest_disk: figureValue(),
        latest_network: figureValue(),
        last_seen: timeValue(),
      };
      for (const [quick, schema] of [
        [quickHostFigures, figureSchemas.host],
        [quickVmFigures, figureSchemas.vm],
      ] as const) {
        const checked = schema.safeParse(raw);
        const fast = quick(raw);
        expect(
          fast,
          JSON.stringify(raw, (_, v: unknown) => String(v)),
        ).toEqual(checked.success ? checked.data : undefined);
        if (fast) taken++;
      }
    }
    // Both ways were met: rows taken and rows left to the schema.
    expect(taken).toBeGreaterThan(200);
    expect(taken).toBeLessThan(40_000);
  });
});
