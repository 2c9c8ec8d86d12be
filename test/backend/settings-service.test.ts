import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SettingsService } from '../../src/backend/settings-service';
import { DAY_MS, HOUR_MS } from '../../src/shared/time-ms';
import { Store } from '../../src/store/store';
import { tempDir } from '../store/temp-db';

describe('SettingsService', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: Store;
  beforeEach(() => {
    tmp = tempDir();
    store = Store.open({ path: tmp.file('h.db') });
  });
  afterEach(() => {
    store.close();
    tmp.remove();
  });

  it('applies a retention change to the open history and saves it before answering', async () => {
    const settings = await SettingsService.open(tmp.file('settings.json'), store);
    expect(store.retention.rawMs).toBe(48 * HOUR_MS);
    const answer = await settings.set({ retention: { rawHours: 6, minuteDays: 7, hourDays: 90 } });
    expect(answer.retention.rawHours).toBe(6);
    expect(store.retention).toMatchObject({ rawMs: 6 * HOUR_MS, minuteMs: 7 * DAY_MS });
    expect(JSON.parse(readFileSync(tmp.file('settings.json'), 'utf8')).retention.rawHours).toBe(6);
    // The next start reads what was saved, and the store gets it at once.
    store.setRetention({ rawMs: 1 });
    await SettingsService.open(tmp.file('settings.json'), store);
    expect(store.retention.rawMs).toBe(6 * HOUR_MS);
  });

  it('refuses an analysis setting out of range, keeping the saved ones', async () => {
    const settings = await SettingsService.open(tmp.file('settings.json'), store);
    await expect(settings.set({ analysis: { minMemoryBytes: 1 } })).rejects.toMatchObject({
      code: 'failed',
    });
    expect(settings.current.analysis).toEqual({});
    // A copy: changing what was read changes nothing kept.
    settings.current.analysis['idleDays'] = 1;
    expect(settings.current.analysis).toEqual({});
  });
});
