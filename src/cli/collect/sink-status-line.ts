import type { CollectSinkStatus } from '../../store/collect-sink';

/** One stderr line for a change of the --db history's state (see CollectSinkOptions.onStatus). */
export function sinkStatusLine(status: CollectSinkStatus): string {
  const reason = status.error?.message ?? 'unknown error';
  if (status.closed) {
    return `setmov: --db: ${status.pending} queued records were not written (${reason})`;
  }
  if (status.state === 'ok') {
    return status.dropped > 0
      ? `setmov: --db: writing again; ${status.dropped} of the oldest records were dropped meanwhile`
      : 'setmov: --db: writing again; nothing was lost';
  }
  if (status.dropped > 0) {
    return `setmov: --db: still cannot write; dropping the oldest records (${status.dropped} so far, ${status.pending} kept)`;
  }
  return `setmov: --db: ${reason}; keeping what is collected in memory until it can write`;
}
