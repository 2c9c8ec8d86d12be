import { useEffect, useMemo, useState } from 'react';
import type { ContractClient } from '../../shared/contract/browser';
import { hostTopic } from '../../shared/contract/browser';
import type { DetailedHostSample } from '../../shared/model/detailed-host-sample';
import type { HostMetricName } from '../../shared/model/metric-names';
import type { DiskDeviceUsage, NetInterfaceUsage } from '../../shared/model/samples';
import type { FleetHost } from '../fleet/fleet-store';
import { formatBytes, formatPercent, MISSING, numberFormat } from '../format';
import { useI18n } from '../i18n/i18n';
import { DetailPage, DetailPanel, ioCharts, ioMetrics, ioValuesOf } from './detail-page';
import { HostVms } from './host-vms';
import type { ChartSpec } from './detail-page';
import { DeviceCharts } from './device-charts';
import { DeviceTable, deviceRows } from './device-table';
import { RecentEvents } from './recent-events';
import type { Range } from './series';
import type { SeriesSource } from './use-metric-series';

const metrics = [
  'cpuUserPercent',
  'cpuSystemPercent',
  'cpuIowaitPercent',
  'cpuStealPercent',
  'memTotalBytes',
  'memAvailableBytes',
  'memCachedBytes',
  ...ioMetrics,
] as const satisfies readonly HostMetricName[];

function valuesOf(sample: DetailedHostSample): Record<(typeof metrics)[number], number | null> {
  return {
    cpuUserPercent: sample.cpu.user,
    cpuSystemPercent: sample.cpu.system,
    cpuIowaitPercent: sample.cpu.iowait,
    cpuStealPercent: sample.cpu.steal,
    memTotalBytes: sample.memory.totalBytes,
    memAvailableBytes: sample.memory.availableBytes,
    memCachedBytes: sample.memory.cachedBytes,
    ...ioValuesOf(sample),
  };
}

/** Used memory is what is not available: the kernel's own estimate (MemAvailable). */
const derive = (v: Record<string, number | null>) => ({
  memUsedBytes:
    v['memTotalBytes'] != null && v['memAvailableBytes'] != null
      ? v['memTotalBytes'] - v['memAvailableBytes']
      : null,
});

const noDisks: DiskDeviceUsage[] = [];
const noNics: NetInterfaceUsage[] = [];

function useLatestHostSample(client: ContractClient, hostId: string): DetailedHostSample | null {
  const [sample, setSample] = useState<DetailedHostSample | null>(null);
  useEffect(
    () =>
      client.subscribe('host.detail', (detail) => {
        if (detail.hostId === hostId && detail.sample) setSample(detail.sample);
      }),
    [client, hostId],
  );
  return sample;
}

const ratio = (a: number, b: number, locale: string): string =>
  b > 0 ? numberFormat(locale, { maximumFractionDigits: 2 }).format(a / b) : MISSING;

function HostFacts({ host }: { host: FleetHost }) {
  const { t, locale } = useI18n();
  const id = host.identity;
  return (
    <dl className="facts facts-columns" aria-label={t('detail.facts')}>
      <dt>{t('fact.hostname')}</dt>
      <dd>{id?.hostname ?? MISSING}</dd>
      <dt>{t('fact.ip')}</dt>
      <dd>{id?.primaryIp ?? MISSING}</dd>
      <dt>{t('fact.cpus')}</dt>
      <dd>{id?.cpuCount ?? MISSING}</dd>
      <dt>{t('fact.cpuModel')}</dt>
      <dd>{id?.cpuModel ?? MISSING}</dd>
      <dt>{t('fact.hostMemory')}</dt>
      <dd>{formatBytes(locale, id?.memoryTotalBytes)}</dd>
      <dt>{t('fact.kernel')}</dt>
      <dd>{id?.kernelRelease ?? MISSING}</dd>
      <dt>{t('fact.libvirt')}</dt>
      <dd data-testid="libvirt-version">{host.libvirt?.libvirtVersion ?? MISSING}</dd>
      <dt>{t('fact.hypervisor')}</dt>
      <dd>{host.libvirt?.hypervisorVersion ?? MISSING}</dd>
      <dt>{t('fact.allocated')}</dt>
      <dd data-testid="overcommit">
        {id
          ? t('fact.overcommit', {
              vcpus: t('count.vcpus', { count: host.vms.allocatedVcpus }),
              cpus: t('count.cpus', { count: id.cpuCount }),
              ratio: ratio(host.vms.allocatedVcpus, id.cpuCount, locale),
              memory: formatBytes(locale, host.vms.allocatedMemoryBytes),
              total: formatBytes(locale, id.memoryTotalBytes),
              memRatio: ratio(host.vms.allocatedMemoryBytes, id.memoryTotalBytes, locale),
            })
          : MISSING}
      </dd>
    </dl>
  );
}

