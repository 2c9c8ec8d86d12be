import { describe, expect, it } from 'vitest';
import { agentMetricFamilies } from '../../src/agent/agent-metrics';
import type { AgentStatus } from '../../src/agent/agent-status-file';
import {
  escapeHelp,
  escapeLabelValue,
  formatValue,
  prometheusText,
} from '../../src/agent/prometheus-text';

/**
 * A reader of the 0.0.4 text format as the Prometheus server reads it, strict where the
 * format is: a sample line is name, optional {label="value",...} with \\ \" \n the only
 * escapes, one space, a float; HELP and TYPE once per family, TYPE before its samples.
 */
function parseExposition(text: string): {
  types: Map<string, string>;
  helps: Map<string, string>;
  samples: { name: string; labels: Record<string, string>; value: number }[];
} {
  expect(text.endsWith('\n')).toBe(true);
  const types = new Map<string, string>();
  const helps = new Map<string, string>();
  const samples: { name: string; labels: Record<string, string>; value: number }[] = [];
  const unescape = (s: string): string =>
    s.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c));
  for (const line of text.slice(0, -1).split('\n')) {
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string];
      const into = kind === 'HELP' ? helps : types;
      expect(into.has(name), `${kind} of ${name} given twice`).toBe(false);
      if (kind === 'TYPE') expect(['counter', 'gauge']).toContain(rest);
      // A HELP holds no raw line feed and no backslash but as an escape.
      if (kind === 'HELP') expect(rest).toMatch(/^([^\\\n]|\\\\|\\n)*$/);
      into.set(name, kind === 'HELP' ? unescape(rest) : rest);
      continue;
    }
    const sample =
      /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\\\|\\"|\\n)*",?)*)\})? (\S+)$/.exec(
        line,
      );
    expect(sample, `not a sample line: ${JSON.stringify(line)}`).not.toBeNull();
    const [, name, , labelText, valueText] = sample as unknown as [
      string,
      string,
      string,
      string | undefined,
      string,
    ];
    expect(types.has(name), `${name} has samples before its TYPE`).toBe(true);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (labelText ?? '').matchAll(
      /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g,
    )) {
      labels[key as string] = unescape(value as string);
    }
    const value =
      valueText === '+Inf' ? Infinity : valueText === '-Inf' ? -Infinity : Number(valueText);
    expect(valueText === 'NaN' || !Number.isNaN(value), `bad value ${valueText}`).toBe(true);
    samples.push({ name, labels, value });
  }
  return { types, helps, samples };
}

const status = (overrides: Partial<AgentStatus> = {}): AgentStatus => ({
  version: 1,
  pid: 42,
  state: 'running',
  startedAt: 1_700_000_000_000,
  updatedAt: 1_700_000_060_000,
  configPath: '/etc/setmov/agent.json',
  metricsUrl: 'http://127.0.0.1:9464/metrics',
  hosts: [
    { id: 'h1', name: 'this host', state: 'up', reason: null, lastError: null },
    {
      id: 'h2',
      name: 'odd "name" \\ with\na line feed',
      state: 'unreachable',
      reason: 'ssh: ECONNREFUSED',
      lastError: { message: 'ssh: ECONNREFUSED', at: 1_700_000_050_000 },
    },
    { id: 'h3', name: '가상 서버 1', state: 'degraded', reason: 'libvirt: down', lastError: null },
  ],
  samplesCollected: 1234,
  samplesDropped: 0,
  sync: {
    target: 'mysql://agent@db1:3306,db2:3306/setmov',
    resolution: '10s',
    node: 'db1:3306',
    state: 'idle',
    lagSeconds: 2.5,
    rowsPending: 17,
    rowsParked: 1,
    rowsSent: 5000,
    failovers: 2,
    conflictRetries: 3,
    lastSuccessAt: 1_700_000_059_000,
    lastError: null,
  },
  bufferBytes: 4096,
  lastError: { message: 'ssh: ECONNREFUSED', at: 1_700_000_050_000 },
  ...overrides,
});

