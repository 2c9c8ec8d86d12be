import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  HostsConfigError,
  type HostsConfigFile,
  type SavedHost,
  type SavedSsh,
} from './saved-host';

/** $XDG_CONFIG_HOME/setmov/hosts.json, else ~/.config/setmov/hosts.json. */
export function defaultHostsConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME?.trim() ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'setmov', 'hosts.json');
}

/** Keys that would hold a secret: refused outright, so none is ever written or trusted. */
const SECRET_KEYS = /pass(word|phrase)?|secret|token|private_?key$/i;

function fail(path: string, message: string): never {
  throw new HostsConfigError(`${path}: ${message}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkKeys(
  path: string,
  where: string,
  value: Record<string, unknown>,
  allowed: string[],
): void {
  for (const key of Object.keys(value)) {
    if (SECRET_KEYS.test(key))
      fail(path, `${where}: '${key}' looks like a secret; secrets are never stored here`);
    if (!allowed.includes(key)) fail(path, `${where}: unknown field '${key}'`);
  }
}

function str(path: string, where: string, value: unknown, nullable = false): string | null {
  if (value === null && nullable) return null;
  if (typeof value !== 'string' || value.trim() === '')
    fail(path, `${where} must be a non-empty string`);
  return value;
}

function int(path: string, where: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(path, `${where} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function parseSsh(path: string, where: string, value: unknown): SavedSsh | null {
  if (value === null) return null;
  if (!isObject(value)) fail(path, `${where} must be an object or null`);
  checkKeys(path, where, value, [
    'host',
    'port',
    'username',
    'auth',
    'identityFile',
    'knownHostsFile',
  ]);
  const auth = value.auth;
  if (auth !== 'agent' && auth !== 'key' && auth !== 'password') {
    fail(path, `${where}.auth must be agent, key or password`);
  }
  const identityFile = str(path, `${where}.identityFile`, value.identityFile ?? null, true);
  if (auth === 'key' && identityFile === null)
    fail(path, `${where}: auth 'key' needs an identityFile`);
  return {
    host: str(path, `${where}.host`, value.host) as string,
    port: int(path, `${where}.port`, value.port ?? 22, 1, 65535),
    username: str(path, `${where}.username`, value.username) as string,
    auth,
    identityFile,
    knownHostsFile: str(path, `${where}.knownHostsFile`, value.knownHostsFile ?? null, true),
  };
}

/** Checks one saved host (from the file or the CLI); HostsConfigError names what is wrong. */
export function parseSavedHost(path: string, where: string, value: unknown): SavedHost {
  if (!isObject(value)) fail(path, `${where} must be an object`);
  checkKeys(path, where, value, [
    'name',
    'ssh',
    'libvirtUri',
    'pollIntervalSec',
    'memoryStatsPeriodSec',
  ]);
  return {
    name: str(path, `${where}.name`, value.name) as string,
    ssh: parseSsh(path, `${where}.ssh`, value.ssh ?? null),
    libvirtUri: str(path, `${where}.libvirtUri`, value.libvirtUri ?? 'qemu:///system') as string,
    pollIntervalSec: int(path, `${where}.pollIntervalSec`, value.pollIntervalSec ?? 2, 1, 60),
    memoryStatsPeriodSec: int(
      path,
      `${where}.memoryStatsPeriodSec`,
      value.memoryStatsPeriodSec ?? 2,
      0,
      3600,
    ),
  };
}

/** The saved hosts; none when the file does not exist yet. */
export async function loadHosts(path: string): Promise<SavedHost[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    fail(path, `cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    fail(path, `not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(data) || data.version !== 1 || !Array.isArray(data.hosts)) {
    fail(path, 'expected {"version": 1, "hosts": [...]}');
  }
  const hosts = data.hosts.map((h, i) => parseSavedHost(path, `hosts[${i}]`, h));
  const seen = new Set<string>();
  for (const h of hosts) {
    if (seen.has(h.name)) fail(path, `two hosts are named '${h.name}'`);
    seen.add(h.name);
  }
  return hosts;
}

/** Writes the hosts atomically (a temporary file renamed over the old), readable by the user only. */
export async function saveHosts(path: string, hosts: readonly SavedHost[]): Promise<void> {
  const file: HostsConfigFile = { version: 1, hosts: [...hosts] };
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, path);
}
