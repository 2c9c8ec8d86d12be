import type { Duplex } from 'node:stream';
import {
  decodeDomainEvent,
  DomainEventId,
  EVENT_PROCEDURES,
  type DomainEventKind,
  type DomainEventOf,
} from './domain-events';
import {
  CONSOLE_STATS_GROUPS,
  readDomainStatsRecords,
  type DomainStatsRecord,
} from './domain-stats';
import { DecodeCaches } from './decode-caches';
import { LibvirtAuthError } from './errors';
import {
  AuthType,
  Limits,
  QEMU_PROGRAM,
  Qemu,
  Remote,
  REMOTE_PROGRAM,
  STRING_MAX,
} from './protocol';
import {
  DOMAIN_MIN_BYTES,
  readDomain,
  readString,
  uuidToBytes,
  writeDomain,
  type DomainRef,
} from './remote-types';
import { RpcClient, type RpcClientOptions } from './rpc-client';
import { StatsRequestCache } from './stats-request';
import { XdrReader } from './xdr-reader';
import { XdrWriter } from './xdr-writer';

export interface OpenOptions extends RpcClientOptions {
  /** URI the daemon opens (transport already stripped), e.g. qemu:///system; null = default. */
  name: string | null;
  /** VIR_CONNECT_RO: monitoring only. */
  readOnly?: boolean;
}

export interface NodeInfo {
  /** CPU model, e.g. x86_64. */
  model: string;
  memoryKiB: bigint;
  cpus: number;
  mhz: number;
  nodes: number;
  sockets: number;
  cores: number;
  threads: number;
}

export interface DomainInfo {
  /** virDomainState code. */
  state: number;
  maxMemKiB: bigint;
  memoryKiB: bigint;
  nrVirtCpu: number;
  cpuTimeNs: bigint;
}

/** virDomainState names by code. */
export const DOMAIN_STATES = [
  'no state',
  'running',
  'blocked',
  'paused',
  'in shutdown',
  'shut off',
  'crashed',
  'pmsuspended',
] as const;

export interface EventSubscription {
  callbackId: number;
  unsubscribe(): Promise<void>;
}

const VIR_CONNECT_RO = 1;
const ALL_CPUS = -1;
const ALL_CELLS = -1;
const NODE_MODEL_CHARS = 32;

function args(write: (w: XdrWriter) => void): Buffer {
  const w = new XdrWriter();
  write(w);
  return w.bytes();
}

function parse<T>(body: Buffer, what: string, read: (r: XdrReader) => T): T {
  const r = new XdrReader(body);
  const value = read(r);
  r.done(what);
  return value;
}

/** An open connection to a libvirt daemon: the procedures the console uses, typed. */
export class LibvirtConnection {
  private readonly subscribers = new Map<number, (event: never) => void>();
  private readonly statsRequests = new StatsRequestCache();
  /** This daemon's names and layouts, kept from reply to reply and dropped with the connection. */
  private readonly caches = new DecodeCaches();
  /** Made once: the poll's hot path allocates no closure per reply. */
  private readonly readCachedDomain = (r: XdrReader): DomainRef => readDomain(r, this.caches);
  private readonly readStatsRecords = (r: XdrReader): DomainStatsRecord[] =>
    readDomainStatsRecords(r, this.caches);
  private readonly decodeStatsReply = (body: Buffer): DomainStatsRecord[] =>
    parse(body, 'domain stats', this.readStatsRecords);

  private constructor(readonly rpc: RpcClient) {
    for (const kind of Object.keys(EVENT_PROCEDURES) as DomainEventKind[]) {
      rpc.onMessage(REMOTE_PROGRAM, EVENT_PROCEDURES[kind], ({ body }) => {
        const event = decodeDomainEvent(kind, new XdrReader(body));
        this.subscribers.get(event.callbackId)?.(event as never);
      });
    }
  }

