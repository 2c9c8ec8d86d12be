import { useEffect, useMemo, useState } from 'react';
import type { ContractClient } from '../../shared/contract/browser';
import { vmTopic } from '../../shared/contract/browser';
import type { DetailedVmSample } from '../../shared/model/engine-events';
import type { Desktop } from '../fleet/fleet-store';
import { formatByteRate, formatBytes, formatDateTime, formatPercent, MISSING } from '../format';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { MetricChart } from './metric-chart';
import { RangePicker } from './range-picker';
import type { Range } from './series';
import { useMetricSeries } from './use-metric-series';
import type { SeriesSource } from './use-metric-series';

const metrics = [
  'cpuGuestPercent',
  'cpuHostPercent',
  'memGuestUsedBytes',
  'memAllocatedBytes',
  'diskReadBytesPerSec',
  'diskWriteBytesPerSec',
  'netRxBytesPerSec',
  'netTxBytesPerSec',
] as const;

/** A pushed sample as the history names its figures. */
function valuesOf(sample: DetailedVmSample): Record<string, number | null> {
  return {
    cpuGuestPercent: sample.cpu.guestPercent,
    cpuHostPercent: sample.cpu.hostPercent,
    memGuestUsedBytes: sample.memory.guestUsedBytes,
    memAllocatedBytes: sample.memory.allocatedBytes,
    diskReadBytesPerSec: sample.disk.readBytesPerSec,
    diskWriteBytesPerSec: sample.disk.writeBytesPerSec,
    netRxBytesPerSec: sample.net.rxBytesPerSec,
    netTxBytesPerSec: sample.net.txBytesPerSec,
  };
}

/** The latest per-device sample of a VM while its page is open. */
function useLatestSample(client: ContractClient, uuid: string): DetailedVmSample | null {
  const [sample, setSample] = useState<DetailedVmSample | null>(null);
  useEffect(
    () =>
      client.subscribe('vm.detail', (detail) => {
        if (detail.uuid === uuid) setSample(detail.sample);
      }),
    [client, uuid],
  );
  return sample;
}

function Facts({ vm }: { vm: Desktop }) {
  const { t, locale } = useI18n();
  const none = t('fact.none');
  const yesNo = (value: boolean | null) =>
    value === null ? MISSING : value ? t('fact.yes') : t('fact.no');
  return (
    <dl className="facts facts-columns" aria-label={t('detail.facts')}>
      <dt>{t('fact.uuid')}</dt>
      <dd className="mono">{vm.uuid}</dd>
      <dt>{t('fact.vcpus')}</dt>
      <dd>{vm.vcpus ?? MISSING}</dd>
      <dt>{t('fact.memory')}</dt>
      <dd>
        {formatBytes(locale, vm.maxMemoryBytes)} / {formatBytes(locale, vm.currentMemoryBytes)}
      </dd>
      <dt>{t('fact.disks')}</dt>
      <dd>
        {vm.disks.length === 0
          ? none
          : vm.disks
              .map((d) => `${d.target} (${d.bus ?? '?'}, ${d.format ?? d.device})`)
              .join(', ')}
      </dd>
      <dt>{t('fact.nics')}</dt>
      <dd>
        {vm.nics.length === 0
          ? none
          : vm.nics
              .map((n) => `${n.target ?? '?'} ${n.mac ?? ''} → ${n.source ?? n.type}`)
              .join(', ')}
      </dd>
      <dt>{t('fact.display')}</dt>
      <dd>
        {vm.graphics.length === 0
          ? none
          : vm.graphics.map((g) => `${g.type}${g.port === null ? '' : ` :${g.port}`}`).join(', ')}
      </dd>
      <dt>{t('fact.balloon')}</dt>
      <dd>{vm.balloon ? vm.balloon.model : none}</dd>
      <dt>{t('fact.autostart')}</dt>
      <dd>{yesNo(vm.autostart)}</dd>
      <dt>{t('fact.lct')}</dt>
      <dd>
        {vm.connectedNow ? (
          <span className="badge-live">{t('lct.now')}</span>
        ) : vm.lct === null ? (
          t('lct.never')
        ) : (
          formatDateTime(locale, vm.lct)
        )}
      </dd>
    </dl>
  );
}

