/**
 * The Prometheus text exposition format, version 0.0.4, written by hand: the agent
 * exports a dozen gauges and counters, and prom-client would bring a registry, default
 * process metrics and a dependency for what is a few lines of text.
 * https://prometheus.io/docs/instrumenting/exposition_formats/
 */

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface MetricSample {
  labels?: Readonly<Record<string, string>>;
  value: number;
}

/** One metric family: one HELP and one TYPE line, then its samples. */
export interface MetricFamily {
  /** A counter's name ends in _total, as the naming conventions ask. */
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: readonly MetricSample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
/** Names starting with __ are Prometheus' own. */
const LABEL_NAME = /^(?!__)[a-zA-Z_][a-zA-Z0-9_]*$/;

/** HELP text: a backslash and a line feed are the only characters escaped. */
export function escapeHelp(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
}

/** A label value: backslash, double quote and line feed escaped. */
export function escapeLabelValue(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

/** A sample value as Go's ParseFloat reads it back: NaN, +Inf and -Inf spelt its way. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function labelSet(labels: Readonly<Record<string, string>> | undefined, family: string): string {
  const entries = Object.entries(labels ?? {});
  if (entries.length === 0) return '';
  const pairs = entries.map(([name, value]) => {
    if (!LABEL_NAME.test(name)) throw new TypeError(`${family}: bad label name '${name}'`);
    return `${name}="${escapeLabelValue(value)}"`;
  });
  return `{${pairs.join(',')}}`;
}

/**
 * The families as one exposition: each family's lines together, one TYPE per family (a
 * name given twice is refused, as a scraper would refuse the page), a final line feed.
 */
export function prometheusText(families: readonly MetricFamily[]): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const family of families) {
    if (!METRIC_NAME.test(family.name)) throw new TypeError(`bad metric name '${family.name}'`);
    if (seen.has(family.name)) throw new TypeError(`metric '${family.name}' given twice`);
    seen.add(family.name);
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`);
    lines.push(`# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) {
      lines.push(
        `${family.name}${labelSet(sample.labels, family.name)} ${formatValue(sample.value)}`,
      );
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
