import type { Meminfo } from '../procfs/meminfo';

export interface MemoryUsage {
  totalBytes: number;
  freeBytes: number;
  availableBytes: number;
  /** Where availableBytes comes from: the kernel's MemAvailable, or free + buffers + cached on kernels before 3.14. */
  availableSource: 'MemAvailable' | 'free+buffers+cached';
  buffersBytes: number | null;
  cachedBytes: number | null;
  /** totalBytes − availableBytes. */
  usedBytes: number;
  /** 100 × usedBytes / totalBytes. */
  usedPercent: number;
  /** The paper's figure, 100 × (total − free) / total, kept for comparison. */
  paperUsedPercent: number;
}

/**
 * Memory usage from one /proc/meminfo reading: paper eq. 3, corrected. The paper
 * counts total − free as used, which calls the page cache "used" and reads near
 * 100 % on any busy host; like procps ≥ 4 (free, top) this uses MemTotal −
 * MemAvailable. The raw fields stay so the paper's figure can still be derived.
 */
export function memoryUsage(meminfo: Meminfo): MemoryUsage {
  const totalBytes = meminfo.memTotalBytes;
  const freeBytes = meminfo.memFreeBytes;
  const buffersBytes = meminfo.buffersBytes ?? null;
  const cachedBytes = meminfo.cachedBytes ?? null;
  const kernelAvailable = meminfo.memAvailableBytes;
  const availableBytes = Math.min(
    totalBytes,
    kernelAvailable ?? freeBytes + (buffersBytes ?? 0) + (cachedBytes ?? 0),
  );
  const usedBytes = totalBytes - availableBytes;
  const percentOf = (bytes: number): number => (totalBytes > 0 ? (100 * bytes) / totalBytes : 0);
  return {
    totalBytes,
    freeBytes,
    availableBytes,
    availableSource: kernelAvailable === undefined ? 'free+buffers+cached' : 'MemAvailable',
    buffersBytes,
    cachedBytes,
    usedBytes,
    usedPercent: percentOf(usedBytes),
    paperUsedPercent: percentOf(Math.max(0, totalBytes - freeBytes)),
  };
}