describe('the Prometheus text format', () => {
  it('escapes a label value: backslash, double quote, line feed', () => {
    expect(escapeLabelValue('a\\b"c"\nd')).toBe('a\\\\b\\"c\\"\\nd');
    expect(escapeLabelValue('가상 서버 1')).toBe('가상 서버 1');
  });

  it('escapes HELP: backslash and line feed only (a double quote stays)', () => {
    expect(escapeHelp('say "hi"\\ then\nmore')).toBe('say "hi"\\\\ then\\nmore');
  });

  it('writes values as Go reads them back', () => {
    expect(formatValue(0)).toBe('0');
    expect(formatValue(1.5)).toBe('1.5');
    expect(formatValue(1_796_620_822.858)).toBe('1796620822.858');
    expect(formatValue(NaN)).toBe('NaN');
    expect(formatValue(Infinity)).toBe('+Inf');
    expect(formatValue(-Infinity)).toBe('-Inf');
    expect(formatValue(1e21)).toBe('1e+21');
  });

  it('writes each family as HELP, TYPE, then its samples, and ends in a line feed', () => {
    const text = prometheusText([
      { name: 'a_total', help: 'A.', type: 'counter', samples: [{ value: 3 }] },
      {
        name: 'b',
        help: 'B with \\ and\nline.',
        type: 'gauge',
        samples: [
          { labels: { x: 'q"\n\\', y: '' }, value: 1 },
          { labels: { x: 'p' }, value: 0 },
        ],
      },
      { name: 'c', help: 'No samples yet.', type: 'gauge', samples: [] },
    ]);
    expect(text).toBe(
      [
        '# HELP a_total A.',
        '# TYPE a_total counter',
        'a_total 3',
        '# HELP b B with \\\\ and\\nline.',
        '# TYPE b gauge',
        'b{x="q\\"\\n\\\\",y=""} 1',
        'b{x="p"} 0',
        '# HELP c No samples yet.',
        '# TYPE c gauge',
        '',
      ].join('\n'),
    );
    expect(parseExposition(text).samples[1]?.labels).toEqual({ x: 'q"\n\\', y: '' });
    expect(prometheusText([])).toBe('');
  });

  it('refuses a family given twice (two TYPE lines) and names outside the grammar', () => {
    const family = { name: 'a', help: 'A.', type: 'gauge' as const, samples: [{ value: 1 }] };
    expect(() => prometheusText([family, family])).toThrow(/given twice/);
    expect(() => prometheusText([{ ...family, name: 'a-b' }])).toThrow(/bad metric name/);
    expect(() => prometheusText([{ ...family, name: '1a' }])).toThrow(/bad metric name/);
    expect(() =>
      prometheusText([{ ...family, samples: [{ labels: { __name__: 'x' }, value: 1 }] }]),
    ).toThrow(/bad label name/);
    expect(() =>
      prometheusText([{ ...family, samples: [{ labels: { 'host-id': 'x' }, value: 1 }] }]),
    ).toThrow(/bad label name/);
  });
});

describe("the agent's metrics", () => {
  it('are a valid exposition with every family once, counters ending in _total', () => {
    const { types, helps, samples } = parseExposition(
      prometheusText(agentMetricFamilies(status(), true)),
    );
    expect([...types.keys()].sort()).toEqual(
      [
        'setmov_agent_buffer_bytes',
        'setmov_agent_host_up',
        'setmov_agent_hosts',
        'setmov_agent_last_error_timestamp_seconds',
        'setmov_agent_samples_collected_total',
        'setmov_agent_samples_dropped_total',
        'setmov_agent_start_time_seconds',
        'setmov_agent_sync_conflict_retries_total',
        'setmov_agent_sync_error',
        'setmov_agent_sync_failovers_total',
        'setmov_agent_sync_lag_seconds',
        'setmov_agent_sync_last_success_timestamp_seconds',
        'setmov_agent_sync_rows_parked',
        'setmov_agent_sync_rows_pending',
        'setmov_agent_sync_rows_sent_total',
        'setmov_agent_up',
      ].sort(),
    );
    expect([...helps.keys()].sort()).toEqual([...types.keys()].sort());
    for (const [name, type] of types) expect(name.endsWith('_total')).toBe(type === 'counter');
    const value = (name: string, labels: Record<string, string> = {}): number | undefined =>
      samples.find((s) => s.name === name && JSON.stringify(s.labels) === JSON.stringify(labels))
        ?.value;
    expect(value('setmov_agent_up')).toBe(1);
    expect(value('setmov_agent_samples_collected_total')).toBe(1234);
    expect(value('setmov_agent_hosts', { state: 'up' })).toBe(1);
    expect(value('setmov_agent_hosts', { state: 'unreachable' })).toBe(1);
    expect(value('setmov_agent_hosts', { state: 'degraded' })).toBe(1);
    expect(value('setmov_agent_hosts', { state: 'connecting' })).toBe(0);
    expect(value('setmov_agent_host_up', { host_id: 'h1', host_name: 'this host' })).toBe(1);
    expect(
      value('setmov_agent_host_up', {
        host_id: 'h2',
        host_name: 'odd "name" \\ with\na line feed',
      }),
    ).toBe(0);
    expect(value('setmov_agent_host_up', { host_id: 'h3', host_name: '가상 서버 1' })).toBe(0);
    expect(value('setmov_agent_sync_lag_seconds')).toBe(2.5);
    expect(value('setmov_agent_sync_rows_pending')).toBe(17);
    expect(value('setmov_agent_sync_rows_parked')).toBe(1);
    expect(value('setmov_agent_sync_rows_sent_total')).toBe(5000);
    expect(value('setmov_agent_sync_failovers_total')).toBe(2);
    expect(value('setmov_agent_sync_conflict_retries_total')).toBe(3);
    expect(value('setmov_agent_sync_error')).toBe(0);
    expect(value('setmov_agent_sync_last_success_timestamp_seconds')).toBe(1_700_000_059);
    expect(value('setmov_agent_buffer_bytes')).toBe(4096);
    expect(value('setmov_agent_last_error_timestamp_seconds')).toBe(1_700_000_050);
    expect(value('setmov_agent_start_time_seconds')).toBe(1_700_000_000);
  });

  it('say 0 for times that never were, and the sync in error', () => {
    const text = prometheusText(
      agentMetricFamilies(
        status({
          lastError: null,
          sync: {
            ...status().sync,
            state: 'error',
            lastSuccessAt: null,
            lastError: { code: 'timeout', message: 'no answer', at: 1 },
          },
        }),
        false,
      ),
    );
    expect(text).toMatch(/^setmov_agent_up 0$/m);
    expect(text).toMatch(/^setmov_agent_sync_error 1$/m);
    expect(text).toMatch(/^setmov_agent_last_error_timestamp_seconds 0$/m);
    expect(text).toMatch(/^setmov_agent_sync_last_success_timestamp_seconds 0$/m);
  });
});
