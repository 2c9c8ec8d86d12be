import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';

export const views = ['overview', 'desktops', 'hosts', 'analysis', 'sync'] as const;
export type View = (typeof views)[number];

/** The console's views as tabs: arrows move between them, as a tab list's do. */
export function ViewTabs({ view, onView }: { view: View; onView: (view: View) => void }) {
  const { t } = useI18n();
  return (
    <nav className="view-tabs" role="tablist" aria-label={t('nav.label')}>
      {views.map((name, index) => (
        <button
          key={name}
          type="button"
          role="tab"
          id={`tab-${name}`}
          aria-selected={view === name}
          aria-controls="workspace"
          tabIndex={view === name ? 0 : -1}
          className="view-tab"
          onClick={() => onView(name)}
          onKeyDown={(event) => {
            const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
            if (step === undefined) return;
            const next = views[(index + step + views.length) % views.length] as View;
            onView(next);
            document.getElementById(`tab-${next}`)?.focus();
          }}
        >
          {t(`nav.${name}` as MessageKey)}
        </button>
      ))}
    </nav>
  );
}
