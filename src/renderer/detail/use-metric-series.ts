import { useEffect, useState } from 'react';
import type { ContractClient, Topic } from '../../shared/contract/browser';
import type { HistoryParams } from '../../shared/contract/browser';
import type { HostMetricName, VmMetricName } from '../../shared/model/metric-names';
import { appendLive, HISTORY_POINTS, rangeMs, seriesOfHistory } from './series';
import type { ChartPoint, Derive, Range } from './series';
import { readRange } from './range-reads';

/** A live sample's time and its value of each metric, from one pushed event. */
export interface LiveValues {
  ts: number;
  values: Record<string, number | null>;
}

type Entity = HistoryParams['entity'];

/** A host's graphs ask for host metrics, a VM's for VM metrics. */
export type SeriesSource = SeriesSourceBase &
  (
    | { entity: Extract<Entity, { kind: 'host' }>; metrics: readonly HostMetricName[] }
    | { entity: Extract<Entity, { kind: 'vm' }>; metrics: readonly VmMetricName[] }
  );

interface SeriesSourceBase {
  /** The topic whose events carry this entity's samples. */
  topic: Topic;
  /** Subscribes to those events; calls back with each one's values (null: not this entity's). */
  listen: (client: ContractClient, onValues: (values: LiveValues) => void) => () => void;
  derive?: Derive;
}

export interface SeriesState {
  series: Record<string, ChartPoint[]>;
  fromMs: number;
  toMs: number;
  error: string | null;
}

/**
 * An entity's metrics over a range: the store's history, and while the range is "live"
 * (the last 5 min) each new sample appended as it is pushed.
 */
export function useMetricSeries(
  client: ContractClient,
  source: SeriesSource,
  range: Range,
): SeriesState {
  const [state, setState] = useState<SeriesState>(() => {
    const now = Date.now();
    return { series: {}, fromMs: now - rangeMs[range], toMs: now, error: null };
  });
  const { entity, metrics, topic, listen, derive } = source;
  const key = `${entity.kind}:${'uuid' in entity ? entity.uuid : entity.id}:${metrics.join(',')}`;

  useEffect(() => {
    const stopReading = readRange(range, {
      read: (fromMs, toMs) =>
        client.request('history', {
          entity,
          metrics: [...metrics],
          fromMs,
          toMs,
          maxPoints: HISTORY_POINTS,
        }),
      onResult: (history, fromMs, toMs) =>
        setState({ series: seriesOfHistory(history, metrics, derive), fromMs, toMs, error: null }),
      onError: (error, fromMs, toMs) => setState((old) => ({ ...old, fromMs, toMs, error })),
    });
    if (range !== 'live') return stopReading;
    let current = true;
    const windowMs = rangeMs[range];
    const stopWatching = client.watch(topic);
    const stopListening = listen(client, ({ ts, values }) => {
      if (!current) return;
      setState((old) => ({
        series: appendLive(
          Object.keys(old.series).length > 0
            ? old.series
            : Object.fromEntries(metrics.map((m) => [m, []])),
          ts,
          values,
          windowMs,
        ),
        fromMs: ts - windowMs,
        toMs: ts,
        error: null,
      }));
    });
    return () => {
      current = false;
      stopReading();
      stopWatching();
      stopListening();
    };
    // key stands for entity and metrics, which callers build anew each render.
  }, [client, key, range, topic]);
  return state;
}
