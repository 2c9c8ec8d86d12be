// The backend as `setmov serve` wires it (createBackend + startServer, the backend's events
// forwarded to server.publish), polling N hosts at 1 s over one libvirt URI, for the
// contract-ws bench. Prints one JSON line {port, token} once every host is up, then answers
// each line on stdin with one JSON line of its CPU time so far:
//   "collect"  publish goes nowhere (collecting and the history only)
//   "publish"  every event goes to the server's hub (the pages subscribed, if any)
//   "stop"     closes the server and the backend, then exits
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createBackend } from '../../src/backend/backend';
import { startServer } from '../../src/server/server';
import { EventHub } from '../../src/shared/contract';
import type { SecretStore } from '../../src/store/secret-store';

const [uri = '', hostsText = '100', builtRenderer] = process.argv.slice(2);
const hosts = Number(hostsText);
const dir = mkdtempSync(join(tmpdir(), 'setmov-publish-bench-'));
// The built console for the console-ui bench; a placeholder page is enough for contract-ws.
const rendererDir = builtRenderer ?? join(dir, 'renderer');
if (!builtRenderer) {
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>SETMOV Console</title>');
}
writeFileSync(
  join(dir, 'hosts.json'),
  JSON.stringify({
    version: 1,
    hosts: Array.from({ length: hosts }, (_, i) => ({
      name: `h${i}`,
      ssh: null,
      libvirtUri: uri,
      pollIntervalSec: 1,
      memoryStatsPeriodSec: 0,
    })),
  }),
);
const noSecrets: SecretStore = {
  get: () => Promise.resolve(null),
  set: () => Promise.resolve(),
  delete: () => Promise.resolve(),
};

const upHosts = new Set<string>();
let polls = 0;
let wired = false;
const hub = new EventHub();
const dbPath = join(dir, 'history.db');
const backend = await createBackend({
  appVersion: { version: '0.0.0', name: 'setmov-console' },
  dbPath,
  configDir: dir,
  secrets: noSecrets,
  events: {
    publish: (name, payload) => {
      if (name === 'host.status') {
        const { hostId, status } = payload as { hostId: string; status: { status: string } };
        if (status.status === 'up') upHosts.add(hostId);
      }
      if (name === 'host.poll') polls++;
      if (wired) hub.publish(name, payload);
    },
    // The overview is built in every mode, to count polls; the rest only for a page.
    wants: (topic) => topic === 'overview' || (wired && hub.wants(topic)),
  },
  log: (line) => process.stderr.write(`${line}\n`),
});
const server = await startServer({
  host: '127.0.0.1',
  port: 0,
  rendererDir,
  dbPath,
  handlers: backend.handlers,
  events: hub,
});

const deadline = Date.now() + 60_000;
while (upHosts.size < hosts && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 100));
}
process.stdout.write(
  `${JSON.stringify({ port: server.port, token: server.token, up: upHosts.size })}\n`,
);

// How long a request waits for this loop: what a page's first answers cost on top of
// their own work. Reset at each report.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
for await (const line of createInterface({ input: process.stdin })) {
  const command = line.trim();
  if (command === 'stop') break;
  if (command === 'collect') wired = false;
  if (command === 'publish') wired = true;
  process.stdout.write(
    `${JSON.stringify({
      cpuMs: cpuMs(),
      wallMs: performance.now(),
      polls,
      up: upHosts.size,
      loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      loopDelayMaxMs: loopDelay.max / 1e6,
    })}\n`,
  );
  loopDelay.reset();
}
await server.close();
await backend.close();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
