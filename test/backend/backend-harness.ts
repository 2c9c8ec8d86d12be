import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackend } from '../../src/backend/backend';
import type { Backend, BackendOptions } from '../../src/backend/backend';
import { dispatch } from '../../src/shared/contract/dispatch';
import type { Reply } from '../../src/shared/contract/reply';
import type { Topic } from '../../src/shared/contract/topics';
import { MemorySecretStore } from './memory-secret-store';
import { expect } from 'vitest';

/** A backend in a fresh pair of folders, with everything it says kept for the test. */
export interface BackendRun {
  backend: Backend;
  secrets: MemorySecretStore;
  dir: string;
  replies: Reply<unknown>[];
  events: { name: string; payload: unknown }[];
  /** The topics the backend is told a page wants; 'all' (the default) or a set. */
  wanted: 'all' | Set<Topic>;
  logLines: string[];
  /** A request as a transport makes it: untrusted name and params, a reply back. */
  request(name: unknown, params?: unknown): Promise<Reply<unknown>>;
  /** The id of the saved host with this name (requests name a host by its id). */
  idOf(name: string): Promise<string>;
  /** Closes the backend and removes its folder. */
  close(): Promise<void>;
  /** Closes the backend and keeps its folder, for a restart. */
  stop(): Promise<void>;
}

/** A backend in `dir` (a fresh one by default; a run's dir again to restart it). */
export async function startBackend(
  dir = mkdtempSync(join(tmpdir(), 'setmov-backend-')),
  options: Partial<Pick<BackendOptions, 'syncIntervalMs' | 'central'>> = {},
): Promise<BackendRun> {
  const secrets = new MemorySecretStore();
  const replies: Reply<unknown>[] = [];
  const events: BackendRun['events'] = [];
  const logLines: string[] = [];
  // The backend asks what is wanted from its first poll on, before the run exists.
  const current: { run?: BackendRun } = {};
  const backend = await createBackend({
    ...options,
    appVersion: { version: '0.0.0-test', name: 'setmov' },
    dbPath: join(dir, 'data', 'history.db'),
    configDir: join(dir, 'config'),
    secrets,
    events: {
      publish: (name, payload) => events.push({ name, payload: structuredClone(payload) }),
      wants: (topic) => {
        const wanted = current.run?.wanted ?? 'all';
        return wanted === 'all' || wanted.has(topic);
      },
    },
    log: (line) => logLines.push(line),
  });
  const run: BackendRun = {
    wanted: 'all',
    backend,
    secrets,
    dir,
    replies,
    events,
    logLines,
    async request(name, params) {
      const reply = await dispatch(backend.handlers, name, params, (n, error) =>
        logLines.push(`${n}: ${String(error)}`),
      );
      replies.push(reply);
      return reply;
    },
    async idOf(name) {
      const hosts = (await backend.handlers['hosts.list'](undefined)) as {
        id: string;
        name: string;
      }[];
      const host = hosts.find((h) => h.name === name);
      if (!host) throw new Error(`no saved host is named '${name}'`);
      return host.id;
    },
    async close() {
      await backend.close();
      rmSync(dir, { recursive: true, force: true });
    },
    stop: () => backend.close(),
  };
  current.run = run;
  return run;
}

/** The ok value of a reply; fails the test with the error otherwise. */
export function ok<T>(reply: unknown): T {
  expect(reply).toHaveProperty('ok');
  return (reply as { ok: T }).ok;
}

/** Polls `probe` every 200 ms until it gives a value; fails after `timeoutMs`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Open TCP handles of this process: a removed or closed host must leave none behind. */
export const tcpSockets = (): number =>
  process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap').length;
