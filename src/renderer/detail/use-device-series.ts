import { useEffect, useState } from 'react';
import type {
  ContractClient,
  DeviceHistoryResult,
  HistoryParams,
} from '../../shared/contract/browser';
import { appendLive, HISTORY_POINTS, rangeMs } from './series';
import type { ChartPoint, Range } from './series';
import { readRange } from './range-reads';

export interface DeviceSeriesState {
  /** `disk:NAME` and `net:NAME` series, bytes/s. */
  series: Record<string, ChartPoint[]>;
  /** Device names in the history's order. */
  disks: string[];
  nics: string[];
  fromMs: number;
  toMs: number;
  /** Per-device figures exist from here on; null before the first answer. */
  keptFromMs: number | null;
  error: string | null;
}

/** A pushed sample's per-device traffic, under the series' names. */
export interface LiveDevices {
  ts: number;
  values: Record<string, number | null>;
  /** The sample's device names, in its order. */
  disks: string[];
  nics: string[];
}

function stateOf(result: DeviceHistoryResult, fromMs: number, toMs: number): DeviceSeriesState {
  const series: Record<string, ChartPoint[]> = {};
  const add = (kind: 'disk' | 'net', list: DeviceHistoryResult['disks']) => {
    for (const device of list) {
      series[`${kind}:${device.name}`] = device.points.map((p) => ({ x: p.ts, y: p.bytesPerSec }));
    }
    return list.map((d) => d.name);
  };
  return {
    series,
    disks: add('disk', result.disks),
    nics: add('net', result.nics),
    fromMs,
    toMs,
    keptFromMs: result.keptFromMs,
    error: null,
  };
}

/** Adds names not seen yet, keeping the order of those that were. */
const withNames = (names: string[], seen: readonly string[]): string[] =>
  seen.every((n) => names.includes(n))
    ? names
    : [...names, ...seen.filter((n) => !names.includes(n))];

/**
 * Each disk's and interface's traffic over a range: the store's per-device history, and
 * while the range is live each pushed sample's devices appended, as useMetricSeries does
 * for the totals.
 */
export function useDeviceSeries(
  client: ContractClient,
  entity: HistoryParams['entity'],
  range: Range,
  latest: LiveDevices | null,
): DeviceSeriesState {
  const [state, setState] = useState<DeviceSeriesState>(() => {
    const now = Date.now();
    return {
      series: {},
      disks: [],
      nics: [],
      fromMs: now - rangeMs[range],
      toMs: now,
      keptFromMs: null,
      error: null,
    };
  });
  const key = entity.kind === 'vm' ? `vm:${entity.uuid}` : `host:${entity.id}`;

  useEffect(
    () =>
      readRange(range, {
        read: (fromMs, toMs) =>
          client.request('history.devices', { entity, fromMs, toMs, maxPoints: HISTORY_POINTS }),
        onResult: (result, fromMs, toMs) => setState(stateOf(result, fromMs, toMs)),
        onError: (error, fromMs, toMs) => setState((old) => ({ ...old, fromMs, toMs, error })),
      }),
    // key stands for the entity, which callers build anew each render.
    [client, key, range],
  );

  useEffect(() => {
    if (range !== 'live' || latest === null) return;
    setState((old) => ({
      ...old,
      series: appendLive(old.series, latest.ts, latest.values, rangeMs.live),
      disks: withNames(old.disks, latest.disks),
      nics: withNames(old.nics, latest.nics),
      fromMs: latest.ts - rangeMs.live,
      toMs: latest.ts,
    }));
    // A sample's devices come with its time: ts alone says a new one is here.
  }, [latest?.ts, range]);
  return state;
}