/** One host: CPU by state, memory used and cached, disk, network, its facts and devices. */
export function HostDetail({
  client,
  host,
  onBack,
  range,
  onRange,
}: {
  client: ContractClient;
  host: FleetHost;
  onBack: () => void;
  range: Range;
  onRange: (range: Range) => void;
}) {
  const { t, locale } = useI18n();
  const source = useMemo<SeriesSource>(
    () => ({
      entity: { kind: 'host', id: host.id },
      metrics,
      topic: hostTopic(host.id),
      derive,
      listen: (c, onValues) =>
        c.subscribe('host.detail', (detail) => {
          if (detail.hostId === host.id && detail.sample) {
            onValues({ ts: detail.sample.ts, values: valuesOf(detail.sample) });
          }
        }),
    }),
    [host.id],
  );
  const sample = useLatestHostSample(client, host.id);
  const charts = useMemo<ChartSpec[]>(() => {
    return [
      {
        title: 'chart.cpu',
        format: (v) => formatPercent(locale, v),
        max: 100,
        series: [
          { metric: 'cpuUserPercent', label: 'series.cpuUser', color: '#2563eb' },
          { metric: 'cpuSystemPercent', label: 'series.cpuSystem', color: '#dc2626' },
          { metric: 'cpuIowaitPercent', label: 'series.cpuIowait', color: '#d97706' },
          { metric: 'cpuStealPercent', label: 'series.cpuSteal', color: '#7c3aed' },
        ],
      },
      {
        title: 'chart.memory',
        format: (v, stepOf) => formatBytes(locale, v, stepOf),
        steps: 'binary',
        ...(host.identity ? { max: host.identity.memoryTotalBytes } : {}),
        series: [
          { metric: 'memUsedBytes', label: 'series.memUsed', color: '#16a34a' },
          { metric: 'memCachedBytes', label: 'series.memCached', color: '#64748b' },
          // What the running VMs were given: the level the used line is read against.
          {
            metric: 'vmAllocatedBytes',
            label: 'series.memVmAllocated',
            color: '#d97706',
            constant: host.vms.allocatedMemoryBytes,
          },
        ],
      },
      ...ioCharts(locale),
    ];
  }, [locale, host.identity, host.vms.allocatedMemoryBytes]);
  return (
    <DetailPage
      client={client}
      title={host.name}
      badges={
        <span className={`status-pill status-${host.status.status}`}>
          {t(`status.${host.status.status}`)}
        </span>
      }
      source={source}
      charts={charts}
      onBack={onBack}
      range={range}
      onRange={onRange}
      backLabel={t('host.back')}
    >
      <DetailPanel title={t('host.vms.title', { count: host.vms.total })}>
        <HostVms host={host.id} />
      </DetailPanel>
      <DetailPanel title={t('detail.facts')}>
        <HostFacts host={host} />
      </DetailPanel>
      <DetailPanel title={t('detail.devices')}>
        {/* Past ranges come from the history: no live sample is needed for them. */}
        <DeviceCharts
          client={client}
          entity={source.entity}
          ts={sample?.ts ?? null}
          disks={sample?.disk.devices ?? noDisks}
          nics={sample?.net.interfaces ?? noNics}
        />
        <DeviceTable rows={sample && deviceRows(sample.disk.devices, sample.net.interfaces)} />
      </DetailPanel>
      <DetailPanel title={t('events.title')}>
        <RecentEvents client={client} of={{ kind: 'host', id: host.id }} />
      </DetailPanel>
    </DetailPage>
  );
}
