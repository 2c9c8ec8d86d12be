import { parseArgs } from 'node:util';
import type { Command } from '../command';
import { UsageError } from '../usage-error';
import { defaultDbPath } from '../../store/default-db-path';
import { formatAudit, readAudit } from '../../store/audit-log';
import { Store } from '../../store/store';
import { existsSync } from 'node:fs';

const usage = `Usage: setmov audit [--vm UUID] [--limit N] [--format text|csv|json] [--db FILE]

Every change setmov apply or the console made to a VM, newest first: when, who, which VM,
what (memory in bytes or vCPUs), before and after, live or config, the result and why.
  --vm UUID     only this VM
  --limit N     at most N entries (default 200)
  --format F    text (default), csv or json
  --db FILE     SQLite history (default: ${defaultDbPath()})`;

export const auditCommand: Command = {
  summary: 'list or export the audit log of changes made to VMs',
  usage,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        db: { type: 'string' },
        vm: { type: 'string' },
        limit: { type: 'string', default: '200' },
        format: { type: 'string', default: 'text' },
      },
      strict: true,
      allowPositionals: false,
    });
    const limit = Number(values.limit);
    if (!/^\d{1,5}$/.test(values.limit) || limit < 1)
      throw new UsageError(`--limit must be a whole number from 1, not '${values.limit}'`);
    const format = values.format;
    if (format !== 'text' && format !== 'csv' && format !== 'json')
      throw new UsageError(`--format must be text, csv or json, not '${format}'`);
    const path = values.db ?? defaultDbPath();
    if (!existsSync(path)) throw new UsageError(`no history at ${path} (see --db)`);
    const store = Store.open({ path });
    try {
      const entries = readAudit(store, { uuid: values.vm, limit });
      if (format !== 'text') io.stdout.write(formatAudit(entries, format));
      else if (entries.length === 0) io.stdout.write('no change was made\n');
      else
        for (const e of entries)
          io.stdout.write(
            `${new Date(e.ts).toISOString()} ${e.actor} ${e.vmName} (${e.vmUuid}) on ${e.host}: ${e.change} ${e.before ?? '?'} → ${e.after} ${e.scope} ${e.result}${e.detail ? ` (${e.detail})` : ''}\n`,
          );
      return 0;
    } finally {
      store.close();
    }
  },
};
