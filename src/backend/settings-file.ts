import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { settingsSchema, type Settings } from '../shared/contract/schemas';

export const defaultSettings: Settings = {
  defaultPollIntervalSec: 2,
  language: 'en',
  theme: 'system',
};

/** settings.json cannot be read or does not hold valid settings; it is left as it is. */
export class SettingsFileError extends Error {
  override readonly name = 'SettingsFileError';
}

/** The saved settings, the defaults for what the file does not say; none saved yet: the defaults. */
export async function loadSettings(path: string): Promise<Settings> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ...defaultSettings };
    throw new SettingsFileError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SettingsFileError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = settingsSchema.partial().safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SettingsFileError(`${path}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`);
  }
  return { ...defaultSettings, ...parsed.data };
}

/** Written atomically (a temporary file renamed over the old), readable by the user only. */
export async function saveSettings(path: string, settings: Settings): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, path);
}
