import { encodePacket } from './packet';
import { Limits, MessageStatus, MessageType, Remote, REMOTE_PROGRAM } from './protocol';
import { writeDomain, type DomainRef } from './remote-types';
import { XdrWriter } from './xdr-writer';

/**
 * The framed CONNECT_GET_ALL_DOMAIN_STATS call of a poll loop: a poller asks for the same
 * domains, groups and flags every time, so the frame is encoded once and reused (RpcClient
 * writes the serial into it) until any of them changes. Domains are compared by value, so a
 * caller that builds a fresh array of the same domains still hits.
 */
export class StatsRequestCache {
  private stats = -1;
  private flags = -1;
  private domains: DomainRef[] = [];
  private cached: Buffer | null = null;

  frame(stats: number, flags: number, domains: readonly DomainRef[]): Buffer {
    if (this.cached && stats === this.stats && flags === this.flags && this.same(domains)) {
      return this.cached;
    }
    const w = new XdrWriter();
    w.array(domains, Limits.DOMAIN_LIST_MAX, writeDomain);
    w.uint(stats);
    w.uint(flags);
    const frame = encodePacket(
      {
        program: REMOTE_PROGRAM,
        procedure: Remote.CONNECT_GET_ALL_DOMAIN_STATS,
        type: MessageType.Call,
        serial: 0,
        status: MessageStatus.Ok,
      },
      w.bytes(),
    );
    this.stats = stats;
    this.flags = flags;
    // A copy: the caller may change its array (or the refs in it) after this call.
    this.domains = domains.map((d) => ({ name: d.name, uuid: d.uuid, id: d.id }));
    this.cached = frame;
    return frame;
  }

  private same(domains: readonly DomainRef[]): boolean {
    const mine = this.domains;
    if (domains.length !== mine.length) return false;
    for (let i = 0; i < domains.length; i++) {
      const a = domains[i] as DomainRef;
      const b = mine[i] as DomainRef;
      if (a.uuid !== b.uuid || a.name !== b.name || a.id !== b.id) return false;
    }
    return true;
  }
}
