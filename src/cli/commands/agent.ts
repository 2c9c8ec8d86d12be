import { parseArgs } from 'node:util';
import { Agent } from '../../agent/agent';
import { ConfigFileError } from '../../agent/config-file';
import {
  DEFAULT_AGENT_CONFIG_PATH,
  loadAgentConfig,
  type AgentConfig,
} from '../../agent/agent-config';
import { agentHealth } from '../../agent/agent-health';
import { agentStatusPath, readAgentStatus } from '../../agent/agent-status-file';
import { agentStatusLines } from '../agent/agent-status-lines';
import type { Command, CommandIo } from '../command';
import { UsageError } from '../usage-error';

const usage = `Usage: setmov agent [--config FILE]
       setmov agent status [--config FILE] [--json]

Runs headless, as a service: watches the hosts of its configuration (this machine's
/proc and qemu:///system, hosts over SSH), keeps their samples in the history under
its state directory, and sends that history to the central MySQL/MariaDB continuously.
SIGTERM or SIGINT stops it within 3 s; SIGHUP reloads the configuration (one that does
not load is logged and the agent runs on as it was). See docs/agent.md.
  --config FILE   the configuration, JSON (default ${DEFAULT_AGENT_CONFIG_PATH})
Passwords are never in the configuration nor on the command line: the MySQL one in
SETMOV_MYSQL_PASSWORD, SSH ones in SETMOV_SSH_PASSWORD / SETMOV_SSH_PASSPHRASE, else
in <stateDir>/secrets.json (0600).

status: what the running agent last wrote to <stateDir>/agent-status.json (its
hosts, samples, sync, buffer, last error); exit 0 when it runs and its sync is not in
error, 1 otherwise, as a monitoring check expects.
  --json          the status file, with {"health": {...}} added`;

/** The configuration, or its problems on stderr, one line each, and exit code 2. */
async function configOr2(
  path: string,
  io: CommandIo,
): Promise<{ config: AgentConfig } | { code: 2 }> {
  try {
    return { config: await loadAgentConfig(path) };
  } catch (error) {
    if (!(error instanceof ConfigFileError)) throw error;
    for (const problem of error.problems) io.stderr.write(`setmov: ${problem}\n`);
    return { code: 2 };
  }
}

async function runAgent(configPath: string, io: CommandIo): Promise<number> {
  const loaded = await configOr2(configPath, io);
  if ('code' in loaded) return loaded.code;
  const agent = await Agent.start({
    configPath,
    config: loaded.config,
    env: process.env,
    log: (line) => io.stderr.write(`${line}\n`),
  });
  const onHangUp = (): void => void agent.reload();
  process.on('SIGHUP', onHangUp);
  try {
    if (!io.signal.aborted) {
      await new Promise<void>((resolve) =>
        io.signal.addEventListener('abort', () => resolve(), { once: true }),
      );
    }
  } finally {
    process.off('SIGHUP', onHangUp);
    await agent.close();
  }
  return 0;
}

async function printStatus(configPath: string, json: boolean, io: CommandIo): Promise<number> {
  const loaded = await configOr2(configPath, io);
  if ('code' in loaded) return loaded.code;
  const path = agentStatusPath(loaded.config.stateDir);
  const status = await readAgentStatus(path);
  if (!status) {
    io.stdout.write(`agent: not running (no ${path}: it has not run with this state directory)\n`);
    return 1;
  }
  const health = agentHealth(status, Date.now());
  io.stdout.write(
    json
      ? `${JSON.stringify({ ...status, health })}\n`
      : `${agentStatusLines(status, health).join('\n')}\n`,
  );
  return health.ok ? 0 : 1;
}

export const agentCommand: Command = {
  summary: 'run headless: collect, keep and sync to MySQL as a service (status: its health)',
  usage,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        config: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: true,
    });
    const configPath = values.config ?? DEFAULT_AGENT_CONFIG_PATH;
    const [sub, ...extra] = positionals;
    if (extra.length > 0 || (sub !== undefined && sub !== 'status')) {
      throw new UsageError(`setmov agent takes no '${positionals.join(' ')}' (only: status)`);
    }
    if (sub === 'status') return printStatus(configPath, values.json, io);
    if (values.json) throw new UsageError('--json goes with setmov agent status');
    return runAgent(configPath, io);
  },
};
