import { describe, expect, it } from 'vitest';
import { requestSchemas } from '../../src/shared/contract/schemas';
import { HOST_METRIC_NAMES, VM_METRIC_NAMES } from '../../src/shared/model/metric-names';
import { hostMetrics, vmMetrics } from '../../src/store/metrics';

describe('metric names', () => {
  // The compiler checks that each table defines every name; this checks the order too.
  it('are the store tables’ names, in their column order, each once', () => {
    expect(vmMetrics.map((m) => m.name)).toEqual([...VM_METRIC_NAMES]);
    expect(hostMetrics.map((m) => m.name)).toEqual([...HOST_METRIC_NAMES]);
    expect(new Set(VM_METRIC_NAMES).size).toBe(VM_METRIC_NAMES.length);
    expect(new Set(HOST_METRIC_NAMES).size).toBe(HOST_METRIC_NAMES.length);
  });

  it('are what a history request may name', () => {
    const params = {
      entity: { kind: 'vm', uuid: '5e7a0b0d-0000-4000-8000-000000000001' },
      metrics: ['cpuGuestPercent', 'cpuPercent'],
      fromMs: 0,
      toMs: 1,
      maxPoints: 10,
    };
    expect(requestSchemas.history.safeParse(params).success).toBe(true);
    expect(
      requestSchemas.history.safeParse({ ...params, metrics: ['cpuGuestPercnt'] }).success,
    ).toBe(false);
  });
});
