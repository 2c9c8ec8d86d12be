import { memo, useDeferredValue, useEffect, useRef } from 'react';
import { markAfterPaint } from '../perf-marks';
import { SpacerRow } from '../components/spacer-row';
import { useRowWindow } from '../components/use-row-window';
import {
  formatByteRate,
  formatBytes,
  formatClock,
  formatDateTime,
  formatPercent,
  numberFormat,
} from '../format';
import { useI18n } from '../i18n/i18n';
import { useIsAdmin } from '../use-role';
import { DAY_MS } from '../../shared/time-ms';
import { HostLink } from './host-link';
import { SameMachineBanner } from './same-machine-banner';
import type { FleetHost as OverviewHost } from '../fleet/fleet-store';
import { Sparkline } from './sparkline';

function StatusCell({ host }: { host: OverviewHost }) {
  const { t, locale } = useI18n();
  const { status, reason, retryAt } = host.status;
  // A stale host's reason is the time of its newest sample, in the page's own words.
  const lastSampleTs = status === 'stale' ? (host.figures?.ts ?? null) : null;
  return (
    <td className="status-cell">
      <span className={`status-pill status-${status}`}>{t(`status.${status}`)}</span>
      {lastSampleTs !== null && (
        <span className="status-reason" title={formatDateTime(locale, lastSampleTs)}>
          {t('overview.lastSample', {
            // The clock alone within a day: the cell is narrow, the date is in the title.
            time:
              Date.now() - lastSampleTs < DAY_MS
                ? formatClock(locale, lastSampleTs)
                : formatDateTime(locale, lastSampleTs),
          })}
        </span>
      )}
      {lastSampleTs === null && reason && (
        <span className="status-reason" title={reason}>
          {reason}
          {retryAt !== null &&
            ` · ${t('overview.retryAt', { time: formatClock(locale, retryAt) })}`}
        </span>
      )}
    </td>
  );
}

/** The pair of a rate in and a rate out, in one cell, with the trend of their sum. */
function RatePair({
  a,
  b,
  sum,
  trend,
  ts,
}: {
  a: number | null | undefined;
  b: number | null | undefined;
  sum: number | null | undefined;
  trend: readonly (number | null)[];
  ts: readonly number[];
}) {
  const { t, locale } = useI18n();
  return (
    <td className="num">
      <span className="figure">
        <Sparkline ts={ts} values={trend} label={t('overview.trend')} />
        <span>
          {a == null && b == null && sum != null ? (
            formatByteRate(locale, sum)
          ) : (
            <>
              {formatByteRate(locale, a)} <span className="muted">/</span>{' '}
              {formatByteRate(locale, b)}
            </>
          )}
        </span>
      </span>
    </td>
  );
}

interface RowActions {
  onEdit: (name: string) => void;
  onOpen: (name: string) => void;
}

/** vCPUs and memory given to running VMs against the host's: the overcommit, at a glance. */
function Overcommit({ host }: { host: OverviewHost }) {
  const { locale } = useI18n();
  const id = host.identity;
  if (!id) return <td className="num muted">—</td>;
  const ratio = (a: number, b: number) => {
    const r = b > 0 ? a / b : 0;
    return numberFormat(locale, { maximumFractionDigits: r < 1 ? 2 : 1 }).format(r);
  };
  return (
    <td className="num stacked" data-testid="host-overcommit">
      <span>
        {host.vms.allocatedVcpus} / {id.cpuCount} vCPU{' '}
        <span className="muted">({ratio(host.vms.allocatedVcpus, id.cpuCount)}×)</span>
      </span>
      {/* The central tables hold no VM's memory size: nothing is shown rather than 0 B. */}
      {host.source !== 'central' && (
        <span className="muted small">
          {formatBytes(locale, host.vms.allocatedMemoryBytes)} (
          {ratio(host.vms.allocatedMemoryBytes, id.memoryTotalBytes)}×)
        </span>
      )}
    </td>
  );
}

