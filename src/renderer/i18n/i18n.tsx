import { createInstance } from 'i18next';
import type { i18n as I18nInstance } from 'i18next';
import { useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { I18nextProvider, initReactI18next, useTranslation } from 'react-i18next';
import { messages } from './messages';
import type { Language, MessageKey } from './messages';

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
  return <I18nextProvider i18n={instance}>{children}</I18nextProvider>;
}

/** The current language's texts and its Intl locale. */
export function useI18n(): I18n {
  const { t, i18n } = useTranslation();
  const language = (i18n.language in messages ? i18n.language : 'en') as Language;
  return useMemo(() => {
    // Texts without values are looked up once per language: a live table asks for the
    // same few ("running", "never") in every row, every second, and i18next's lookup
    // is most of a cell's cost.
    const plain = new Map<string, string>();
    const translate: Translate = (key, values) => {
      if (values) return t(key, values);
      let text = plain.get(key);
      if (text === undefined) {
        text = t(key, {});
        plain.set(key, text);
      }
      return text;
    };
    return { language, locale: language, t: translate };
  }, [language, t]);
}
