// One process polling a simulated fleet through the collector engine, at 1 s: N hosts, each
// its own session (this machine's /proc + one libvirt connection to `uri`). Prints, as one
// JSON line, its CPU (% of one core) and peak RSS over the measured window.
import { CollectorEngine } from '../../src/collector/engine/collector-engine';

const [uri = '', hostsText = '10', warmText = '3', measureText = '10'] = process.argv.slice(2);
const hosts = Number(hostsText);
const engine = new CollectorEngine();
let up = 0;
let vmSamples = 0;
let skipped = 0;
const warnings: string[] = [];
engine.on((event) => {
  if (event.type === 'host-status' && event.status === 'up') up++;
  if (event.type === 'vm-sample') vmSamples++;
  if (event.type === 'poll-complete') skipped = Math.max(skipped, event.skippedPolls);
  if (event.type === 'warning' && warnings.length < 3) warnings.push(event.message);
});
for (let i = 0; i < hosts; i++) {
  engine.addHost({
    id: `h${i}`,
    ssh: null,
    libvirtUri: uri,
    pollIntervalMs: 1000,
    memoryStatsPeriodSec: 0,
  });
}
const deadline = Date.now() + 60_000;
while (up < hosts && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
await new Promise((r) => setTimeout(r, Number(warmText) * 1000));
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const samples0 = vmSamples;
let peakRss = process.memoryUsage().rss;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
await new Promise((r) => setTimeout(r, Number(measureText) * 1000));
clearInterval(rssTimer);
const cpu = process.cpuUsage(cpu0);
const wallMs = performance.now() - t0;
process.stdout.write(
  `${JSON.stringify({
    hosts,
    up,
    cpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
    rssMB: peakRss / 1024 / 1024,
    vmSamplesPerSec: ((vmSamples - samples0) * 1000) / wallMs,
    skipped,
    warnings,
  })}\n`,
);
await engine.stop();
