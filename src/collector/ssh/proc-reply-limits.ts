import type { ProcFileName } from '../host/host-source';

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * The most bytes each file of a reading may have. A host that sends more is not a real
 * host and the reading is refused as the bytes arrive (the parsers take ~140 ms per MiB
 * of diskstats, so every MiB allowed is event-loop time a hostile host can take per poll).
 * Each limit leaves room above the largest hosts that exist:
 * - stat: a cpuN line is at most ~128 bytes (10 counters in 1/100 s, 11 digits after ten
 *   years); the kernel's maximum of 8192 CPUs makes 1 MiB of them, plus the intr line of
 *   one count per IRQ (~70 000 IRQs at 8192 CPUs, mostly " 0") under 1 MiB. A 768-CPU
 *   host today prints about 200 KB.
 * - diskstats: a line of 20 fields is ~150-200 bytes on a busy host (333 at most); a SAN
 *   host with 2 000 LUNs over 4 paths has ~10 000 sd and dm devices, under 2 MiB.
 * - net/dev: a line is ~120-200 bytes (353 at most); a dense VDI host with 1 000 desktops
 *   has 2-3 000 taps, bridges and VLANs, under 0.6 MiB; 2 MiB fits 10 000 interfaces.
 * - meminfo: ~60 fixed lines, under 2 KB on any kernel.
 * - loadavg, uptime: one line of a few numbers, under 64 bytes.
 * A reply is then at most their sum (10.1 MiB) and its few marker lines: see
 * ReadingReplyParser for why nothing else can be in it.
 */
export const maxProcFileBytes: Readonly<Record<ProcFileName, number>> = {
  stat: 4 * MiB,
  diskstats: 4 * MiB,
  'net/dev': 2 * MiB,
  meminfo: 64 * KiB,
  loadavg: 4 * KiB,
  uptime: 4 * KiB,
};
