import { settingsSchema, type Settings } from '../shared/contract/schemas';
import { readJsonFile, writeJsonFile } from '../collector/files/private-json-file';

export const defaultSettings: Settings = {
  defaultPollIntervalSec: 2,
  retention: { rawHours: 48, minuteDays: 30, hourDays: 365 },
  language: 'en',
  theme: 'system',
  analysis: {},
};

/** The saved settings, the defaults for what the file does not say; none saved yet: the defaults. */
export async function loadSettings(path: string): Promise<Settings> {
  const saved = await readJsonFile(path, settingsSchema.partial());
  return { ...defaultSettings, ...saved };
}

export function saveSettings(path: string, settings: Settings): Promise<void> {
  return writeJsonFile(path, settingsSchema, settings);
}
