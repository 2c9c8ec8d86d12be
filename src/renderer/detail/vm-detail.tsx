import { useEffect, useMemo, useState } from 'react';
import type { ContractClient } from '../../shared/contract/browser';
import { vmTopic } from '../../shared/contract/browser';
import type { DetailedVmSample } from '../../shared/model/engine-events';
import type { VmMetricName } from '../../shared/model/metric-names';
import type { VmDiskUsage, VmNicUsage } from '../../shared/model/samples';
import type { Desktop } from '../fleet/fleet-store';
import { formatBytes, formatDateTime, formatPercent, MISSING } from '../format';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { DetailPage, DetailPanel, ioCharts, ioMetrics, ioValuesOf } from './detail-page';
import { DeviceCharts } from './device-charts';
import { DeviceTable, deviceRows } from './device-table';
import { RecentEvents } from './recent-events';
import { HostLink } from '../overview/host-link';
import { useNavigation } from '../navigation';
import type { ChartSpec } from './detail-page';
import type { Range } from './series';
import type { SeriesSource } from './use-metric-series';

const metrics = [
  'cpuGuestPercent',
  'cpuHostPercent',
  'memGuestUsedBytes',
  'memAllocatedBytes',
  ...ioMetrics,
] as const satisfies readonly VmMetricName[];

/** A pushed sample as the history names its figures. */
function valuesOf(sample: DetailedVmSample): Record<(typeof metrics)[number], number | null> {
  return {
    cpuGuestPercent: sample.cpu.guestPercent,
    cpuHostPercent: sample.cpu.hostPercent,
    memGuestUsedBytes: sample.memory.guestUsedBytes,
    memAllocatedBytes: sample.memory.allocatedBytes,
    ...ioValuesOf(sample),
  };
}

const noDisks: VmDiskUsage[] = [];
const noNics: VmNicUsage[] = [];

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
      <dd>{vm.vcpus === null ? MISSING : t('count.vcpus', { count: vm.vcpus })}</dd>
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

/** One desktop: its graphs over a range (live or from the history), inventory and devices. */
export function VmDetail({
  client,
  vm,
  onBack,
  range,
  onRange,
}: {
  client: ContractClient;
  vm: Desktop;
  onBack: () => void;
  range: Range;
  onRange: (range: Range) => void;
}) {
  const { t, locale } = useI18n();
  const { openHost } = useNavigation();
  const source = useMemo<SeriesSource>(
    () => ({
      entity: { kind: 'vm', uuid: vm.uuid },
      metrics,
      topic: vmTopic(vm.uuid),
      listen: (c, onValues) =>
        c.subscribe('vm.detail', (detail) => {
          if (detail.uuid === vm.uuid) {
            onValues({ ts: detail.sample.ts, values: valuesOf(detail.sample) });
          }
        }),
    }),
    [vm.uuid],
  );
  const sample = useLatestSample(client, vm.uuid);
  const charts = useMemo<ChartSpec[]>(() => {
    return [
      {
        title: 'chart.cpu',
        format: (v) => formatPercent(locale, v),
        max: 100,
        series: [
          { metric: 'cpuGuestPercent', label: 'series.cpuGuest', color: '#2563eb' },
          { metric: 'cpuHostPercent', label: 'series.cpuHost', color: '#d97706' },
        ],
      },
      {
        title: 'chart.memory',
        format: (v, stepOf) => formatBytes(locale, v, stepOf),
        steps: 'binary',
        series: [
          { metric: 'memGuestUsedBytes', label: 'series.memGuestUsed', color: '#16a34a' },
          { metric: 'memAllocatedBytes', label: 'series.memAllocated', color: '#64748b' },
        ],
      },
      ...ioCharts(locale),
    ];
  }, [locale]);
  return (
    <DetailPage
      client={client}
      title={vm.name}
      badges={
        <>
          <span className={`vm-state vm-state-${vm.state}`}>
            {t(`vmstate.${vm.state}` as MessageKey)}
          </span>
          <HostLink id={vm.host} name={vm.hostName} onOpen={openHost} />
        </>
      }
      source={source}
      charts={charts}
      onBack={onBack}
      range={range}
      onRange={onRange}
      backLabel={t('detail.back')}
    >
      <DetailPanel title={t('detail.facts')}>
        <Facts vm={vm} />
      </DetailPanel>
      <DetailPanel title={t('detail.devices')}>
        <DeviceCharts
          client={client}
          entity={source.entity}
          ts={sample?.ts ?? null}
          disks={sample?.disk.devices ?? noDisks}
          nics={sample?.net.interfaces ?? noNics}
        />
        <DeviceTable
          rows={sample && deviceRows(sample.disk.devices ?? [], sample.net.interfaces ?? [])}
        />
      </DetailPanel>
      <DetailPanel title={t('events.title')}>
        <RecentEvents client={client} of={{ kind: 'vm', uuid: vm.uuid }} />
      </DetailPanel>
    </DetailPage>
  );
}
