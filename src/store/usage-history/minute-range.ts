import type { HostMetricName, VmMetricName } from '../../shared/model/metric-names';
import type { EntityRef } from '../entity-ref';
import type { RangeResult } from '../range-query';
import type { Store } from '../store';
import { MINUTE_MS } from '../../shared/time-ms';

/** An entity's metrics in [from, to), one point a minute: what the analysis reads. */
export function minuteRange(
  store: Store,
  entity: Extract<EntityRef, { kind: 'host' }>,
  metrics: HostMetricName[],
  from: number,
  to: number,
): RangeResult;
export function minuteRange(
  store: Store,
  entity: Extract<EntityRef, { kind: 'vm' }>,
  metrics: VmMetricName[],
  from: number,
  to: number,
): RangeResult;
export function minuteRange(
  store: Store,
  entity: EntityRef,
  metrics: string[],
  from: number,
  to: number,
): RangeResult {
  return store.query({
    entity,
    metrics,
    from,
    to,
    maxPoints: Math.ceil((to - from) / MINUTE_MS) + 1,
    resolution: '1m',
  });
}