  /**
   * Runs libvirt's handshake on a stream already connected to a daemon: AUTH_LIST (only "none"
   * is spoken; SASL or polkit get a LibvirtAuthError), then CONNECT_OPEN.
   */
  static async open(stream: Duplex, options: OpenOptions): Promise<LibvirtConnection> {
    const connection = new LibvirtConnection(new RpcClient(stream, options));
    try {
      const types = await connection.authList();
      if (types.length > 0 && !types.includes(AuthType.None)) {
        const names = types.map((t) =>
          t === AuthType.Sasl ? 'SASL' : t === AuthType.Polkit ? 'polkit' : `type ${t}`,
        );
        throw new LibvirtAuthError(
          `the daemon demands ${names.join(' or ')} authentication, which this client does not support; connect as root or through a socket the user may open`,
        );
      }
      await connection.rpc.call(
        REMOTE_PROGRAM,
        Remote.CONNECT_OPEN,
        args((w) => {
          w.optional(options.name, (ww, name) => ww.string(name, STRING_MAX));
          w.uint(options.readOnly ? VIR_CONNECT_RO : 0);
        }),
      );
      return connection;
    } catch (error) {
      connection.rpc.destroy(error as Error);
      throw error;
    }
  }

  get isClosed(): boolean {
    return this.rpc.isClosed;
  }

  onClose(listener: (error: Error | null) => void): () => void {
    return this.rpc.onClose(listener);
  }

  private remote<T>(
    procedure: number,
    what: string,
    body: Buffer | undefined,
    read: (r: XdrReader) => T,
  ): Promise<T> {
    return this.rpc.callDecoded(REMOTE_PROGRAM, procedure, body, (reply) =>
      parse(reply, what, read),
    );
  }

  private async remoteVoid(procedure: number, body: Buffer): Promise<void> {
    await this.remote(procedure, `procedure ${procedure} reply`, body, () => undefined);
  }

  authList(): Promise<number[]> {
    return this.remote(Remote.AUTH_LIST, 'auth list', undefined, (r) =>
      r.array(Limits.AUTH_TYPE_LIST_MAX, (rr) => rr.int()),
    );
  }

  getHostname(): Promise<string> {
    return this.remote(Remote.CONNECT_GET_HOSTNAME, 'hostname', undefined, readString);
  }

  /** The daemon's capabilities XML (virConnectGetCapabilities): the host's UUID, CPUs, guests. */
  getCapabilities(): Promise<string> {
    return this.remote(Remote.CONNECT_GET_CAPABILITIES, 'capabilities', undefined, readString);
  }

  /** libvirt's version as major * 1e6 + minor * 1e3 + micro. */
  async getLibVersion(): Promise<number> {
    return Number(
      await this.remote(Remote.CONNECT_GET_LIB_VERSION, 'lib version', undefined, (r) =>
        r.uhyper(),
      ),
    );
  }

  /** The hypervisor's version (QEMU's for qemu://) as major * 1e6 + minor * 1e3 + micro. */
  async getVersion(): Promise<number> {
    return Number(
      await this.remote(Remote.CONNECT_GET_VERSION, 'version', undefined, (r) => r.uhyper()),
    );
  }

  nodeGetInfo(): Promise<NodeInfo> {
    return this.remote(Remote.NODE_GET_INFO, 'node info', undefined, (r) => {
      // char model[32]: rpcgen encodes each char as a 4-byte int.
      const chars = r.fixedArray(NODE_MODEL_CHARS, (rr) => rr.int() & 0xff);
      const end = chars.indexOf(0);
      const model = Buffer.from(end < 0 ? chars : chars.slice(0, end)).toString('latin1');
      return {
        model,
        memoryKiB: r.uhyper(),
        cpus: r.int(),
        mhz: r.int(),
        nodes: r.int(),
        sockets: r.int(),
        cores: r.int(),
        threads: r.int(),
      };
    });
  }

  /**
   * Host CPU times, ns (kernel, user, idle, iowait), over all CPUs or one. As libvirt's client
   * does: first ask how many fields there are, then ask for them.
   */
  async nodeGetCpuStats(cpuNum = ALL_CPUS): Promise<Record<string, bigint>> {
    return this.nodeStats(Remote.NODE_GET_CPU_STATS, Limits.NODE_CPU_STATS_MAX, (n) =>
      args((w) => w.int(cpuNum).int(n).uint(0)),
    );
  }

