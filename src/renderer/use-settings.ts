import { useCallback, useEffect, useState } from 'react';
import type { ContractClient, Role, Settings } from '../shared/contract/browser';

export interface SettingsState {
  /** null until read (or when the backend cannot give them). */
  settings: Settings | null;
  /** Saves a change (a viewer's stays in its page); the settings shown are the backend's answer. */
  change(change: Partial<Settings>): Promise<void>;
}

/** The backend's settings (language, theme, retention, ...) and a way to change them. */
export function useSettings(client: ContractClient, role: Role): SettingsState {
  const [settings, setSettings] = useState<Settings | null>(null);
  useEffect(() => {
    let current = true;
    client.request('settings.get').then(
      (value) => current && setSettings(value),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [client]);
  const change = useCallback(
    async (partial: Partial<Settings>) => {
      // A viewer may not save settings for everyone; its language and theme are its own.
      if (role === 'viewer') setSettings((shown) => shown && { ...shown, ...partial });
      else setSettings(await client.request('settings.set', partial));
    },
    [client, role],
  );
  return { settings, change };
}
