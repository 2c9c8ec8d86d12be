import { describe, expect, it } from 'vitest';
import { AnalysisSettingsError, withOverrides } from '../../src/analysis/settings-overrides';
import { defaultAnalysisSettings } from '../../src/analysis/vm-analysis';

describe('withOverrides', () => {
  it('applies the given settings over the defaults', () => {
    const got = withOverrides({ idleDays: 1, minMemoryBytes: 64 * 1024 * 1024 });
    expect(got).toEqual({ ...defaultAnalysisSettings, idleDays: 1, minMemoryBytes: 67108864 });
    expect(withOverrides({})).toEqual(defaultAnalysisSettings);
  });

  it.each([
    [{ idleDyas: 1 }, /idleDyas/],
    [{ safetyMargin: -1 }, /safetyMargin/],
    [{ targetPercentile: 1.5 }, /targetPercentile/],
    [{ minVcpus: 0 }, /minVcpus/],
    [{ minMemoryBytes: '1G' }, /minMemoryBytes/],
    // The safe minimums' floors: a request cannot make apply shrink a desktop to nothing.
    [{ minMemoryBytes: 1 }, /minMemoryBytes/],
    [{ minMemoryBytes: 64 * 1024 * 1024 - 1 }, /minMemoryBytes/],
    [{ minHistoryMs: 0 }, /minHistoryMs/],
    [{ minHistoryMs: 59_999 }, /minHistoryMs/],
    [{ lowerPercentile: 0.95, targetPercentile: 0.5 }, /lower ≤ target ≤ upper/],
    [[1, 2], /analysis settings/],
    [null, /analysis settings/],
  ])('refuses %j, naming what is wrong', (bad, message) => {
    expect(() => withOverrides(bad)).toThrow(AnalysisSettingsError);
    expect(() => withOverrides(bad)).toThrow(message);
  });
});