  /** Host memory, KiB (total, free, buffers, cached), over all NUMA cells or one. */
  async nodeGetMemoryStats(cellNum = ALL_CELLS): Promise<Record<string, bigint>> {
    return this.nodeStats(Remote.NODE_GET_MEMORY_STATS, Limits.NODE_MEMORY_STATS_MAX, (n) =>
      args((w) => w.int(n).int(cellNum).uint(0)),
    );
  }

  private async nodeStats(
    procedure: number,
    max: number,
    request: (nparams: number) => Buffer,
  ): Promise<Record<string, bigint>> {
    const read = (r: XdrReader) => {
      const params = r.array(max, (rr) => ({ field: readString(rr), value: rr.uhyper() }), 12);
      return { params, nparams: r.int() };
    };
    const { nparams } = await this.remote(procedure, 'node stats', request(0), read);
    const { params } = await this.remote(
      procedure,
      'node stats',
      request(Math.min(nparams, max)),
      read,
    );
    const out: Record<string, bigint> = {};
    for (const p of params) out[p.field] = p.value;
    return out;
  }

  /** Every domain (flags: virConnectListAllDomainsFlags, 0 = all). */
  listAllDomains(flags = 0): Promise<DomainRef[]> {
    return this.remote(
      Remote.CONNECT_LIST_ALL_DOMAINS,
      'domain list',
      args((w) => w.int(1).uint(flags)),
      (r) => {
        const domains = r.array(Limits.DOMAIN_LIST_MAX, this.readCachedDomain, DOMAIN_MIN_BYTES);
        r.uint();
        return domains;
      },
    );
  }

  lookupDomainByUuid(uuid: string): Promise<DomainRef> {
    return this.remote(
      Remote.DOMAIN_LOOKUP_BY_UUID,
      'domain',
      args((w) => w.opaqueFixed(uuidToBytes(uuid), 16)),
      this.readCachedDomain,
    );
  }

  domainGetInfo(domain: DomainRef): Promise<DomainInfo> {
    return this.remote(
      Remote.DOMAIN_GET_INFO,
      'domain info',
      args((w) => writeDomain(w, domain)),
      (r) => ({
        state: r.uint() & 0xff,
        maxMemKiB: r.uhyper(),
        memoryKiB: r.uhyper(),
        nrVirtCpu: r.uint() & 0xffff,
        cpuTimeNs: r.uhyper(),
      }),
    );
  }

  domainGetState(domain: DomainRef): Promise<{ state: number; reason: number }> {
    return this.remote(
      Remote.DOMAIN_GET_STATE,
      'domain state',
      args((w) => {
        writeDomain(w, domain);
        w.uint(0);
      }),
      (r) => ({ state: r.int(), reason: r.int() }),
    );
  }

  domainGetXmlDesc(domain: DomainRef, flags = 0): Promise<string> {
    return this.remote(
      Remote.DOMAIN_GET_XML_DESC,
      'domain XML',
      args((w) => {
        writeDomain(w, domain);
        w.uint(flags);
      }),
      readString,
    );
  }

  /**
   * CONNECT_GET_ALL_DOMAIN_STATS: one call for every domain's counters (or only `domains`).
   * `stats` is a StatsGroup bitmask, `flags` StatsFlag bits.
   */
  getAllDomainStats(
    stats: number = CONSOLE_STATS_GROUPS,
    flags = 0,
    domains: readonly DomainRef[] = [],
  ): Promise<DomainStatsRecord[]> {
    return this.rpc.callFrame(
      this.statsRequests.frame(stats, flags, domains),
      this.decodeStatsReply,
    );
  }

