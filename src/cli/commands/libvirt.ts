import { parseArgs } from 'node:util';
import { EVENT_PROCEDURES, type DomainEventKind } from '../../collector/libvirt/domain-events';
import { StatsGroup } from '../../collector/libvirt/domain-stats';
import { DOMAIN_STATES, type LibvirtConnection } from '../../collector/libvirt/libvirt-connection';
import type { Command, CommandIo } from '../command';
import { jsonWithBigint } from '../libvirt/json-with-bigint';
import {
  formatDomainList,
  formatEvent,
  formatNodeInfo,
  formatStats,
  type ListedDomain,
} from '../libvirt/libvirt-output';
import { openLibvirt } from '../libvirt/open-libvirt';
import { UsageError } from '../usage-error';

const usage = `Usage: setmov libvirt [--uri URI] [--ssh user@host[:port] --identity FILE]
                      <hostname|nodeinfo|list|stats|events> [--json]

Talks to a libvirt daemon over its own RPC protocol (no libvirt library needed).

Subcommands:
  hostname     the host's name
  nodeinfo     CPU model, count and frequency, memory
  list         every domain: id, name, UUID, state
  stats        every domain's all-domain-stats record (libvirt's field names)
  events       lifecycle, reboot, graphics, balloon and device-removal events, until Ctrl-C

Options:
  --uri URI            libvirt URI (default qemu:///system), e.g. test+unix:///default,
                       qemu+tcp://host/system, qemu+ssh://user@host/system (the agent's
                       keys); no ?parameters: use --ssh and --identity for a key
  --ssh user@host[:port]  reach the host's libvirt socket through its sshd
  --identity FILE      private key for --ssh (default: the SSH agent)
  --known-hosts FILE   known_hosts to check the host key against (default ~/.ssh/known_hosts)
  --groups LIST        stats: comma-separated groups (state,cpu,balloon,vcpu,interface,block,
                       perf,iothread,memory,dirtyrate,vm); default all
  --readonly           use the read-only socket and connection
  --timeout MS         per-call and connect timeout (default 30000)
  --json               machine-readable output
  -h, --help           show this help
`;

const SUBCOMMANDS = ['hostname', 'nodeinfo', 'list', 'stats', 'events'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

function parseGroups(text: string | undefined): number {
  if (text === undefined) return 0;
  let mask = 0;
  for (const name of text.split(',').map((s) => s.trim())) {
    const bit = (StatsGroup as Record<string, number>)[name];
    if (bit === undefined) throw new UsageError(`--groups: unknown stats group '${name}'`);
    mask |= bit;
  }
  return mask;
}

function parseTimeout(text: string | undefined): number {
  if (text === undefined) return 30_000;
  const ms = Number(text);
  if (!/^\d+$/.test(text) || ms < 1)
    throw new UsageError(`--timeout must be a positive number of ms`);
  return ms;
}

async function listDomains(lv: LibvirtConnection): Promise<ListedDomain[]> {
  const domains = await lv.listAllDomains();
  const states = await Promise.all(domains.map((d) => lv.domainGetState(d)));
  return domains.map((d, i) => ({
    id: d.id >= 0 ? d.id : null,
    name: d.name,
    uuid: d.uuid,
    state: DOMAIN_STATES[states[i]?.state ?? 0] ?? 'unknown',
  }));
}

async function streamEvents(lv: LibvirtConnection, io: CommandIo, json: boolean): Promise<number> {
  const write = (line: string) => io.stdout.write(`${line}\n`);
  for (const kind of Object.keys(EVENT_PROCEDURES) as DomainEventKind[]) {
    await lv.subscribe(kind, (event) =>
      write(
        json
          ? jsonWithBigint({ at: new Date().toISOString(), ...event }, 0)
          : formatEvent(event, new Date()),
      ),
    );
  }
  const reason = await new Promise<Error | null>((resolve) => {
    if (io.signal.aborted) resolve(null);
    io.signal.addEventListener('abort', () => resolve(null), { once: true });
    lv.onClose((error) => resolve(error ?? null));
  });
  if (reason) throw reason;
  return 0;
}

export const libvirtCommand: Command = {
  summary: 'query a libvirt daemon (hostname, nodeinfo, list, stats, events)',
  usage,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        uri: { type: 'string' },
        ssh: { type: 'string' },
        identity: { type: 'string' },
        'known-hosts': { type: 'string' },
        groups: { type: 'string' },
        readonly: { type: 'boolean' },
        timeout: { type: 'string' },
        json: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: true,
    });
    const [sub, ...extra] = positionals;
    if (!SUBCOMMANDS.includes(sub as Subcommand)) {
      throw new UsageError(
        sub === undefined
          ? `missing subcommand (${SUBCOMMANDS.join('|')})`
          : `unknown subcommand '${sub}' (${SUBCOMMANDS.join('|')})`,
      );
    }
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
    const groups = parseGroups(values.groups);
    const json = values.json ?? false;
    const lv = await openLibvirt({
      uri: values.uri,
      ssh: values.ssh,
      identity: values.identity,
      knownHosts: values['known-hosts'],
      readOnly: values.readonly,
      timeoutMs: parseTimeout(values.timeout),
    });
    const print = (text: string) => io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    try {
      switch (sub as Subcommand) {
        case 'hostname': {
          const hostname = await lv.getHostname();
          print(json ? jsonWithBigint({ hostname }) : hostname);
          break;
        }
        case 'nodeinfo': {
          const info = await lv.nodeGetInfo();
          print(json ? jsonWithBigint(info) : formatNodeInfo(info));
          break;
        }
        case 'list': {
          const domains = await listDomains(lv);
          print(json ? jsonWithBigint(domains) : formatDomainList(domains));
          break;
        }
        case 'stats': {
          const records = await lv.getAllDomainStats(groups);
          const out = records.map((r) => ({ ...r.domain, stats: r.params }));
          print(json ? jsonWithBigint(out) : formatStats(records));
          break;
        }
        case 'events':
          return await streamEvents(lv, io, json);
      }
      return 0;
    } finally {
      await lv.close();
    }
  },
};
