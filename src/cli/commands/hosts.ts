import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DEFAULT_LIBVIRT_URI,
  DEFAULT_MEMORY_STATS_PERIOD_SEC,
  DEFAULT_POLL_INTERVAL_MS,
  HostTargetError,
} from '../../collector/engine/host-target';
import { defaultHostsConfigPath, parseSavedHost } from '../../collector/hosts-config/hosts-config';
import { HostsConfigError, type SavedHost } from '../../collector/hosts-config/saved-host';
import { savedHostTarget, type HostSecrets } from '../../collector/hosts-config/saved-host-target';
import { parseSshDestination } from '../../collector/ssh/ssh-destination';
import { SshDestinationError } from '../../collector/ssh/ssh-errors';
import { HostRegistry } from '../../backend/hosts/host-registry';
import { SECOND_MS } from '../../shared/time-ms';
import { testHost } from '../../backend/hosts/host-test';
import type { HostTestResult } from '../../shared/model/host-view';
import type { Command, CommandIo } from '../command';
import { formatBytes } from '../collect/format-table';
import { UsageError } from '../usage-error';
import { cliPassword } from '../store/read-password';
import { FileSecretStore, SecretFileError } from '../../store/file-secret-store';

const usage = `Usage: setmov hosts <add|list|remove|test> [options]

Saved hosts the console watches. The file (default $XDG_CONFIG_HOME/setmov/hosts.json,
else ~/.config/setmov/hosts.json) holds no secrets: only the auth method and a key's path.
A password or key passphrase is found as ssh finds one, never on the command line:
SETMOV_SSH_PASSWORD / SETMOV_SSH_PASSPHRASE if set, else a prompt with --password-prompt,
else one saved for the host in the secrets file (0600, not encrypted); with none, the
login is tried without (no prompt, so a cron job never waits).

  setmov hosts add NAME [--ssh USER@HOST[:PORT]] [--auth agent|key|password]
                        [--identity FILE] [--known-hosts FILE] [--uri URI]
                        [--interval SECONDS] [--memory-stats-period SECONDS]
                        [--save-secret [--password-prompt]]
      --ssh absent: this machine. --auth defaults to key with --identity, else agent.
      --interval: poll interval, 1 to 60 (default 2). --memory-stats-period: set on
      running virtio balloons that have none (default 2; 0: never change a domain).
      --save-secret: keep the password (--auth password) or key passphrase (--auth
      key), found as above, in the secrets file for later use.
  setmov hosts list [--json]
  setmov hosts remove NAME
  setmov hosts test NAME [--timeout SECONDS] [--password-prompt]
      checks the host step by step (TCP, host key, login, /proc, libvirt) as the
      console's Connect dialog does, and prints the status, the host's identity and
      its VM count; --timeout bounds each step (default 10); exit 0 when up, 1 otherwise.

Options for all:
  --config FILE   the hosts file to use instead of the default
`;

const SUBCOMMANDS = ['add', 'list', 'remove', 'test'] as const;

/** The saved hosts of --config (or the default file), with the CLI's secrets file. */
function openRegistry(values: { config?: string }): Promise<HostRegistry> {
  return withSecretFile(() =>
    HostRegistry.open({
      hostsPath: values.config ?? defaultHostsConfigPath(),
      secrets: new FileSecretStore(),
    }),
  );
}

function configPath(values: { config?: string }): string {
  return values.config ?? defaultHostsConfigPath();
}

function wholeSeconds(
  flag: string,
  text: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) {
    throw new UsageError(
      `${flag} must be a whole number of seconds from ${min} to ${max}, not '${text}'`,
    );
  }
  return value;
}

