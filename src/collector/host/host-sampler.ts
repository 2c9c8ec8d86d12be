import { hostUsage } from '../rates/host-usage';
import { looksPhysical, type PhysicalInterfaceTest } from '../rates/physical-interfaces';
import { toHostSample } from './host-sample';
import type { DetailedHostSample } from '../../shared/model/detailed-host-sample';
import type { HostSource } from './host-source';
import type { HostIdentity } from '../../shared/model/host-identity';
import { parseReadingOf, type ParsedHostReading } from './parse-reading';

/**
 * Turns a source's readings into samples: keeps the previous reading, since every
 * rate needs two, and which NICs are physical, asked again of the source only when
 * the set of interfaces changes (a VM started and its tap appeared).
 */
export class HostSampler {
  private previous: ParsedHostReading | null = null;
  private interfaceKey = '';
  private isPhysical: PhysicalInterfaceTest = looksPhysical;

  constructor(
    private readonly source: HostSource,
    readonly identity: HostIdentity,
    /** Where the source's files live, for error messages ('/proc', or a fixture root). */
    private readonly procRoot = '/proc',
  ) {}

  /** Reads once; null on the first call (no rate yet), else the sample since the last call. */
  async next(): Promise<DetailedHostSample | null> {
    const reading = parseReadingOf(await this.source.read(), this.source.label, this.procRoot);
    await this.refreshPhysical(reading);
    const previous = this.previous;
    this.previous = reading;
    return previous === null
      ? null
      : toHostSample(this.identity, hostUsage(previous, reading, this.isPhysical));
  }

  private async refreshPhysical(reading: ParsedHostReading): Promise<void> {
    if (!this.source.physicalInterfaces) return;
    const key = reading.netDev.map((i) => i.name).join('\n');
    if (key === this.interfaceKey) return;
    this.interfaceKey = key;
    const physical = await this.source.physicalInterfaces();
    this.isPhysical = physical === null ? looksPhysical : (name) => physical.has(name);
  }
}
