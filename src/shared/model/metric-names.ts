/**
 * The public names of the stored metrics (camelCase, unit in the name), in the store's
 * column order: what a history request names, what the store's metric table
 * (src/store/metrics.ts) defines and what the graphs draw. Defined once here so that a
 * typo in any of them fails to compile.
 */
export const HOST_METRIC_NAMES = [
  'cpuPercent',
  'cpuUserPercent',
  'cpuSystemPercent',
  'cpuIowaitPercent',
  'cpuStealPercent',
  'memTotalBytes',
  'memAvailableBytes',
  'memFreeBytes',
  'memBuffersBytes',
  'memCachedBytes',
  'memUsedPercent',
  'diskReadBytesPerSec',
  'diskWriteBytesPerSec',
  'diskReadIops',
  'diskWriteIops',
  'netRxBytesPerSec',
  'netTxBytesPerSec',
  'netRxPacketsPerSec',
  'netTxPacketsPerSec',
  'netWireBitsPerSec',
  'vmCount',
] as const;
export type HostMetricName = (typeof HOST_METRIC_NAMES)[number];

export const VM_METRIC_NAMES = [
  'cpuHostPercent',
  'cpuGuestPercent',
  'memAllocatedBytes',
  'memGuestTotalBytes',
  'memGuestUsedBytes',
  'memRssBytes',
  'memSwapInBytesPerSec',
  'memMajorFaultsPerSec',
  'diskReadBytesPerSec',
  'diskWriteBytesPerSec',
  'diskReadIops',
  'diskWriteIops',
  'netRxBytesPerSec',
  'netTxBytesPerSec',
  'netRxPacketsPerSec',
  'netTxPacketsPerSec',
] as const;
export type VmMetricName = (typeof VM_METRIC_NAMES)[number];

/** A host's or a VM's: what a history request may name (the store checks the kind). */
export type MetricName = HostMetricName | VmMetricName;

/** Every name once, hosts' first. */
export const METRIC_NAMES: readonly MetricName[] = [
  ...new Set<MetricName>([...HOST_METRIC_NAMES, ...VM_METRIC_NAMES]),
];

/** The names of one kind of entity. */
export type MetricNameOf<K extends 'host' | 'vm'> = K extends 'host'
  ? HostMetricName
  : VmMetricName;
