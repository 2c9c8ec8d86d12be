import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { readJsonFile } from '../collector/files/private-json-file';
import { SECOND_MS } from '../shared/time-ms';

/** How often the running agent rewrites its status file. */
export const STATUS_WRITE_EVERY_MS = 2 * SECOND_MS;

export function agentStatusPath(stateDir: string): string {
  return join(stateDir, 'agent-status.json');
}

const errorAt = z.object({ message: z.string(), at: z.number() });

/**
 * What `setmov agent status` and a monitoring check read: the running agent's state,
 * rewritten every STATUS_WRITE_EVERY_MS. No secrets: it is 0644 so that a check running
 * as another user can read it. Times are ms since the epoch. Not strict: a newer agent
 * may write more than this reader knows.
 */
export const agentStatusSchema = z.object({
  version: z.literal(1),
  pid: z.number().int(),
  /** 'stopped' is the last word of an agent that closed cleanly. */
  state: z.enum(['running', 'stopped']),
  startedAt: z.number(),
  updatedAt: z.number(),
  configPath: z.string(),
  /** The metrics endpoint, null when off. */
  metricsUrl: z.string().nullable(),
  hosts: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      state: z.string(),
      reason: z.string().nullable(),
      lastError: errorAt.nullable(),
    }),
  ),
  samplesCollected: z.number(),
  /** Samples the history could not keep (a disk full for long): dropped, oldest first. */
  samplesDropped: z.number(),
  sync: z.object({
    target: z.string(),
    resolution: z.string(),
    node: z.string().nullable(),
    state: z.string(),
    lagSeconds: z.number(),
    rowsPending: z.number(),
    rowsParked: z.number(),
    rowsSent: z.number(),
    failovers: z.number(),
    conflictRetries: z.number(),
    lastSuccessAt: z.number().nullable(),
    lastError: z.object({ code: z.string(), message: z.string(), at: z.number() }).nullable(),
  }),
  /** The SQLite history and its -wal on disk. */
  bufferBytes: z.number(),
  lastError: errorAt.nullable(),
});
export type AgentStatus = z.output<typeof agentStatusSchema>;

/**
 * Replaces the status file at once (a temporary file renamed over it), so a reader sees
 * the old status or the new one, never half of one. Not fsynced: it is rewritten every
 * few seconds, and one lost to a power cut is the stale status of a machine that stopped.
 */
export async function writeAgentStatus(path: string, status: AgentStatus): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', 0o644);
    try {
      // The umask may have taken bits away: a check running as another user reads it.
      await handle.chmod(0o644);
      await handle.writeFile(`${JSON.stringify(status, null, 2)}\n`, 'utf8');
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/** The status an agent of this state directory wrote last; undefined when none did. */
export function readAgentStatus(path: string): Promise<AgentStatus | undefined> {
  return readJsonFile(path, agentStatusSchema);
}
