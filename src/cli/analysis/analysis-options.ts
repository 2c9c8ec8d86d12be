import { readFileSync } from 'node:fs';
import { AnalysisSettingsError, withOverrides } from '../../analysis/settings-overrides';
import type { AnalysisSettings } from '../../analysis/vm-analysis';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../shared/time-ms';
import { UsageError } from '../usage-error';

const unitMs: Record<string, number> = { m: MINUTE_MS, h: HOUR_MS, d: DAY_MS };

/** A window such as 7d, 24h or 90m, in ms. */
export function parseWindow(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([mhd])$/.exec(text);
  const value = match ? Number(match[1]) * (unitMs[match[2] as string] as number) : NaN;
  if (!(value > 0)) throw new UsageError(`--window: '${text}' is not like 90m, 24h or 7d`);
  return value;
}

/** The recommender's settings from --settings FILE (if given), with --window's window. */
export function analysisSettings(
  window: string | undefined,
  file: string | undefined,
): AnalysisSettings {
  let overrides: unknown = {};
  if (file !== undefined) {
    try {
      overrides = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new UsageError(`--settings: cannot read ${file}: ${(error as Error).message}`);
    }
  }
  try {
    const settings = withOverrides(overrides);
    return window === undefined ? settings : { ...settings, windowMs: parseWindow(window) };
  } catch (error) {
    if (error instanceof AnalysisSettingsError)
      throw new UsageError(`--settings: ${error.message}`);
    throw error;
  }
}
