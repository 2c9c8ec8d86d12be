import type { Settings } from '../../shared/contract/browser';
import { useI18n } from '../i18n/i18n';

const languages: Record<Settings['language'], string> = { en: 'English', ko: '한국어' };
const themes: Settings['theme'][] = ['system', 'light', 'dark'];

/** Language and theme, in the app bar: saved in the backend's settings. */
export function Preferences({
  settings,
  onChange,
}: {
  settings: Settings | null;
  onChange: (change: Partial<Settings>) => void;
}) {
  const { t } = useI18n();
  if (!settings) return null;
  return (
    <div className="preferences">
      <label>
        <span className="visually-hidden">{t('settings.language')}</span>
        <select
          aria-label={t('settings.language')}
          value={settings.language}
          onChange={(event) => onChange({ language: event.target.value as Settings['language'] })}
        >
          {Object.entries(languages).map(([code, name]) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="visually-hidden">{t('settings.theme')}</span>
        <select
          aria-label={t('settings.theme')}
          value={settings.theme}
          onChange={(event) => onChange({ theme: event.target.value as Settings['theme'] })}
        >
          {themes.map((theme) => (
            <option key={theme} value={theme}>
              {t(`settings.theme.${theme}`)}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
