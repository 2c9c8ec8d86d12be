import type { HostIdentity } from '../../shared/model/host-identity';
/**
 * The raw text of the /proc files that make one host reading, keyed by their path
 * relative to the proc root: 'stat', 'meminfo', 'diskstats', 'net/dev', 'loadavg',
 * 'uptime'. Sources only fetch text; parsing happens in one place for every source.
 */
export type ProcFileName = 'stat' | 'meminfo' | 'diskstats' | 'net/dev' | 'loadavg' | 'uptime';

export const procFilesPerReading: readonly ProcFileName[] = [
  'stat',
  'meminfo',
  'diskstats',
  'net/dev',
  'loadavg',
  'uptime',
];

export interface RawProcReading {
  /** When the files were read, ms since the epoch (the source's clock). */
  timestampMs: number;
  /** Monotonic time of the read in ms (performance.now() of the reader), for rate intervals. */
  monotonicMs: number;
  files: Record<ProcFileName, string>;
}

/** A place host readings come from: this machine's /proc, or a host over SSH. */
export interface HostSource {
  /** For messages: 'local' or 'user@host:port'. */
  readonly label: string;
  identity(): Promise<HostIdentity>;
  /** All files of one reading, fetched together (one round trip over SSH). */
  read(): Promise<RawProcReading>;
  /**
   * Optional: the names of the host's physical NICs (those with a
   * /sys/class/net/<name>/device link), or null when that cannot be known. Without
   * it, host network totals tell physical interfaces by name (looksPhysical).
   */
  physicalInterfaces?(): Promise<Set<string> | null>;
  close(): Promise<void>;
}
