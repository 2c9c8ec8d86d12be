import type { AuditEntry } from '../../shared/model/audit-entry';
import { formatDateTime, formatRelative } from '../format';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { changeText } from './recommendation-text';

/** Every change made from here or `setmov apply`, newest first. */
export function AuditLog({ entries, now }: { entries: AuditEntry[]; now: number }) {
  const { t, locale } = useI18n();
  return (
    <section className="panel" aria-labelledby="audit-title">
      <header className="panel-header">
        <h2 id="audit-title">{t('analysis.audit.title')}</h2>
      </header>
      {entries.length === 0 ? (
        <p className="table-empty">{t('analysis.audit.empty')}</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table" aria-labelledby="audit-title">
            <thead>
              <tr>
                <th>{t('analysis.audit.when')}</th>
                <th>{t('analysis.audit.vm')}</th>
                <th>{t('analysis.audit.change')}</th>
                <th>{t('analysis.audit.scope')}</th>
                <th>{t('analysis.audit.result')}</th>
                <th>{t('analysis.audit.who')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td title={formatDateTime(locale, e.ts)}>{formatRelative(locale, e.ts, now)}</td>
                  <td>
                    <span className="vm-name">{e.vmName}</span>{' '}
                    <span className="muted">{e.host}</span>
                  </td>
                  <td>{changeText(locale, t, e.change, e.before, e.after)}</td>
                  <td>{t(`analysis.scope.${e.scope}` as MessageKey)}</td>
                  <td className="wrap-cell">
                    <span className={`status-pill audit-${e.result}`}>
                      {t(`analysis.audit.result.${e.result}` as MessageKey)}
                    </span>
                    {e.detail && <span className="status-reason">{e.detail}</span>}
                  </td>
                  <td className="muted">{e.actor}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
