import { createInstance } from 'i18next';
import type { i18n as I18nInstance } from 'i18next';
import { useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { I18nextProvider, initReactI18next, useTranslation } from 'react-i18next';
import { messages } from './messages';
import type { Language, MessageKey } from './messages';
import { warmFormatters } from '../format';

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

interface I18n {
  language: Language;
  /** BCP 47 tag for Intl, so numbers and times follow the language shown. */
  locale: string;
  t: Translate;
}

/** One i18next instance per console: the texts of messages.ts, keys as they are written. */
function createI18n(language: Language): I18nInstance {
  const instance = createInstance();
  void instance.use(initReactI18next).init({
    resources: Object.fromEntries(
      Object.entries(messages).map(([lng, table]) => [lng, { translation: table }]),
    ),
    lng: language,
    fallbackLng: 'en',
    // Keys are flat ('overview.col.cpu'), and values are `{name}`, not `{{name}}`.
    keySeparator: false,
    nsSeparator: false,
    interpolation: { escapeValue: false, prefix: '{', suffix: '}' },
    initAsync: false,
  });
  return instance;
}

export function I18nProvider({ language, children }: { language: Language; children: ReactNode }) {
  // One instance for the console's life; a new language is a changeLanguage on it.
  const [instance] = useState(() => createI18n(language));
  useEffect(() => {
    if (instance.language !== language) void instance.changeLanguage(language);
    document.documentElement.lang = language;
  }, [instance, language]);
  useEffect(() => warmFormatters(language), [language]);
  return <I18nextProvider i18n={instance}>{children}</I18nextProvider>;
}

/** Texts kept per language before the cache starts again. */
const TRANSLATIONS_KEPT = 2000;

/** The current language's texts and its Intl locale. */
export function useI18n(): I18n {
  const { t, i18n } = useTranslation();
  const language = (i18n.language in messages ? i18n.language : 'en') as Language;
  return useMemo(() => {
    // Texts are looked up once per language and values: a live table asks for the same
    // few ("running", "never", "Sort by CPU") in every row and header, every second,
    // and i18next's lookup and interpolation are most of a cell's cost. The cache is
    // emptied when full, since values such as counts keep changing.
    const seen = new Map<string, string>();
    const translate: Translate = (key, values) => {
      const id = values ? `${key}\u0000${JSON.stringify(values)}` : key;
      let text = seen.get(id);
      if (text === undefined) {
        text = t(key, values ?? {});
        if (seen.size >= TRANSLATIONS_KEPT) seen.clear();
        seen.set(id, text);
      }
      return text;
    };
    return { language, locale: language, t: translate };
  }, [language, t]);
}
