import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import type { Command, CommandIo } from '../command';
import { UsageError } from '../usage-error';
import { analysisSettings } from '../analysis/analysis-options';
import { openLibvirt } from '../libvirt/open-libvirt';
import { analyzeStore } from '../../backend/analysis/analyze-store';
import {
  APPLY_LIBVIRT_TIMEOUT_MS,
  applyActor,
  prepareRecommendation,
} from '../../backend/analysis/apply-flow';
import { carryOut } from '../../actions/apply-recommendation';
import { describePlan } from '../../actions/resize-plan';
import type { AuditScope } from '../../shared/model/audit-entry';
import { defaultDbPath } from '../../store/default-db-path';
import { Store } from '../../store/store';

const usage = `Usage: setmov apply <recommendation-id> [--dry-run] [--yes] [--scope live|config|both]
                    [--db FILE] [--window 7d] [--settings FILE]
                    [--uri URI | --ssh USER@HOST[:PORT] [--identity FILE] [--known-hosts FILE]]

Applies one recommendation of \`setmov analyze\` (its id is <uuid>:<kind>, e.g.
…:less-memory) to the VM through libvirt: memory with DOMAIN_SET_MEMORY_FLAGS (the running
guest through its balloon, and the config for the next boot), vCPUs with
DOMAIN_SET_VCPUS_FLAGS (the config, and the running guest where hot-plug allows). The
analysis is made again from the history first, so only advice that still holds is applied.
It shows the exact change and asks before making it; never goes under the safe minimums
(minMemoryBytes, minVcpus in --settings); writes what happened to the audit log
(\`setmov audit\`), which \`setmov sync\` sends to MySQL.
  --dry-run          show the change and stop: nothing is changed or written
  --yes              do not ask (needed when stdin is not a terminal)
  --scope S          live, config or both (default both)
  --window, --settings  as for setmov analyze (use the same to find the same advice)
  --uri, --ssh, --identity, --known-hosts  the VM's libvirt, as for setmov libvirt
                     (default qemu:///system)
  --db FILE          SQLite history (default: ${defaultDbPath()})`;

function parseScope(text: string): AuditScope {
  if (text === 'both') return 'live+config';
  if (text === 'live' || text === 'config') return text;
  throw new UsageError(`--scope must be live, config or both, not '${text}'`);
}

async function confirm(io: CommandIo, question: string): Promise<boolean> {
  if (!process.stdin.isTTY)
    throw new UsageError(
      'not confirmed: stdin is not a terminal, pass --yes to apply without asking',
    );
  const prompt = createInterface({ input: process.stdin, output: io.stdout });
  try {
    return /^y(es)?$/i.test((await prompt.question(question)).trim());
  } finally {
    prompt.close();
  }
}

export const applyCommand: Command = {
  summary: 'apply a recommendation (memory or vCPUs) to its VM, with a preview and an audit entry',
  usage,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        db: { type: 'string' },
        window: { type: 'string' },
        settings: { type: 'string' },
        scope: { type: 'string', default: 'both' },
        'dry-run': { type: 'boolean', default: false },
        yes: { type: 'boolean', default: false },
        uri: { type: 'string' },
        ssh: { type: 'string' },
        identity: { type: 'string' },
        'known-hosts': { type: 'string' },
      },
      strict: true,
      allowPositionals: true,
    });
    const [id, ...extra] = positionals;
    if (id === undefined || extra.length > 0)
      throw new UsageError('give one recommendation id (see setmov analyze)');
    const scope = parseScope(values.scope);
    const settings = analysisSettings(values.window, values.settings);
    const path = values.db ?? defaultDbPath();
    if (!existsSync(path)) throw new UsageError(`no history at ${path} (see --db)`);
    const store = Store.open({ path });
    try {
      const ready = await prepareRecommendation(
        analyzeStore(store, Date.now(), settings),
        id,
        scope,
        settings,
        () =>
          openLibvirt({
            uri: values.uri,
            ssh: values.ssh,
            identity: values.identity,
            knownHosts: values['known-hosts'],
            timeoutMs: APPLY_LIBVIRT_TIMEOUT_MS,
          }),
      );
      if (ready === null) {
        io.stderr.write(
          `setmov: the analysis does not recommend ${id} now (see setmov analyze with the same --window and --settings)\n`,
        );
        return 1;
      }
      const { prepared, lv } = ready;
      try {
        const { vm, plan } = prepared;
        io.stdout.write(
          [
            `${vm.name} (${vm.uuid}) on ${vm.host || '?'}: ${prepared.recommendation.kind}`,
            `  why: ${prepared.recommendation.reason}`,
            ...describePlan(plan).map((line) => `  ${line}`),
            '',
          ].join('\n'),
        );
        if (values['dry-run']) {
          io.stdout.write('dry run: nothing changed\n');
          return 0;
        }
        if (!values.yes && !(await confirm(io, 'Apply this change? [y/N] '))) {
          io.stdout.write('not applied\n');
          return 1;
        }
        const entry = await carryOut(lv, store, prepared, applyActor());
        io.stdout.write(
          `${entry.result} (${entry.scope})${entry.detail ? `: ${entry.detail}` : ''}; audit entry ${entry.id}\n`,
        );
        return entry.result === 'failed' ? 1 : 0;
      } finally {
        await lv.close();
      }
    } finally {
      store.close();
    }
  },
};
