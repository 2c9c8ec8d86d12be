// One process polling a simulated fleet at 1 s through the collector engine: 10, 50 and 100
// hosts of 50 VMs each. Two peers stand in for the hosts' daemons: the bed's libvirtd with a
// 50-domain test-driver node file per connection (the real RPC path; its stats carry only
// state), and a local replay peer answering all-domain-stats with the bed's guests' recorded
// records, scaled to 50 domains (realistic payloads). Each run is its own process (a plain
// node on an esbuild bundle), measured over 8 s after 3 s of warm-up.
import { spawn } from 'node:child_process';
import { requireBed } from '../test/helpers/bed';
import { recordBedStats, startReplayPeer } from './fleet/replay-peer';
import type { BenchResult, Benchmark } from './lib/types';
import { bundleForNode } from './lib/bundle-for-node';

const SIZES = [10, 50, 100];

interface WorkerResult {
  hosts: number;
  up: number;
  cpuPercent: number;
  rssMB: number;
  vmSamplesPerSec: number;
  skipped: number;
  warnings: string[];
}

function runWorker(bundle: string, uri: string, hosts: number): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, uri, String(hosts), '3', '8'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as WorkerResult);
      } catch {
        reject(new Error(`fleet worker exited ${code}: ${err.trim().split('\n')[0] ?? ''}`));
      }
    });
  });
}

function rows(path: string, r: WorkerResult): BenchResult[] {
  const note = `${r.up}/${r.hosts} hosts up, ${r.vmSamplesPerSec.toFixed(0)} VM samples/s, ${r.skipped} skipped polls${r.warnings.length ? `; ${r.warnings[0]}` : ''}`;
  const benchmark = `fleet ${r.hosts}x50 @1s (${path})`;
  const target = r.hosts === 100;
  return [
    {
      benchmark,
      metric: 'CPU of one core',
      unit: '%',
      ours: r.cpuPercent,
      baseline: null,
      baselineName: 'none (target only)',
      better: 'lower',
      ...(target ? { target: 30 } : {}),
      note,
    },
    {
      benchmark,
      metric: 'peak RSS',
      unit: 'MB',
      ours: r.rssMB,
      baseline: null,
      baselineName: 'none (target only)',
      better: 'lower',
      ...(target ? { target: 400 } : {}),
    },
  ];
}

const fleet: Benchmark = {
  name: 'fleet',
  async run() {
    const bed = requireBed();
    const extras = bed.libvirt as unknown as { fleetUri?: string };
    const bundle = await bundleForNode('fleet-bench', { file: 'bench/fleet/fleet-worker.ts' });
    const results: BenchResult[] = [];
    const peer = await startReplayPeer(await recordBedStats(bed.libvirt.uri));
    try {
      for (const hosts of SIZES) {
        const r = await runWorker(bundle, `qemu+tcp://127.0.0.1:${peer.port}/system`, hosts);
        results.push(...rows('replayed bed stats', r));
      }
    } finally {
      await peer.close();
    }
    if (extras.fleetUri) {
      for (const hosts of SIZES) {
        results.push(
          ...rows('libvirtd test driver', await runWorker(bundle, extras.fleetUri, hosts)),
        );
      }
    }
    return results;
  },
};

export default fleet;
