import { createContext, useContext, useMemo } from 'react';
import type { ReactNode } from 'react';
import { messages } from './messages';
import type { Language, MessageKey } from './messages';

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

interface I18n {
  language: Language;
  /** BCP 47 tag for Intl: en-US's or ko-KR's formats, in the user's time zone. */
  locale: string;
  t: Translate;
}

const locales: Record<Language, string> = { en: 'en', ko: 'ko' };

function translatorFor(language: Language): Translate {
  const table = messages[language];
  return (key, values) =>
    table[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      values && name in values ? String(values[name]) : whole,
    );
}

const I18nContext = createContext<I18n>({ language: 'en', locale: 'en', t: translatorFor('en') });

export function I18nProvider({ language, children }: { language: Language; children: ReactNode }) {
  const value = useMemo(
    () => ({ language, locale: locales[language], t: translatorFor(language) }),
    [language],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The current language's texts and Intl locale. */
export function useI18n(): I18n {
  return useContext(I18nContext);
}
