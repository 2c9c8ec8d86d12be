import type { RequestHandler } from '../shared/contract/requests';
import type { RetentionSettings, Settings } from '../shared/contract/schemas';
import { DAY_MS, HOUR_MS } from '../shared/time-ms';
import type { Store } from '../store/store';
import { checkedAnalysisSettings } from './analysis/analysis-settings';
import { loadSettings, saveSettings } from './settings-file';
import { storeCall } from './store-call';

/** The store's retention, in ms, of the settings' hours and days. */
const retentionMs = (r: RetentionSettings) => ({
  rawMs: r.rawHours * HOUR_MS,
  minuteMs: r.minuteDays * DAY_MS,
  hourMs: r.hourDays * DAY_MS,
});

/**
 * The console's settings (settings.json): read once, each change checked, applied to
 * the open history (retention) and saved before it is answered.
 */
export class SettingsService {
  private constructor(
    private readonly path: string,
    private readonly store: Store,
    private settings: Settings,
  ) {
    store.setRetention(retentionMs(settings.retention));
  }

  static async open(path: string, store: Store): Promise<SettingsService> {
    return new SettingsService(path, store, await loadSettings(path));
  }

  /** The settings now; a deep copy, so no caller changes them in place. */
  get current(): Settings {
    return structuredClone(this.settings);
  }

  readonly get: RequestHandler<'settings.get'> = () => this.current;

  readonly set: RequestHandler<'settings.set'> = async (change) => {
    const next = { ...this.settings, ...change };
    checkedAnalysisSettings(next);
    storeCall(() => this.store.setRetention(retentionMs(next.retention)));
    await saveSettings(this.path, next);
    this.settings = next;
    return this.current;
  };
}
