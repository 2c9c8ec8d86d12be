import { CollectorEngine } from '../../collector/engine/collector-engine';
import type { DetailedVmSample, EngineEvent } from '../../shared/model/engine-events';
import type { DetailedHostSample } from '../../shared/model/detailed-host-sample';
import type { HostSample, VmSample } from '../../shared/model/samples';
import type { CollectSink } from '../../store/collect-sink';
import { recordEngineEvent } from '../../backend/engine-to-sink';
import type { CommandIo } from '../command';
import type { CollectOptions } from './collect-options';
import { sinkStatusLine } from './sink-status-line';
import { formatSampleTable } from './format-table';
import type { VmOptions } from './vm-options';
import { formatVmTable } from './vm-table';
import { collectTarget } from './vm-target';

const clearScreen = '\x1b[H\x1b[2J';

/**
 * `collect` through the collector engine: per poll the host's sample (with vmCount) and its
 * VMs' samples, as a table or as JSON lines. A host that cannot be reached at the first
 * attempt is an error (exit 1, one line), as in the host-only path; once it was up, the
 * engine reconnects on its own and collect keeps going.
 */
export async function collectWithVms(
  options: CollectOptions,
  vm: VmOptions,
  io: CommandIo,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const target = collectTarget(options, vm, env);
  const sink = await openSink(options, io.stderr);
  const engine = new CollectorEngine();
  const wanted = new Set(vm.vmNames);
  const inPlace = (io.stdout as { isTTY?: boolean }).isTTY === true && !options.json;
  let printed = 0;
  let wasUp = false;
  let libvirtWarned = false;
  let host: DetailedHostSample | null = null;
  let vms: DetailedVmSample[] = [];

  const print = (): void => {
    if (!host) return;
    const sample = host;
    const shown = vms.filter((s) => wanted.size === 0 || wanted.has(s.name));
    if (options.json) {
      const lines = [JSON.stringify(sample satisfies HostSample)];
      for (const s of shown) lines.push(JSON.stringify(s satisfies VmSample));
      io.stdout.write(`${lines.join('\n')}\n`);
    } else {
      const text = [
        ...formatSampleTable(sample),
        '',
        `VMS  ${sample.vmCount ?? '-'} running`,
        ...formatVmTable(shown),
      ].join('\n');
      io.stdout.write(inPlace ? `${clearScreen}${text}\n` : `${text}\n\n`);
    }
    printed++;
  };

  try {
    return await new Promise<number>((resolve, reject) => {
      const finish = (code: number): void => resolve(code);
      if (io.signal.aborted) return finish(0);
      io.signal.addEventListener('abort', () => finish(0), { once: true });
      engine.on((event: EngineEvent) => {
        if (sink) recordEngineEvent(sink, event);
        switch (event.type) {
          case 'host-status':
            if (event.status === 'up' || event.status === 'degraded') wasUp = true;
            if (event.status === 'unreachable' && (!wasUp || event.retryAt === null)) {
              reject(new Error(event.reason ?? 'the host cannot be reached'));
            } else if (event.status === 'unreachable') {
              io.stderr.write(`setmov: ${event.reason ?? 'unreachable'}; reconnecting\n`);
            }
            if (event.libvirtError !== null && !libvirtWarned) {
              libvirtWarned = true;
              io.stderr.write(`setmov: libvirt: ${event.libvirtError} (no VMs until it answers)\n`);
            }
            break;
          case 'host-sample':
            host = event.sample;
            break;
          case 'vm-sample':
            vms.push(event.sample);
            break;
          case 'poll-complete':
            print();
            host = null;
            vms = [];
            if (options.count !== null && printed >= options.count) finish(0);
            break;
          default:
            break;
        }
      });
      engine.addHost(target);
    });
  } finally {
    await engine.stop();
    sink?.close();
  }
}

/** The history file of --db; better-sqlite3 loads only when one is asked for. */
export async function openSink(
  options: CollectOptions,
  stderr: CommandIo['stderr'],
): Promise<CollectSink | null> {
  if (options.db === null) return null;
  const { openCollectSink } = await import('../../store/collect-sink');
  return openCollectSink({
    dbPath: options.db,
    onStatus: (status) => stderr.write(`${sinkStatusLine(status)}\n`),
  });
}
