/** What a host is, read once per connection: shown in the console and kept in the store. */
export interface HostIdentity {
  hostname: string;
  /** IPv4 address of the interface that carries the default route; null if there is none. */
  primaryIp: string | null;
  /** Logical CPUs (cpuN lines in /proc/stat). */
  cpuCount: number;
  cpuModel: string | null;
  memoryTotalBytes: number;
  /** uname -r */
  kernelRelease: string;
}
