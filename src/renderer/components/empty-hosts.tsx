import { useI18n } from '../i18n/i18n';
import { useIsAdmin } from '../use-role';

export function EmptyHosts({ onAdd }: { onAdd: () => void }) {
  const { t } = useI18n();
  const admin = useIsAdmin();
  return (
    <section className="empty-state" aria-labelledby="empty-hosts-title">
      <svg className="empty-icon" viewBox="0 0 48 48" aria-hidden="true">
        <rect x="6" y="8" width="36" height="12" rx="2" />
        <rect x="6" y="28" width="36" height="12" rx="2" />
        <circle cx="13" cy="14" r="1.8" />
        <circle cx="13" cy="34" r="1.8" />
      </svg>
      <h1 id="empty-hosts-title">{t('hosts.empty.title')}</h1>
      <p>{t('hosts.empty.body')}</p>
      {admin && (
        <button type="button" className="button-primary empty-action" onClick={onAdd}>
          {t('hosts.add')}
        </button>
      )}
    </section>
  );
}
