import { formatByteRate, formatClock, formatPercent } from '../format';
import { useI18n } from '../i18n/i18n';
import type { FleetHost as OverviewHost } from '../fleet/fleet-store';

function StatusCell({ host }: { host: OverviewHost }) {
  const { t, locale } = useI18n();
  const { status, reason, retryAt } = host.status;
  return (
    <td className="status-cell">
      <span className={`status-pill status-${status}`}>{t(`status.${status}`)}</span>
      {reason && (
        <span className="status-reason" title={reason}>
          {reason}
          {retryAt !== null &&
            ` · ${t('overview.retryAt', { time: formatClock(locale, retryAt) })}`}
        </span>
      )}
    </td>
  );
}

/** The pair of a rate in and a rate out, in one cell. */
function RatePair({ a, b }: { a: number | null | undefined; b: number | null | undefined }) {
  const { locale } = useI18n();
  return (
    <td className="num">
      {formatByteRate(locale, a)} <span className="muted">/</span> {formatByteRate(locale, b)}
    </td>
  );
}

function HostRow({ host, onEdit }: { host: OverviewHost; onEdit: (name: string) => void }) {
  const { t, locale } = useI18n();
  const f = host.figures;
  return (
    <tr data-host={host.name}>
      <th scope="row">
        <span className="host-name">{host.name}</span>
        {host.identity?.primaryIp && (
          <span className="muted host-ip">{host.identity.primaryIp}</span>
        )}
      </th>
      <StatusCell host={host} />
      {/* data-ts: the sample shown, so a test (or a curious admin) sees it is live */}
      <td className="num" data-testid="host-cpu" data-ts={f?.ts ?? ''}>
        {formatPercent(locale, f?.cpuPercent)}
      </td>
      <td className="num">{formatPercent(locale, f?.memUsedPercent)}</td>
      <RatePair a={f?.diskReadBytesPerSec} b={f?.diskWriteBytesPerSec} />
      <RatePair a={f?.netRxBytesPerSec} b={f?.netTxBytesPerSec} />
      <td className="num">
        {host.vms.running} <span className="muted">/</span> {host.vms.total}
      </td>
      <td className="num">{host.vms.displaysConnected}</td>
      <td className="muted updated">
        {f ? t('overview.updated', { time: formatClock(locale, f.ts) }) : t('overview.noSample')}
      </td>
      <td className="row-actions">
        <button
          type="button"
          className="button-small"
          aria-label={t('hosts.editLabel', { name: host.name })}
          onClick={() => onEdit(host.name)}
        >
          {t('hosts.edit')}
        </button>
      </td>
    </tr>
  );
}

/** Every saved host, one row each, updated with every poll. */
export function OverviewTable({
  hosts,
  onAdd,
  onEdit,
}: {
  hosts: OverviewHost[];
  onAdd: () => void;
  onEdit: (name: string) => void;
}) {
  const { t } = useI18n();
  return (
    <section className="panel" aria-labelledby="overview-title">
      <header className="panel-header">
        <h1 id="overview-title">{t('overview.title')}</h1>
        <span className="muted">{t('overview.caption')}</span>
        <span className="spacer" />
        <button type="button" className="button-primary" onClick={onAdd}>
          {t('hosts.add')}
        </button>
      </header>
      <div className="table-scroll">
        <table className="data-table" aria-labelledby="overview-title">
          <thead>
            <tr>
              <th scope="col">{t('overview.col.host')}</th>
              <th scope="col">{t('overview.col.status')}</th>
              <th scope="col" className="num">
                {t('overview.col.cpu')}
              </th>
              <th scope="col" className="num">
                {t('overview.col.memory')}
              </th>
              <th scope="col" className="num">
                {t('overview.col.disk')}
              </th>
              <th scope="col" className="num">
                {t('overview.col.net')}
              </th>
              <th scope="col" className="num">
                {t('overview.col.vms')}
              </th>
              <th scope="col" className="num">
                {t('overview.col.displays')}
              </th>
              <th scope="col">
                <span className="visually-hidden">{t('overview.updated', { time: '' })}</span>
              </th>
              <th scope="col">
                <span className="visually-hidden">{t('hosts.edit')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {hosts.map((host) => (
              <HostRow key={host.name} host={host} onEdit={onEdit} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
