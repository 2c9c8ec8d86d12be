import type { Settings } from '../../shared/contract/schemas';
import { ContractError } from '../../shared/contract/reply';
import { AnalysisSettingsError, withOverrides } from '../../analysis/settings-overrides';
import type { AnalysisSettings } from '../../analysis/vm-analysis';

/**
 * The recommender's settings of the console's settings (its saved overrides, checked
 * here), over `windowMs` when given. An override out of range is a 'failed' request.
 */
export function checkedAnalysisSettings(settings: Settings, windowMs?: number): AnalysisSettings {
  try {
    const chosen = withOverrides(settings.analysis);
    return windowMs === undefined ? chosen : { ...chosen, windowMs };
  } catch (error) {
    if (error instanceof AnalysisSettingsError) throw new ContractError('failed', error.message);
    throw error;
  }
}
