import type { DomainEvent } from '../../collector/libvirt/domain-events';
import type { DomainStatsRecord } from '../../collector/libvirt/domain-stats';
import type { NodeInfo } from '../../collector/libvirt/libvirt-connection';

export interface ListedDomain {
  id: number | null;
  name: string;
  uuid: string;
  state: string;
}

/** Like `virsh list --all`, with the UUID. */
export function formatDomainList(domains: readonly ListedDomain[]): string {
  const rows = domains.map((d) => [d.id === null ? '-' : String(d.id), d.name, d.uuid, d.state]);
  const header = ['Id', 'Name', 'UUID', 'State'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('   ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** Like `virsh nodeinfo`. */
export function formatNodeInfo(info: NodeInfo): string {
  return (
    [
      ['CPU model', info.model],
      ['CPU(s)', info.cpus],
      ['CPU frequency', `${info.mhz} MHz`],
      ['CPU socket(s)', info.sockets],
      ['Core(s) per socket', info.cores],
      ['Thread(s) per core', info.threads],
      ['NUMA cell(s)', info.nodes],
      ['Memory size', `${info.memoryKiB} KiB`],
    ]
      .map(([k, v]) => `${`${k}:`.padEnd(20)}${v}`)
      .join('\n') + '\n'
  );
}

/** Like `virsh domstats --raw`. */
export function formatStats(records: readonly DomainStatsRecord[]): string {
  return records
    .map(
      (r) =>
        `Domain: '${r.domain.name}'\n` +
        r.params
          .entries()
          .map(([k, v]) => `  ${k}=${typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v)}\n`)
          .join('') +
        '\n',
    )
    .join('');
}

/** One line per event, for `setmov libvirt events`. */
export function formatEvent(event: DomainEvent, at: Date): string {
  const head = `${at.toISOString()} ${event.domain.name} ${event.kind}`;
  switch (event.kind) {
    case 'lifecycle':
      return `${head} ${event.event} (detail ${event.detail})`;
    case 'graphics':
      return `${head} ${event.phase} ${event.remote.node}:${event.remote.service} -> ${event.local.node}:${event.local.service} auth=${event.authScheme}`;
    case 'balloon-change':
      return `${head} ${event.actualKiB} KiB`;
    case 'device-removed':
      return `${head} ${event.devAlias}`;
    case 'reboot':
      return head;
  }
}