async function add(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ssh: { type: 'string' },
      auth: { type: 'string' },
      identity: { type: 'string' },
      'known-hosts': { type: 'string' },
      uri: { type: 'string' },
      interval: { type: 'string' },
      'memory-stats-period': { type: 'string' },
      'save-secret': { type: 'boolean', default: false },
      'password-prompt': { type: 'boolean', default: false },
      config: { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  const [name, ...extra] = positionals;
  if (!name || extra.length > 0) throw new UsageError('hosts add takes one NAME');
  if (values.ssh === undefined) {
    for (const flag of ['auth', 'identity', 'known-hosts'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} needs --ssh`);
    }
  }
  let ssh: Record<string, unknown> | null = null;
  if (values.ssh !== undefined) {
    let destination;
    try {
      destination = parseSshDestination(values.ssh, { defaultUser: process.env.USER });
    } catch (error) {
      if (error instanceof SshDestinationError) throw new UsageError(error.message);
      throw error;
    }
    const auth = values.auth ?? (values.identity ? 'key' : 'agent');
    if (auth !== 'agent' && auth !== 'key' && auth !== 'password') {
      throw new UsageError(`--auth must be agent, key or password, not '${auth}'`);
    }
    if (auth === 'key' && !values.identity)
      throw new UsageError('--auth key needs --identity FILE');
    if (auth !== 'key' && values.identity) throw new UsageError(`--identity goes with --auth key`);
    ssh = {
      host: destination.host,
      port: destination.port,
      username: destination.username,
      auth,
      // Absolute: the file is used from wherever the console runs.
      identityFile: values.identity ? resolve(values.identity) : null,
      knownHostsFile: values['known-hosts'] ? resolve(values['known-hosts']) : null,
    };
  }
  const path = configPath(values);
  let host: SavedHost;
  try {
    host = parseSavedHost('host', {
      name,
      ssh,
      libvirtUri: values.uri ?? DEFAULT_LIBVIRT_URI,
      pollIntervalSec:
        wholeSeconds('--interval', values.interval, 1, 60) ?? DEFAULT_POLL_INTERVAL_MS / SECOND_MS,
      memoryStatsPeriodSec:
        wholeSeconds('--memory-stats-period', values['memory-stats-period'], 0, 3600) ??
        DEFAULT_MEMORY_STATS_PERIOD_SEC,
    });
  } catch (error) {
    if (error instanceof HostsConfigError) throw new UsageError(error.message);
    throw error;
  }
  const registry = await openRegistry(values);
  if (registry.named(host.name)) throw new UsageError(`a host named '${name}' is already saved`);
  const secretKind = host.ssh?.auth === 'password' ? 'password' : 'passphrase';
  let secret: string | undefined;
  if (values['save-secret']) {
    if (host.ssh?.auth !== 'password' && host.ssh?.auth !== 'key') {
      throw new UsageError('--save-secret goes with --auth password or --auth key');
    }
    ({ secret } = await findSecret(registry, host, values['password-prompt']));
    if (secret === undefined) {
      throw new UsageError(
        `--save-secret needs the ${secretKind}: set ${secretEnv(host)} or use --password-prompt`,
      );
    }
  }
  const { id: _new, ...given } = host;
  await withSecretFile(() =>
    registry.add(given, secret === undefined ? {} : { [secretKind]: secret }),
  );
  io.stdout.write(`saved ${host.name} (${describeWhere(host)}) in ${path}\n`);
  if (secret !== undefined) {
    io.stdout.write(
      `saved its ${secretKind} in ${new FileSecretStore().path} (0600, not encrypted)\n`,
    );
  }
  return 0;
}

function describeWhere(host: SavedHost): string {
  const where = host.ssh
    ? `${host.ssh.username}@${host.ssh.host}:${host.ssh.port}, ${host.ssh.auth}${host.ssh.identityFile ? ` ${host.ssh.identityFile}` : ''}`
    : 'this machine';
  return `${where}, ${host.libvirtUri}, every ${host.pollIntervalSec} s`;
}

async function list(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean' }, config: { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new UsageError('hosts list takes no NAME');
  const hosts = (await openRegistry(values)).all;
  if (values.json) {
    for (const h of hosts) io.stdout.write(`${JSON.stringify(h)}\n`);
  } else if (hosts.length === 0) {
    io.stdout.write('no saved hosts (add one with `setmov hosts add NAME`)\n');
  } else {
    const width = Math.max(...hosts.map((h) => h.name.length));
    for (const h of hosts) io.stdout.write(`${h.name.padEnd(width)}  ${describeWhere(h)}\n`);
  }
  return 0;
}

async function remove(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { config: { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
  const [name, ...extra] = positionals;
  if (!name || extra.length > 0) throw new UsageError('hosts remove takes one NAME');
  const registry = await openRegistry(values);
  const host = registry.named(name);
  if (!host) throw new UsageError(`no saved host is named '${name}'`);
  await withSecretFile(() => registry.remove(host.id));
  io.stdout.write(`removed ${name}\n`);
  return 0;
}

const secretEnv = (host: SavedHost): string =>
  host.ssh?.auth === 'password' ? 'SETMOV_SSH_PASSWORD' : 'SETMOV_SSH_PASSPHRASE';

/** Runs a secrets-file operation, turning its typed error into the command's one line. */
async function withSecretFile<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof SecretFileError) throw new Error(`${error.code}: ${error.message}`);
    throw error;
  }
}

/**
 * The password (auth password) or key passphrase (auth key) of a host, from where ssh
 * users expect (see the usage); undefined when none is found.
 */
async function findSecret(
  registry: HostRegistry,
  host: SavedHost,
  prompt: boolean,
): Promise<{ secret?: string }> {
  const auth = host.ssh?.auth;
  if (auth !== 'password' && auth !== 'key') return {};
  const kind = auth === 'password' ? 'password' : 'passphrase';
  const secret = await withSecretFile(() =>
    cliPassword({
      envName: secretEnv(host),
      env: process.env,
      prompt,
      promptText:
        kind === 'password'
          ? `${host.ssh?.username}@${host.ssh?.host}'s password: `
          : `Passphrase for ${host.ssh?.identityFile}: `,
      stored: async () => (await registry.secretsOf(host))[kind] ?? null,
    }),
  );
  return secret === undefined ? {} : { secret };
}

