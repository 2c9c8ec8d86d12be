import { isIP } from 'node:net';
import { z } from 'zod';
import { savedHostSchema } from '../collector/hosts-config/hosts-config';
import { parseMysqlUrl, type MysqlTarget } from '../store/mysql/mysql-target';
import { checkedConfig, readJsonConfig } from './config-file';

/** Where `setmov agent` reads its configuration when no --config is given. */
export const DEFAULT_AGENT_CONFIG_PATH = '/etc/setmov/agent.json';
export const DEFAULT_STATE_DIR = '/var/lib/setmov-agent';

/**
 * How long the central tables keep an agent's usage rows by default: at 10 s and 5,000
 * desktops a day is 43 million t4 rows (docs/central-schema.md has the sizes).
 */
export const DEFAULT_CENTRAL_RETENTION_DAYS = 90;

/**
 * The agent's pause between sync rounds, seconds. Each round writes every host's and
 * VM's newest figures to t1/t3, so their age in the central database is about a poll
 * plus this pause plus a round: 2 s keeps it within 5 s (bench/RESULTS.md) where the
 * console's 5 s would not, at one transaction per agent every 2 s.
 */
export const AGENT_SYNC_INTERVAL_SEC = 2;

/** The central resolution by its name in the file, in seconds (0: every raw sample). */
const RESOLUTION_SEC = { raw: 0, '10s': 10, '1m': 60 } as const;
export type CentralResolution = keyof typeof RESOLUTION_SEC;
export type CentralResolutionSec = (typeof RESOLUTION_SEC)[CentralResolution];

/** Under systemd the working directory is /, and ~ is not the admin's: paths are absolute. */
export const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^\//, 'expected an absolute path')
  .regex(/^[^\0\r\n]*$/, 'a path has no line breaks');

/**
 * Only this machine may reach the endpoint: it has no authentication, and names every
 * host. An address, not a name: what `localhost` resolves to is not this file's to say.
 */
function isLoopbackIp(address: string): boolean {
  return address === '::1' || (isIP(address) === 4 && address.startsWith('127.'));
}

/** A MySQL URL as written, with the target it names (mysql-target.ts checks it). */
export const mysqlUrlField = z
  .string()
  .min(1)
  .transform((url, context): { url: string; target: MysqlTarget } => {
    try {
      return { url, target: parseMysqlUrl(url) };
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });

const syncSchema = z.strictObject({
  url: mysqlUrlField,
  tlsCaFile: absolutePath.nullable().default(null),
  resolution: z.enum(['raw', '10s', '1m']).default('10s'),
  /** Central usage rows of this agent's hosts and VMs older than this go; null keeps them. */
  retentionDays: z
    .number()
    .int()
    .min(1)
    .max(36_500)
    .nullable()
    .default(DEFAULT_CENTRAL_RETENTION_DAYS),
  intervalSec: z.number().int().min(1).max(3600).default(AGENT_SYNC_INTERVAL_SEC),
});

const metricsSchema = z.strictObject({
  port: z.number().int().min(1).max(65535),
  address: z
    .string()
    .default('127.0.0.1')
    .refine(
      isLoopbackIp,
      'expected a loopback address (127.0.0.1 or ::1): the endpoint has no login',
    ),
});

/** Hosts are told apart by name (host-ids.json keeps ids by it) and by id. */
const hostsSchema = z
  .array(savedHostSchema)
  .max(10_000)
  .superRefine((hosts, context) => {
    const names = new Set<string>();
    const ids = new Set<string>();
    for (const [i, host] of hosts.entries()) {
      if (names.has(host.name)) {
        context.addIssue({
          code: 'custom',
          path: [i, 'name'],
          message: `two hosts are named '${host.name}'`,
        });
      }
      names.add(host.name);
      if (host.id === undefined) continue;
      if (ids.has(host.id)) {
        context.addIssue({
          code: 'custom',
          path: [i, 'id'],
          message: `two hosts have the id '${host.id}'`,
        });
      }
      ids.add(host.id);
    }
  });

const agentConfigSchema = z.strictObject({
  stateDir: absolutePath.default(DEFAULT_STATE_DIR),
  hosts: hostsSchema,
  sync: syncSchema,
  metrics: metricsSchema.nullable().default(null),
});

type ParsedConfig = z.output<typeof agentConfigSchema>;
/** A host as the configuration gives it: its id may be absent (agent-host-ids.ts gives one). */
export type ConfiguredHost = ParsedConfig['hosts'][number];

export interface AgentSyncConfig {
  /** As written in the file. */
  url: string;
  /** The URL's target, with tlsCaFile. */
  target: MysqlTarget;
  resolution: CentralResolution;
  centralResolutionSec: CentralResolutionSec;
  /** Central usage rows older than this many days are pruned; null: kept. */
  retentionDays: number | null;
  intervalSec: number;
}

export interface AgentConfig {
  stateDir: string;
  hosts: ConfiguredHost[];
  sync: AgentSyncConfig;
  /** null: no metrics endpoint. */
  metrics: { address: string; port: number } | null;
}

function secretsHint(value: unknown): string {
  const stateDir = (value as { stateDir?: unknown } | null)?.stateDir;
  const dir =
    typeof stateDir === 'string' && stateDir.startsWith('/') ? stateDir : DEFAULT_STATE_DIR;
  return `set SETMOV_MYSQL_PASSWORD (SETMOV_SSH_PASSWORD for hosts) in the environment, or keep them in ${dir}/secrets.json (0600; see docs/agent.md)`;
}

/** The configuration a file holds; `where` starts each problem's line (the file's path). */
export function parseAgentConfig(where: string, value: unknown): AgentConfig {
  const { stateDir, hosts, sync, metrics } = checkedConfig(
    agentConfigSchema,
    where,
    value,
    secretsHint(value),
  );
  return {
    stateDir,
    hosts,
    sync: {
      url: sync.url.url,
      target: { ...sync.url.target, tlsCaFile: sync.tlsCaFile },
      resolution: sync.resolution,
      centralResolutionSec: RESOLUTION_SEC[sync.resolution],
      retentionDays: sync.retentionDays,
      intervalSec: sync.intervalSec,
    },
    metrics,
  };
}

/** Reads and checks the configuration file; ConfigFileError says what is wrong. */
export async function loadAgentConfig(path: string): Promise<AgentConfig> {
  return parseAgentConfig(path, await readJsonConfig(path));
}
