import type { HostStatusKind } from '../shared/model/engine-events';
import { SECOND_MS } from '../shared/time-ms';
import type { AgentStatus } from './agent-status-file';
import type { MetricFamily } from './prometheus-text';

/** Every state a watched host can be in: each gets its series, 0 when no host is in it. */
const HOST_STATES: readonly HostStatusKind[] = ['connecting', 'up', 'degraded', 'unreachable'];

const seconds = (ms: number | null | undefined): number => (ms ? ms / SECOND_MS : 0);

const gauge = (name: string, help: string, value: number): MetricFamily => ({
  name,
  help,
  type: 'gauge',
  samples: [{ value }],
});

const counter = (name: string, help: string, value: number): MetricFamily => ({
  name,
  help,
  type: 'counter',
  samples: [{ value }],
});

/**
 * The agent's metrics, from the same status the status file holds: what node_exporter
 * would export for it. `ok` is the health `setmov agent status` exits 0 for.
 */
export function agentMetricFamilies(status: AgentStatus, ok: boolean): MetricFamily[] {
  const { sync } = status;
  return [
    gauge(
      'setmov_agent_up',
      '1 when the agent runs and its sync is not in error (setmov agent status exits 0), else 0.',
      ok ? 1 : 0,
    ),
    gauge(
      'setmov_agent_start_time_seconds',
      'When the agent started, seconds since the epoch.',
      seconds(status.startedAt),
    ),
    counter(
      'setmov_agent_samples_collected_total',
      'Host and VM samples collected since the agent started.',
      status.samplesCollected,
    ),
    counter(
      'setmov_agent_samples_dropped_total',
      'Samples the local history could not keep (disk full for long), oldest first.',
      status.samplesDropped,
    ),
    {
      name: 'setmov_agent_hosts',
      help: 'Watched hosts by state.',
      type: 'gauge',
      samples: HOST_STATES.map((state) => ({
        labels: { state },
        value: status.hosts.filter((h) => h.state === state).length,
      })),
    },
    {
      name: 'setmov_agent_host_up',
      help: '1 when the host answers on /proc and libvirt, else 0.',
      type: 'gauge',
      samples: status.hosts.map((h) => ({
        labels: { host_id: h.id, host_name: h.name },
        value: h.state === 'up' ? 1 : 0,
      })),
    },
    gauge(
      'setmov_agent_sync_lag_seconds',
      'Age of the oldest sample not yet in the central database; 0 when caught up.',
      sync.lagSeconds,
    ),
    gauge(
      'setmov_agent_sync_rows_pending',
      'Samples in the local history not yet sent.',
      sync.rowsPending,
    ),
    gauge(
      'setmov_agent_sync_rows_parked',
      'Rows the central database refused, kept aside with their reason (not sent).',
      sync.rowsParked,
    ),
    counter(
      'setmov_agent_sync_rows_sent_total',
      'Usage rows the central database took since the agent started.',
      sync.rowsSent,
    ),
    counter(
      'setmov_agent_sync_failovers_total',
      'Moves to the next node of the target because the one in use was gone.',
      sync.failovers,
    ),
    counter(
      'setmov_agent_sync_conflict_retries_total',
      'Batches sent again whole because the cluster refused them (certification, deadlock).',
      sync.conflictRetries,
    ),
    gauge(
      'setmov_agent_sync_error',
      '1 while the last sync round failed, else 0.',
      sync.state === 'error' ? 1 : 0,
    ),
    gauge(
      'setmov_agent_sync_last_success_timestamp_seconds',
      'When a sync round last caught up, seconds since the epoch; 0 before the first.',
      seconds(sync.lastSuccessAt),
    ),
    gauge(
      'setmov_agent_buffer_bytes',
      'Size of the local history on disk (the SQLite file and its -wal), bytes.',
      status.bufferBytes,
    ),
    gauge(
      'setmov_agent_last_error_timestamp_seconds',
      'When the agent last met an error (a host, the sync, the history), seconds since the epoch; 0 for none.',
      seconds(status.lastError?.at),
    ),
  ];
}