function Devices({ sample }: { sample: DetailedVmSample | null }) {
  const { t, locale } = useI18n();
  if (!sample) return null;
  const rows = [
    ...(sample.disk.devices ?? []).map((d) => ({
      name: d.device,
      a: d.readBytesPerSec,
      b: d.writeBytesPerSec,
      kind: 'disk' as const,
    })),
    ...(sample.net.interfaces ?? []).map((n) => ({
      name: n.interface,
      a: n.rxBytesPerSec,
      b: n.txBytesPerSec,
      kind: 'net' as const,
    })),
  ];
  return (
    <table className="data-table devices-table" aria-label={t('detail.devices')}>
      <thead>
        <tr>
          <th scope="col">{t('detail.device')}</th>
          <th scope="col" className="num">
            {t('col.disk')} · {t('col.net')}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={`${row.kind}-${row.name}`} data-device={row.name}>
            <td>{row.name}</td>
            <td className="num">
              {formatByteRate(locale, row.a)} / {formatByteRate(locale, row.b)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One desktop: its graphs over a range (live or from the history), inventory and devices. */
export function VmDetail({
  client,
  vm,
  onBack,
}: {
  client: ContractClient;
  vm: Desktop;
  onBack: () => void;
}) {
  const { t, locale } = useI18n();
  const [range, setRange] = useState<Range>('live');
  const source = useMemo<SeriesSource>(
    () => ({
      entity: { kind: 'vm', uuid: vm.uuid },
      metrics,
      topic: vmTopic(vm.uuid),
      listen: (c, onValues) =>
        c.subscribe('vm.detail', (detail) => {
          if (detail.uuid === vm.uuid)
            onValues({ ts: detail.sample.ts, values: valuesOf(detail.sample) });
        }),
    }),
    [vm.uuid],
  );
  const { series, fromMs, toMs, error } = useMetricSeries(client, source, range);
  const sample = useLatestSample(client, vm.uuid);
  const line = (metric: string, label: MessageKey, color: string) => ({
    label: t(label),
    color,
    points: series[metric] ?? [],
  });
  const percent = (v: number) => formatPercent(locale, v);
  const bytes = (v: number) => formatBytes(locale, v);
  const rate = (v: number) => formatByteRate(locale, v);
  return (
    <section className="detail" aria-labelledby="detail-title">
      <header className="detail-header">
        <button type="button" onClick={onBack}>
          ← {t('detail.back')}
        </button>
        <h1 id="detail-title">{vm.name}</h1>
        <span className={`vm-state vm-state-${vm.state}`}>
          {t(`vmstate.${vm.state}` as MessageKey)}
        </span>
        <span className="muted">{vm.host}</span>
        <span className="spacer" />
        <RangePicker range={range} onRange={setRange} />
      </header>
      {error && (
        <div className="banner banner-error" role="alert">
          {t('history.failed', { message: error })}
        </div>
      )}
      <div className="chart-grid">
        <MetricChart
          title={t('chart.cpu')}
          format={percent}
          max={100}
          fromMs={fromMs}
          toMs={toMs}
          series={[
            line('cpuGuestPercent', 'series.cpuGuest', '#2563eb'),
            line('cpuHostPercent', 'series.cpuHost', '#d97706'),
          ]}
        />
        <MetricChart
          title={t('chart.memory')}
          format={bytes}
          fromMs={fromMs}
          toMs={toMs}
          series={[
            line('memGuestUsedBytes', 'series.memGuestUsed', '#16a34a'),
            line('memAllocatedBytes', 'series.memAllocated', '#64748b'),
          ]}
        />
        <MetricChart
          title={t('chart.disk')}
          format={rate}
          floor={1000}
          fromMs={fromMs}
          toMs={toMs}
          series={[
            line('diskReadBytesPerSec', 'series.diskRead', '#7c3aed'),
            line('diskWriteBytesPerSec', 'series.diskWrite', '#db2777'),
          ]}
        />
        <MetricChart
          title={t('chart.net')}
          format={rate}
          floor={1000}
          fromMs={fromMs}
          toMs={toMs}
          series={[
            line('netRxBytesPerSec', 'series.netRx', '#0891b2'),
            line('netTxBytesPerSec', 'series.netTx', '#ea580c'),
          ]}
        />
      </div>
      <div className="detail-columns">
        <section className="panel">
          <header className="panel-header">
            <h2>{t('detail.facts')}</h2>
          </header>
          <Facts vm={vm} />
        </section>
        <section className="panel">
          <header className="panel-header">
            <h2>{t('detail.devices')}</h2>
          </header>
          <Devices sample={sample} />
        </section>
      </div>
    </section>
  );
}
