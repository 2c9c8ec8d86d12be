import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import type { CommandIo } from './command';
import { commands } from './commands';
import { UsageError } from './usage-error';

const packageJson = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as { version: string };

export const version: string = packageJson.version;

async function topLevelHelp(): Promise<string> {
  const lines = ['Usage: setmov <command> [options]', '', 'Commands:'];
  for (const [name, load] of Object.entries(commands)) {
    const command = await load();
    lines.push(`  ${name.padEnd(10)} ${command.summary}`);
  }
  lines.push('', 'Options:', '  --help     show this help', '  --version  print the version');
  lines.push('', 'Run `setmov <command> --help` for the options of a command.');
  return lines.join('\n') + '\n';
}

/** The first line only: parseArgs and some drivers write several, the CLI promises one. */
function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0] ?? '';
}

/** Runs the CLI; returns the exit code. Never lets a stack trace reach the user. */
export async function main(argv: string[], io?: Partial<CommandIo>): Promise<number> {
  const abort = new AbortController();
  const streams: CommandIo = {
    stdout: io?.stdout ?? process.stdout,
    stderr: io?.stderr ?? process.stderr,
    signal: io?.signal ?? abort.signal,
  };
  const onSignal = (): void => abort.abort();
  if (!io?.signal) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first.startsWith('-')) {
      const { values } = parseArgs({
        args: argv,
        options: {
          help: { type: 'boolean', short: 'h' },
          version: { type: 'boolean', short: 'v' },
        },
        strict: true,
      });
      if (values.version) {
        streams.stdout.write(`${version}\n`);
        return 0;
      }
      streams.stdout.write(await topLevelHelp());
      return values.help ? 0 : 2;
    }
    const load = commands[first];
    if (!load) throw new UsageError(`unknown command '${first}' (see setmov --help)`);
    const command = await load();
    if (rest.includes('--help') || rest.includes('-h')) {
      streams.stdout.write(command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`);
      return 0;
    }
    return await command.run(rest, streams);
  } catch (error) {
    const usage = error instanceof UsageError || isParseArgsError(error);
    streams.stderr.write(`setmov: ${errorMessage(error)}\n`);
    return usage ? 2 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
