import type { AgentHealth } from '../../agent/agent-health';
import type { AgentStatus } from '../../agent/agent-status-file';
import { formatBytes } from '../collect/format-table';

const when = (ms: number): string => new Date(ms).toISOString();

/** What `setmov agent status` prints: the agent, its hosts, its sync, its buffer, the verdict. */
export function agentStatusLines(status: AgentStatus, health: AgentHealth): string[] {
  const { sync } = status;
  const lines = [
    health.running
      ? `agent:      running, pid ${status.pid}, since ${when(status.startedAt)}`
      : `agent:      not running: ${health.problem ?? ''} (pid ${status.pid}, last status ${when(status.updatedAt)})`,
    `config:     ${status.configPath}`,
    `hosts:      ${status.hosts.length}`,
  ];
  const width = Math.max(0, ...status.hosts.map((h) => h.name.length));
  for (const host of status.hosts) {
    const reason = host.reason === null ? '' : `: ${host.reason}`;
    const last =
      host.lastError && host.reason === null
        ? ` (last error ${when(host.lastError.at)}: ${host.lastError.message})`
        : '';
    lines.push(`  ${host.name.padEnd(width)}  ${host.id}  ${host.state}${reason}${last}`);
  }
  lines.push(
    `samples:    ${status.samplesCollected} collected, ${status.samplesDropped} dropped`,
    `sync:       ${sync.state}, to ${sync.target} at ${sync.resolution}, node ${sync.node ?? '-'}`,
    `            lag ${Math.round(sync.lagSeconds)} s, ${sync.rowsPending} rows pending, ${sync.rowsParked} parked, ${sync.rowsSent} sent`,
    `            ${sync.failovers} failovers, ${sync.conflictRetries} conflict retries, last caught up ${sync.lastSuccessAt === null ? 'never' : when(sync.lastSuccessAt)}`,
  );
  if (sync.lastError) {
    lines.push(
      `            last error ${when(sync.lastError.at)}: ${sync.lastError.code}: ${sync.lastError.message}`,
    );
  }
  lines.push(`buffer:     ${formatBytes(status.bufferBytes)} (the history and its -wal)`);
  if (status.lastError) {
    lines.push(`last error: ${when(status.lastError.at)}: ${status.lastError.message}`);
  }
  if (status.metricsUrl) lines.push(`metrics:    ${status.metricsUrl}`);
  lines.push(health.ok ? 'health:     ok' : `health:     not ok: ${health.problem ?? ''}`);
  return lines;
}
