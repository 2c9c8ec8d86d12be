import { SECOND_MS } from '../shared/time-ms';
import { STATUS_WRITE_EVERY_MS, type AgentStatus } from './agent-status-file';

/**
 * A status older than this is of an agent that hangs (or of a pid the system gave to
 * another process after the agent died): many missed rewrites, not one slow disk.
 */
export const STATUS_STALE_AFTER_MS = 5 * STATUS_WRITE_EVERY_MS + 5 * SECOND_MS;

export interface AgentHealth {
  /** The agent that wrote the status runs and keeps it up to date. */
  running: boolean;
  /** Running, and its sync is not in error: what a monitoring check passes on. */
  ok: boolean;
  /** Why not ok; null when ok. */
  problem: string | null;
}

/** Whether a process with this pid exists (one of another user's counts). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The health a status file tells, at `now`. */
export function agentHealth(
  status: AgentStatus,
  now: number,
  alive: (pid: number) => boolean = processAlive,
): AgentHealth {
  const ageMs = now - status.updatedAt;
  let problem: string | null = null;
  if (status.state === 'stopped') problem = 'the agent stopped';
  else if (!alive(status.pid)) problem = `the agent (pid ${status.pid}) is not running`;
  else if (ageMs > STATUS_STALE_AFTER_MS) {
    problem = `the status was last written ${Math.round(ageMs / SECOND_MS)} s ago: the agent hangs`;
  }
  const running = problem === null;
  if (running && status.sync.state === 'error') {
    const error = status.sync.lastError;
    problem = `the sync fails${error ? `: ${error.code}: ${error.message}` : ''}`;
  }
  return { running, ok: problem === null, problem };
}
