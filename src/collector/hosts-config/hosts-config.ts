import { randomUUID } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import {
  hostId,
  hostName,
  libvirtUri,
  localPath,
  pollIntervalSec,
  sshHost,
  sshPort,
  sshUser,
} from '../../shared/contract/host-fields';
import { DEFAULT_MEMORY_STATS_PERIOD_SEC } from '../engine/host-target';
import { JsonFileError, readJsonFile, writeJsonFile } from '../files/private-json-file';
import { HostsConfigError, type SavedHost } from './saved-host';

/** $XDG_CONFIG_HOME/setmov/hosts.json, else ~/.config/setmov/hosts.json. */
export function defaultHostsConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME?.trim() ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'setmov', 'hosts.json');
}

/** Keys that would hold a secret: refused outright, so none is ever written or trusted. */
const SECRET_KEYS = /pass(word|phrase)?|secret|token|private_?key$/i;

/** An unknown field refused by name; one that looks like a secret says so. */
const unknownField = {
  error: (issue: { code?: string; keys?: string[] }) => {
    if (issue.code !== 'unrecognized_keys') return undefined;
    const secret = issue.keys?.find((key) => SECRET_KEYS.test(key));
    return secret === undefined
      ? `unknown field '${issue.keys?.join("', '") ?? ''}'`
      : `'${secret}' looks like a secret; secrets are never stored here`;
  },
};

/**
 * One saved host as hosts.json holds it. Strict: an unknown field (a typo, or a password
 * someone put there by hand) is refused, never ignored; secrets are never stored here.
 */
const savedSshSchema = z
  .strictObject(
    {
      host: sshHost,
      port: sshPort.default(22),
      username: sshUser,
      auth: z.enum(['agent', 'key', 'password']),
      identityFile: localPath.nullable().default(null),
      knownHostsFile: localPath.nullable().default(null),
    },
    unknownField,
  )
  .refine((ssh) => ssh.auth !== 'key' || ssh.identityFile !== null, {
    message: "auth 'key' needs an identityFile",
  });

export const savedHostSchema = z.strictObject(
  {
    /** Absent in files written before hosts had ids: one is made and saved on loading. */
    id: hostId.optional(),
    name: hostName,
    ssh: savedSshSchema.nullable().default(null),
    libvirtUri: libvirtUri.default('qemu:///system'),
    pollIntervalSec: pollIntervalSec.default(2),
    /** The memory stats period the engine sets on balloons that have none, s; 0: off. */
    memoryStatsPeriodSec: z
      .number()
      .int()
      .min(0)
      .max(3600)
      .default(DEFAULT_MEMORY_STATS_PERIOD_SEC),
  },
  unknownField,
);

const hostsFileSchema = z
  .strictObject({ version: z.literal(1), hosts: z.array(savedHostSchema).max(10_000) })
  .superRefine((file, context) => {
    const names = new Set<string>();
    const ids = new Set<string>();
    for (const [i, host] of file.hosts.entries()) {
      if (names.has(host.name)) {
        context.addIssue({
          code: 'custom',
          path: ['hosts', i, 'name'],
          message: `two hosts are named '${host.name}'`,
        });
      }
      if (host.id !== undefined && ids.has(host.id)) {
        context.addIssue({
          code: 'custom',
          path: ['hosts', i, 'id'],
          message: `two hosts have the id '${host.id}'`,
        });
      }
      names.add(host.name);
      if (host.id !== undefined) ids.add(host.id);
    }
  });

function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue?.path.join('.');
  return `${where ? `${where}: ` : ''}${issue?.message ?? 'invalid'}`;
}

/** A new host's identity. */
export const newHostId = (): string => randomUUID();

/** A host as the schema reads it, with its id (a new one when it has none yet). */
const withId = ({ id, ...host }: z.output<typeof savedHostSchema>): SavedHost => ({
  id: id ?? newHostId(),
  ...host,
});

/** Checks one saved host (from the CLI); HostsConfigError names what is wrong. */
export function parseSavedHost(where: string, value: unknown): SavedHost {
  const parsed = savedHostSchema.safeParse(value);
  if (!parsed.success) throw new HostsConfigError(`${where}: ${issueText(parsed.error)}`);
  return withId(parsed.data);
}

/** Its typed error, with what to do about a file that does not load. */
function asConfigError(error: unknown): unknown {
  return error instanceof JsonFileError
    ? new HostsConfigError(`${error.message} (fix it, or move it aside to start with no hosts)`)
    : error;
}

/**
 * The saved hosts; none when the file does not exist yet. Hosts saved before hosts had
 * ids get one, written back at once: an id that changed at each start would be no identity.
 */
export async function loadHosts(path: string): Promise<SavedHost[]> {
  let hosts: z.output<typeof savedHostSchema>[];
  try {
    hosts = (await readJsonFile(path, hostsFileSchema))?.hosts ?? [];
  } catch (error) {
    throw asConfigError(error);
  }
  const loaded = hosts.map(withId);
  if (hosts.some((host) => host.id === undefined)) await saveHosts(path, loaded);
  return loaded;
}

/**
 * Writes the hosts (atomically, readable by the user only) after checking them with the
 * schema that loads them: a list the loader would refuse is never written.
 */
export async function saveHosts(path: string, hosts: readonly SavedHost[]): Promise<void> {
  try {
    await writeJsonFile(path, hostsFileSchema, { version: 1, hosts: [...hosts] });
  } catch (error) {
    throw asConfigError(error);
  }
}
