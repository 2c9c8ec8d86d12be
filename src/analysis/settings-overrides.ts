import { z } from 'zod';
import { defaultAnalysisSettings } from './vm-analysis';
import type { AnalysisSettings } from './vm-analysis';

export class AnalysisSettingsError extends Error {
  override readonly name = 'AnalysisSettingsError';
}

const share = z.number().min(0).max(1);
const positive = z.number().positive().finite();
const atLeastZero = z.number().min(0).finite();

/**
 * Floors of the safe minimums that apply enforces: no settings file or request goes
 * under them. A desktop with less memory does not boot a desktop OS, and advice from
 * less than a minute of history is no advice at all.
 */
export const SAFE_MINIMUM_FLOORS = {
  minMemoryBytes: 64 * 1024 * 1024,
  minHistoryMs: 60_000,
  minVcpus: 1,
} as const;

/** Every setting with its valid range: what a settings file may change. */
const overridesSchema = z
  .object({
    windowMs: positive,
    minHistoryMs: z.number().finite().min(SAFE_MINIMUM_FLOORS.minHistoryMs),
    halfLifeMs: positive,
    targetPercentile: share,
    lowerPercentile: share,
    upperPercentile: share,
    safetyMargin: z.number().min(0).max(10),
    memoryHeadroomBytes: atLeastZero,
    minVcpus: z.number().int().min(SAFE_MINIMUM_FLOORS.minVcpus),
    minMemoryBytes: z.number().finite().min(SAFE_MINIMUM_FLOORS.minMemoryBytes),
    memoryStepBytes: z.number().int().min(1024),
    memoryPressureShare: share,
    pagingSwapInBytesPerSec: atLeastZero,
    pagingMajorFaultsPerSec: atLeastZero,
    pagingMinutes: atLeastZero,
    stealPercent: atLeastZero,
    wideningMinDays: positive,
    idleDays: atLeastZero,
    idleCpuPercent: atLeastZero,
  } satisfies Record<keyof AnalysisSettings, z.ZodType<number>>)
  .partial()
  .strict();

/**
 * The defaults with the overrides of a settings file applied (a JSON object of some of
 * the settings). An unknown name or a value out of its range is an error naming it,
 * never silently ignored: a typo must not leave a default in place unnoticed.
 */
export function withOverrides(
  json: unknown,
  base: AnalysisSettings = defaultAnalysisSettings,
): AnalysisSettings {
  const parsed = overridesSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || (issue && 'keys' in issue ? String(issue.keys) : '');
    throw new AnalysisSettingsError(
      `analysis settings: ${where ? `${where}: ` : ''}${issue?.message ?? 'invalid'}`,
    );
  }
  const settings = { ...base, ...parsed.data } as AnalysisSettings;
  if (!(
    settings.lowerPercentile <= settings.targetPercentile &&
    settings.targetPercentile <= settings.upperPercentile
  ))
    throw new AnalysisSettingsError(
      'analysis settings: percentiles must be lower ≤ target ≤ upper',
    );
  return settings;
}
