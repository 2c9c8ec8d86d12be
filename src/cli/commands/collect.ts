import { setTimeout as sleep } from 'node:timers/promises';
import { HostReadError } from '../../collector/host/host-read-error';
import { HostSampler } from '../../collector/host/host-sampler';
import type { HostIdentity } from '../../shared/model/host-identity';
import { collectUsage, parseCollectOptions } from '../collect/collect-options';
import { formatSampleTable } from '../collect/format-table';
import { openSource } from '../collect/open-source';
import { collectWithVms, openSink } from '../collect/vm-collect';
import { splitVmOptions, vmUsage } from '../collect/vm-options';
import { storeIdentityOf } from '../../store/from-engine';
import { UsageError } from '../usage-error';
import type { HostSample } from '../../shared/model/samples';
import type { Command, CommandIo } from '../command';

/** Cursor home + clear screen: a terminal shows the latest sample in place. */
const clearScreen = '\x1b[H\x1b[2J';

export const collectCommand: Command = {
  summary:
    "print a host's and its VMs' CPU, memory, disk and network usage (this machine or --ssh)",
  usage: collectUsage + vmUsage,
  async run(args: string[], io: CommandIo): Promise<number> {
    const { vm, rest } = splitVmOptions(args);
    const options = parseCollectOptions(rest);
    // VMs come through the engine (polls of 1 s or more); a captured /proc tree or a
    // sub-second interval keeps the host-only reader.
    if (options.procRoot === '/proc' && options.intervalMs >= 1000) {
      return collectWithVms(options, vm, io, process.env);
    }
    if (vm.uri !== null || vm.vmNames.length > 0) {
      throw new UsageError('--uri and --vm need --interval of at least 1 and no --proc-root');
    }
    const source = await openSource(options, process.env);
    const sink = await openSink(options, io.stderr);
    let identity: HostIdentity | null = null;
    try {
      identity = await source.identity();
      sink?.write(storeIdentityOf(identity));
      const sampler = new HostSampler(
        source,
        identity,
        options.ssh === null ? options.procRoot : '/proc',
      );
      const inPlace = (io.stdout as { isTTY?: boolean }).isTTY === true && !options.json;
      await sampler.next();
      // Ticks on a fixed grid from the first reading, so intervals do not drift by
      // the time each reading takes.
      const start = performance.now();
      for (let n = 1; options.count === null || n <= options.count; n++) {
        if (!(await waitUntil(start + n * options.intervalMs, io.signal))) break;
        const sample = await sampler.next();
        if (sample === null) continue;
        sink?.write(sample);
        sink?.flush();
        if (options.json) {
          // satisfies: the printed line stays a HostSample of the shared model.
          io.stdout.write(`${JSON.stringify(sample satisfies HostSample)}\n`);
        } else {
          const text = formatSampleTable(sample).join('\n');
          io.stdout.write(inPlace ? `${clearScreen}${text}\n` : `${text}\n\n`);
        }
      }
      return 0;
    } catch (error) {
      throw withHostName(error, identity);
    } finally {
      await source.close();
      sink?.close();
    }
  },
};

/** Sleeps until performance.now() reaches `at`; false when interrupted first. */
async function waitUntil(at: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  try {
    await sleep(Math.max(0, at - performance.now()), undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/** A read error names the host by its hostname too, once the source has told it. */
function withHostName(error: unknown, identity: HostIdentity | null): unknown {
  if (!(error instanceof HostReadError) || identity === null || error.host === identity.hostname) {
    return error;
  }
  return new HostReadError(`${identity.hostname} (${error.host})`, error.file, error.reason, {
    cause: error,
  });
}
