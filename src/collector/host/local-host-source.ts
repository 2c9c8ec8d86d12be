import { readFileSync } from 'node:fs';
import { access, readdir, readFile } from 'node:fs/promises';
import type { NetworkInterfaceInfo } from 'node:os';
import { hostname as osHostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { parseCpuinfo } from '../procfs/cpuinfo';
import { parseLocalAddresses } from '../procfs/fib-trie';
import { parseMeminfo } from '../procfs/meminfo';
import { parseNetRoute } from '../procfs/net-route';
import { parseStat } from '../procfs/stat';
import type { HostSource, ProcFileName, RawProcReading } from './host-source';
import type { HostIdentity } from '../../shared/model/host-identity';
import { procFilesPerReading } from './host-source';
import { HostReadError } from './host-read-error';
import type { InterfaceAddress } from './primary-ip';
import { addressesOnRoutes, choosePrimaryIp } from './primary-ip';

export interface LocalHostSourceOptions {
  /** Where /proc is: '/proc' by default, a fixture tree in tests. */
  procRoot?: string;
  /** Where /sys is, to tell physical NICs; '/sys' when procRoot is '/proc', else none. */
  sysRoot?: string | null;
}

/** This machine's IPv4 addresses as `ip -o -4 addr show` would list them. */
function interfaceAddresses(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): InterfaceAddress[] {
  const addresses: InterfaceAddress[] = [];
  for (const [iface, infos] of Object.entries(interfaces)) {
    for (const info of infos ?? []) {
      if (info.family !== 'IPv4') continue;
      addresses.push({
        iface,
        address: info.address,
        prefixLength: Number(info.cidr?.split('/')[1] ?? 32),
        scope: info.internal ? 'host' : 'global',
      });
    }
  }
  return addresses;
}

/** Reads this machine's /proc (or a copy of one). */
export class LocalHostSource implements HostSource {
  readonly label = 'local';
  private readonly procRoot: string;
  private readonly sysRoot: string | null;
  private readonly realProc: boolean;

  constructor(options: LocalHostSourceOptions = {}) {
    this.procRoot = options.procRoot ?? '/proc';
    this.realProc = this.procRoot === '/proc';
    this.sysRoot = options.sysRoot !== undefined ? options.sysRoot : this.realProc ? '/sys' : null;
  }

  /**
   * Reads the files synchronously, back to back: /proc text is generated in
   * microseconds, and six readFileSync calls cost a seventh of the CPU of six
   * promise-based reads through libuv's thread pool (measured: 0.2 vs 1.5 ms), while
   * keeping the files of one reading within microseconds of each other.
   */
  async read(): Promise<RawProcReading> {
    const timestampMs = Date.now();
    const monotonicMs = performance.now();
    const files = {} as Record<ProcFileName, string>;
    for (const name of procFilesPerReading) files[name] = this.readNow(name);
    return Promise.resolve({ timestampMs, monotonicMs, files });
  }

  async identity(): Promise<HostIdentity> {
    const [stat, meminfo, cpuinfo, route, release, hostname] = await Promise.all([
      this.readText('stat'),
      this.readText('meminfo'),
      this.readText('cpuinfo'),
      this.readOptional('net/route'),
      this.readText('sys/kernel/osrelease'),
      this.readOptional('sys/kernel/hostname'),
    ]);
    const cpu = this.parse('cpuinfo', () => parseCpuinfo(cpuinfo));
    const cpuCount = this.parse('stat', () => parseStat(stat)).cpus.length;
    return {
      hostname: hostname?.trim() || (this.realProc ? osHostname() : 'unknown'),
      primaryIp: route === null ? null : await this.primaryIp(route),
      cpuCount: cpuCount > 0 ? cpuCount : cpu.count,
      cpuModel: cpu.model,
      memoryTotalBytes: this.parse('meminfo', () => parseMeminfo(meminfo)).memTotalBytes,
      kernelRelease: release.trim(),
    };
  }

  /**
   * Names of physical NICs: those with a /sys/class/net/<name>/device link. Null when
   * sysfs is not readable here, so the caller falls back to telling them by name.
   */
  async physicalInterfaces(): Promise<Set<string> | null> {
    if (this.sysRoot === null) return null;
    const dir = join(this.sysRoot, 'class/net');
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return null;
    }
    const physical = new Set<string>();
    await Promise.all(
      names.map(async (name) => {
        try {
          await access(join(dir, name, 'device'));
          physical.add(name);
        } catch {
          // No device link: a virtual interface.
        }
      }),
    );
    return physical;
  }

  async close(): Promise<void> {}

  private async primaryIp(routeText: string): Promise<string | null> {
    const routes = this.parse('net/route', () => parseNetRoute(routeText));
    if (this.realProc) return choosePrimaryIp(routes, interfaceAddresses(networkInterfaces()));
    const fibTrie = await this.readOptional('net/fib_trie');
    if (fibTrie === null) return null;
    return choosePrimaryIp(routes, addressesOnRoutes(parseLocalAddresses(fibTrie), routes));
  }

  private parse<T>(file: string, parse: () => T): T {
    try {
      return parse();
    } catch (error) {
      throw HostReadError.from(this.label, join(this.procRoot, file), error);
    }
  }

  private async readText(name: string): Promise<string> {
    try {
      return await readFile(join(this.procRoot, name), 'utf8');
    } catch (error) {
      throw HostReadError.from(this.label, join(this.procRoot, name), error);
    }
  }

  private readNow(name: string): string {
    try {
      return readFileSync(join(this.procRoot, name), 'utf8');
    } catch (error) {
      throw HostReadError.from(this.label, join(this.procRoot, name), error);
    }
  }

  private async readOptional(name: string): Promise<string | null> {
    try {
      return await readFile(join(this.procRoot, name), 'utf8');
    } catch {
      return null;
    }
  }
}