/** One host's row; memoised: a poll of one host re-renders that row alone. */
const HostRow = memo(function HostRow({
  host,
  index,
  measure,
  onEdit,
  onOpen,
}: {
  host: OverviewHost;
  index: number;
  measure: (row: HTMLTableRowElement | null) => void;
} & RowActions) {
  const { t, locale } = useI18n();
  const admin = useIsAdmin();
  const f = host.figures;
  const trend = host.trend;
  return (
    <tr
      ref={measure}
      data-index={index}
      aria-rowindex={index + 2}
      data-host={host.name}
      data-host-id={host.id}
      title={
        f ? t('overview.updated', { time: formatClock(locale, f.ts) }) : t('overview.noSample')
      }
    >
      <th scope="row">
        <HostLink id={host.id} name={host.name} onOpen={onOpen} />
        {host.identity?.primaryIp && (
          <span className="muted host-ip">{host.identity.primaryIp}</span>
        )}
      </th>
      <StatusCell host={host} />
      {/* data-ts: the sample shown, so a test (or a curious admin) sees it is live */}
      <td className="num" data-testid="host-cpu" data-ts={f?.ts ?? ''}>
        <span className="figure">
          <Sparkline
            ts={trend.ts}
            values={trend.cpuPercent}
            max={100}
            label={t('overview.trend')}
          />
          {formatPercent(locale, f?.cpuPercent)}
        </span>
      </td>
      <td className="num">
        <span className="figure">
          <Sparkline
            ts={trend.ts}
            values={trend.memUsedPercent}
            max={100}
            label={t('overview.trend')}
          />
          {formatPercent(locale, f?.memUsedPercent)}
        </span>
      </td>
      <RatePair
        a={f?.diskReadBytesPerSec}
        b={f?.diskWriteBytesPerSec}
        sum={f?.diskBytesPerSec}
        trend={trend.diskBytesPerSec}
        ts={trend.ts}
      />
      <RatePair
        a={f?.netRxBytesPerSec}
        b={f?.netTxBytesPerSec}
        sum={f?.netBytesPerSec}
        trend={trend.netBytesPerSec}
        ts={trend.ts}
      />
      <td className="num">
        {host.vms.running} <span className="muted">/</span> {host.vms.total}
      </td>
      <Overcommit host={host} />
      <td className="num">{host.vms.displaysConnected}</td>
      <td className="row-actions">
        {host.source === 'central' && (
          <span className="muted" title={t('overview.fromCentralTitle')}>
            {t('overview.fromCentral')}
          </span>
        )}
        {admin && host.source !== 'central' && (
          <button
            type="button"
            className="button-small"
            aria-label={t('hosts.editLabel', { name: host.name })}
            onClick={() => onEdit(host.id)}
          >
            {t('hosts.edit')}
          </button>
        )}
      </td>
    </tr>
  );
});

/** The overview's columns: host, status, CPU, memory, disk, network, VMs, overcommit,
 * displays and the edit button. */
const COLUMNS = 10;

type TableProps = { hosts: OverviewHost[]; onAdd: () => void } & RowActions;

/**
 * Every saved host, one row each, updated with every poll; only the rows in view drawn.
 * The rows follow the fleet at a lower priority than input: React renders a snapshot's
 * changed rows in slices of a few milliseconds and yields to the browser between them,
 * so a hundred hosts' polls never make one long task. The first rows are drawn at once
 * (a deferred value starts as the value itself).
 */
export function OverviewTable(props: TableProps) {
  const hosts = useDeferredValue(props.hosts);
  return <HostsTable {...props} hosts={hosts} />;
}

const HostsTable = memo(function HostsTable({ hosts, onAdd, onEdit, onOpen }: TableProps) {
  const { t } = useI18n();
  const admin = useIsAdmin();
  const body = useRef<HTMLTableSectionElement>(null);
  const rows = useRowWindow(hosts.length, body);
  useEffect(() => {
    if (hosts.length > 0) markAfterPaint('setmov:overview-rows');
  }, [hosts.length]);
  return (
    <section className="panel" aria-labelledby="overview-title">
      <header className="panel-header">
        <h1 id="overview-title">{t('overview.title')}</h1>
        <span className="muted">{t('overview.caption')}</span>
        <span className="spacer" />
        {admin && (
          <button type="button" className="button-primary" onClick={onAdd}>
            {t('hosts.add')}
          </button>
        )}
      </header>
      <SameMachineBanner hosts={hosts} />
      <div className="table-scroll">
        <table
          className="data-table"
          aria-labelledby="overview-title"
          aria-rowcount={hosts.length + 1}
        >
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
                {t('overview.col.overcommit')}
              </th>
              <th scope="col" className="num">
                {t('overview.col.displays')}
              </th>
              <th scope="col">
                <span className="visually-hidden">{t('hosts.edit')}</span>
              </th>
            </tr>
          </thead>
          <tbody ref={body}>
            <SpacerRow height={rows.padTop} columns={COLUMNS} />
            {rows.rows.map(({ index }) => {
              const host = hosts[index] as OverviewHost;
              return (
                <HostRow
                  key={host.id}
                  host={host}
                  index={index}
                  measure={rows.measure}
                  onEdit={onEdit}
                  onOpen={onOpen}
                />
              );
            })}
            <SpacerRow height={rows.padBottom} columns={COLUMNS} />
          </tbody>
        </table>
      </div>
    </section>
  );
});
