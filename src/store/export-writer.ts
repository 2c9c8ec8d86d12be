export type ExportFormat = 'csv' | 'json';

/** A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180). */
function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The export file's layout, whichever history the samples come from (this console's
 * SQLite, or the central tables): CSV with one header line and one line per sample (ISO
 * time first, then whose they are, then the metrics), or JSON, an array of flat objects.
 * Written chunk by chunk, so a long range streams instead of filling memory.
 */
export class ExportWriter {
  private readonly subjectFields: string[];
  private count = 0;

  constructor(
    private readonly format: ExportFormat,
    /** Whose samples: the host, or the VM (name, UUID) and its host, in every row. */
    private readonly subject: Record<string, string | null>,
    /** The metrics' names, in the order rows give their values. */
    private readonly metricNames: readonly string[],
    private readonly write: (chunk: string) => void,
  ) {
    this.subjectFields = Object.values(subject).map(csvField);
    const names = ['time', 'ts', ...Object.keys(subject), ...metricNames];
    write(format === 'csv' ? names.join(',') + '\n' : '[');
  }

  /** One sample: its time (ms) and its metrics' values, in `metricNames`' order. */
  row(ts: number, values: readonly (number | null)[]): void {
    const time = new Date(ts).toISOString();
    if (this.format === 'csv') {
      this.write([time, ts, ...this.subjectFields, ...values.map(csvField)].join(',') + '\n');
    } else {
      const record: Record<string, unknown> = { time, ts, ...this.subject };
      this.metricNames.forEach((name, i) => (record[name] = values[i] ?? null));
      this.write((this.count > 0 ? ',\n' : '\n') + JSON.stringify(record));
    }
    this.count++;
  }

  /** Closes the file; answers the number of samples written. */
  end(): number {
    if (this.format === 'json') this.write(this.count > 0 ? '\n]\n' : ']\n');
    return this.count;
  }
}