  /** How often the guest's balloon driver reports memory stats, s (0 = never). */
  domainSetMemoryStatsPeriod(domain: DomainRef, periodSec: number, flags = 0): Promise<void> {
    return this.remoteVoid(
      Remote.DOMAIN_SET_MEMORY_STATS_PERIOD,
      args((w) => {
        writeDomain(w, domain);
        w.int(periodSec);
        w.uint(flags);
      }),
    );
  }

  domainSetMemoryFlags(domain: DomainRef, memoryKiB: bigint, flags = 0): Promise<void> {
    return this.remoteVoid(
      Remote.DOMAIN_SET_MEMORY_FLAGS,
      args((w) => {
        writeDomain(w, domain);
        w.uhyper(memoryKiB);
        w.uint(flags);
      }),
    );
  }

  domainSetVcpusFlags(domain: DomainRef, vcpus: number, flags = 0): Promise<void> {
    return this.remoteVoid(
      Remote.DOMAIN_SET_VCPUS_FLAGS,
      args((w) => {
        writeDomain(w, domain);
        w.uint(vcpus);
        w.uint(flags);
      }),
    );
  }

  /** vCPUs as `flags` ask: AFFECT_LIVE or AFFECT_CONFIG, with VCPU_MAXIMUM for the most allowed. */
  domainGetVcpusFlags(domain: DomainRef, flags = 0): Promise<number> {
    return this.remote(
      Remote.DOMAIN_GET_VCPUS_FLAGS,
      'domain vCPUs',
      args((w) => {
        writeDomain(w, domain);
        w.uint(flags);
      }),
      (r) => r.int(),
    );
  }

  /** Whether the domain has a persistent config (a transient one has no "next boot"). */
  async domainIsPersistent(domain: DomainRef): Promise<boolean> {
    const persistent = await this.remote(
      Remote.DOMAIN_IS_PERSISTENT,
      'domain persistence',
      args((w) => writeDomain(w, domain)),
      (r) => r.int(),
    );
    return persistent !== 0;
  }

  /**
   * QEMU's monitor, through libvirt (QMP by default; `hmp` for human commands such as
   * `info vnc`). Used to ask QEMU who is connected to a display.
   */
  qemuMonitorCommand(domain: DomainRef, command: string, hmp = false): Promise<string> {
    return this.rpc.callDecoded(
      QEMU_PROGRAM,
      Qemu.MONITOR_COMMAND,
      args((w) => {
        writeDomain(w, domain);
        w.string(command, STRING_MAX);
        w.uint(hmp ? 1 : 0);
      }),
      (body) => parse(body, 'monitor reply', readString),
    );
  }

  /**
   * Subscribes to one kind of domain event, for every domain or one. The handler runs for each
   * event the daemon sends for this subscription.
   */
  async subscribe<K extends DomainEventKind>(
    kind: K,
    handler: (event: DomainEventOf<K>) => void,
    domain?: DomainRef,
  ): Promise<EventSubscription> {
    const callbackId = await this.remote(
      Remote.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY,
      'callback id',
      args((w) => {
        w.int(DomainEventId[kind]);
        w.optional(domain, writeDomain);
      }),
      (r) => r.int(),
    );
    this.subscribers.set(callbackId, handler as (event: never) => void);
    return {
      callbackId,
      unsubscribe: async () => {
        this.subscribers.delete(callbackId);
        if (this.rpc.isClosed) return;
        await this.remoteVoid(
          Remote.CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY,
          args((w) => w.int(callbackId)),
        );
      },
    };
  }

  /** CONNECT_CLOSE, then the stream ends. Never throws: a dead peer is already closed. */
  async close(timeoutMs = 2_000): Promise<void> {
    // One budget for the goodbye and the stream's close: over an SSH channel whose connection
    // is gone, neither the reply nor the stream's 'close' ever comes.
    const deadline = Date.now() + timeoutMs;
    if (!this.rpc.isClosed) {
      await this.rpc
        .call(REMOTE_PROGRAM, Remote.CONNECT_CLOSE, undefined, Math.max(1, timeoutMs / 2))
        .catch(() => undefined);
    }
    await this.rpc.close(Math.max(1, deadline - Date.now()));
  }
}
