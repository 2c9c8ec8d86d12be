import { join } from 'node:path';
import { ProcParseError } from '../procfs/proc-parse-error';
import { HostReadError } from './host-read-error';
import { parseDiskstats, type DiskStats } from '../procfs/diskstats';
import { parseLoadavg, type Loadavg } from '../procfs/loadavg';
import { parseMeminfo, type Meminfo } from '../procfs/meminfo';
import { parseNetDev, type NetDevStats } from '../procfs/net-dev';
import { parseStat, type ProcStat } from '../procfs/stat';
import { parseUptime, type Uptime } from '../procfs/uptime';
import type { RawProcReading } from './host-source';

/** One host reading with every file parsed. */
export interface ParsedHostReading {
  timestampMs: number;
  monotonicMs: number;
  stat: ProcStat;
  meminfo: Meminfo;
  diskstats: DiskStats[];
  netDev: NetDevStats[];
  loadavg: Loadavg;
  uptime: Uptime;
}

/** Parses every file of a raw reading; throws the ProcParseError of the first bad file. */
export function parseReading(raw: RawProcReading): ParsedHostReading {
  return {
    timestampMs: raw.timestampMs,
    monotonicMs: raw.monotonicMs,
    stat: parseStat(raw.files.stat),
    meminfo: parseMeminfo(raw.files.meminfo),
    diskstats: parseDiskstats(raw.files.diskstats),
    netDev: parseNetDev(raw.files['net/dev']),
    loadavg: parseLoadavg(raw.files.loadavg),
    uptime: parseUptime(raw.files.uptime),
  };
}

/**
 * parseReading, with a bad file reported as a HostReadError naming the host and the
 * file under the proc root ('/proc/net/dev'), the one line the CLI and UI show.
 */
export function parseReadingOf(
  raw: RawProcReading,
  host: string,
  procRoot = '/proc',
): ParsedHostReading {
  try {
    return parseReading(raw);
  } catch (error) {
    if (error instanceof ProcParseError)
      throw HostReadError.from(host, join(procRoot, error.file), error);
    throw error;
  }
}
