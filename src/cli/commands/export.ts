import { parseArgs } from 'node:util';
import type { Command } from '../command';
import { UsageError } from '../usage-error';
import { parseTime } from '../store/parse-time';
import { defaultDbPath } from '../../store/default-db-path';
import { exportRange } from '../../store/export-range';
import { openDatabase } from '../../store/sqlite/open-database';

const usage = `Usage: setmov export (--host NAME | --vm NAME|UUID) --from TIME [--to TIME]
                     [--format csv|json] [--db FILE]

Writes the raw samples of one host or VM in [from, to) to stdout.
  --host NAME      a host, by name
  --vm NAME|UUID   a VM, by uuid or name (the most recently seen VM of that name)
  --from TIME      ISO 8601 (2026-01-31T08:00:00Z) or ms since the epoch
  --to TIME        the same; default: now
  --format F       csv (default) or json
  --db FILE        SQLite history (default: ${defaultDbPath()})`;

export const exportCommand: Command = {
  summary: 'export stored samples of a host or VM as CSV or JSON',
  usage,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        db: { type: 'string' },
        host: { type: 'string' },
        vm: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        format: { type: 'string', default: 'csv' },
      },
      strict: true,
      allowPositionals: false,
    });
    if ((values.host === undefined) === (values.vm === undefined)) {
      throw new UsageError('give exactly one of --host NAME or --vm NAME');
    }
    if (values.from === undefined) throw new UsageError('--from is required');
    const format = values.format;
    if (format !== 'csv' && format !== 'json')
      throw new UsageError(`--format must be csv or json, not ${format}`);
    const from = parseTime(values.from, '--from');
    const to = values.to === undefined ? Date.now() : parseTime(values.to, '--to');
    if (to <= from) throw new UsageError('--to must be after --from');
    const db = openDatabase(values.db ?? defaultDbPath(), { readOnly: true });
    try {
      const ref =
        values.host !== undefined
          ? { kind: 'host' as const, name: values.host }
          : { kind: 'vm' as const, uuid: values.vm, name: values.vm };
      let buffer = '';
      const write = (chunk: string): void => {
        buffer += chunk;
        if (buffer.length >= 65536) {
          io.stdout.write(buffer);
          buffer = '';
        }
      };
      exportRange(db, ref, from, to, format, write);
      io.stdout.write(buffer);
      return 0;
    } finally {
      db.close();
    }
  },
};