/** The secrets of a test login; `found` false when the method takes one and none was found. */
async function hostSecrets(
  registry: HostRegistry,
  host: SavedHost,
  prompt: boolean,
): Promise<{ secrets: HostSecrets; found: boolean }> {
  const auth = host.ssh?.auth;
  if (auth !== 'password' && auth !== 'key') return { secrets: {}, found: true };
  const { secret } = await findSecret(registry, host, prompt);
  const found = secret !== undefined;
  if (auth === 'key') return { secrets: found ? { passphrase: secret } : {}, found };
  // No password found: the login is still tried (with none), as ssh in batch mode would,
  // and the server's refusal is what the test reports.
  return { secrets: { password: secret ?? '' }, found };
}

/** The steps that reach the host (its sshd): one failing means the host is not reached. */
const REACH_STEPS: ReadonlySet<string> = new Set(['tcp', 'host-key', 'auth']);

/** The status a test comes to, as the engine would name it, with the first failure's reason. */
function statusOf(result: HostTestResult): { status: string; reason: string | null } {
  const failed = result.steps.find((step) => step.result === 'failed');
  if (!failed) return { status: 'up', reason: null };
  return {
    status: REACH_STEPS.has(failed.step) ? 'unreachable' : 'degraded',
    reason: `${failed.step}: ${failed.error ?? 'failed'}`,
  };
}

/** A step may take at most this long, s (and at most --timeout). */
const STEP_TIMEOUT_SEC = 10;

async function test(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      config: { type: 'string' },
      timeout: { type: 'string' },
      'password-prompt': { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  const [name, ...extra] = positionals;
  if (!name || extra.length > 0) throw new UsageError('hosts test takes one NAME');
  const timeoutSec = wholeSeconds('--timeout', values.timeout, 1, 600) ?? STEP_TIMEOUT_SEC;
  const registry = await openRegistry(values);
  const host = registry.named(name);
  if (!host) throw new UsageError(`no saved host is named '${name}'`);
  let result: HostTestResult;
  let secretMissing = false;
  try {
    const { secrets, found } = await hostSecrets(registry, host, values['password-prompt']);
    secretMissing = !found;
    // A test only looks: it never changes a domain's settings.
    const target = { ...savedHostTarget(host, secrets), memoryStatsPeriodSec: 0 };
    ({ result } = await testHost(target, {
      stepTimeoutMs: Math.min(timeoutSec, STEP_TIMEOUT_SEC) * 1000,
    }));
  } catch (error) {
    if (error instanceof HostsConfigError || error instanceof HostTargetError) {
      throw new UsageError(error.message);
    }
    throw error;
  }
  const { status, reason } = statusOf(result);
  const { identity, libvirtHostname, vms } = result.found;
  const out = (line: string): void => void io.stdout.write(`${line}\n`);
  out(`${name}: ${status}${reason ? ` (${reason})` : ''}`);
  if (identity) {
    out(
      `  host      ${identity.hostname} (${identity.primaryIp ?? 'no IPv4'}), ${identity.cpuCount} CPUs${identity.cpuModel ? ` ${identity.cpuModel}` : ''}, ${formatBytes(identity.memoryTotalBytes)}, kernel ${identity.kernelRelease}`,
    );
  }
  if (result.steps.some((step) => step.step === 'libvirt' && step.result === 'ok')) {
    out(`  libvirt   ${host.libvirtUri}${libvirtHostname ? ` on ${libvirtHostname}` : ''}`);
  }
  if (vms) out(`  VMs       ${vms.total} (${vms.running} running)`);
  if (status !== 'up' && secretMissing) {
    out(`  hint      none was given: set ${secretEnv(host)} or use --password-prompt`);
  }
  return status === 'up' ? 0 : 1;
}

export const hostsCommand: Command = {
  summary: 'saved hosts: add, list, remove, test a connection',
  usage,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === undefined || sub === '--help' || sub === '-h') {
      io.stdout.write(usage);
      return sub === undefined ? 2 : 0;
    }
    if (!(SUBCOMMANDS as readonly string[]).includes(sub)) {
      throw new UsageError(`unknown hosts subcommand '${sub}' (add, list, remove, test)`);
    }
    try {
      switch (sub) {
        case 'add':
          return await add(rest, io);
        case 'list':
          return await list(rest, io);
        case 'remove':
          return await remove(rest, io);
        default:
          return await test(rest, io);
      }
    } catch (error) {
      if (error instanceof HostsConfigError) throw new Error(error.message);
      throw error;
    }
  },
};
