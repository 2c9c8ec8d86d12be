import { describe, expect, it } from 'vitest';
import { memoryUsage } from '../../../src/collector/rates/memory-usage';
import { parseMeminfo } from '../../../src/collector/procfs/meminfo';
import { fixtureText } from '../procfs/fixtures';

describe('memoryUsage (paper eq. 3, with MemAvailable)', () => {
  it('reports used = MemTotal − MemAvailable and keeps the raw fields', () => {
    const usage = memoryUsage(parseMeminfo(fixtureText('edge-case/t0', 'meminfo')));
    expect(usage).toMatchObject({
      totalBytes: 65811424 * 1024,
      freeBytes: 1219876 * 1024,
      availableBytes: 48221344 * 1024,
      availableSource: 'MemAvailable',
      buffersBytes: 871232 * 1024,
      cachedBytes: 44137416 * 1024,
      usedBytes: (65811424 - 48221344) * 1024,
    });
    expect(usage.usedPercent).toBeCloseTo((100 * (65811424 - 48221344)) / 65811424, 10);
    // The paper's total − free calls the page cache used: 98 % instead of 27 %.
    expect(usage.paperUsedPercent).toBeCloseTo((100 * (65811424 - 1219876)) / 65811424, 10);
  });

  it('estimates available as free + buffers + cached before Linux 3.14', () => {
    const usage = memoryUsage(parseMeminfo(fixtureText('old-kernel', 'meminfo')));
    expect(usage.availableSource).toBe('free+buffers+cached');
    expect(usage.availableBytes).toBe((135384 + 166936 + 1208332) * 1024);
    expect(usage.usedPercent).toBeCloseTo((100 * (1922488 - 1510652)) / 1922488, 10);
  });
});
