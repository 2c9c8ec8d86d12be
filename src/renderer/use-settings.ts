import { useEffect, useState } from 'react';
import type { ContractClient, Settings } from '../shared/contract/browser';

/** The backend's settings (language, theme, ...), once read; null until then or if unreadable. */
export function useSettings(client: ContractClient): Settings | null {
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
  return settings;
}
