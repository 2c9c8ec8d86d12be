// The contract over serve's WebSocket. (1) Round trip: 10,000 app.getVersion requests one
// after another (each awaits its reply) through startServer and the real backend's handlers,
// next to a bare `ws` server answering the same-sized frames on loopback; both in this
// process, taking turns. (2) Publishing: the backend as serve wires it (its own process, a
// plain node on an esbuild bundle) polling the fleet bench's 100 replayed hosts × 50 VMs at
// 1 s, with one page subscribed to the overview over the WebSocket. Its CPU in three kinds of window taking
// turns: collecting only (publish goes nowhere), publishing with no page connected, and
// publishing to one page; ours is page minus collecting-only, and the bytes the page receives.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { readAppVersion } from '../src/backend/app-info';
import { createBackend } from '../src/backend/backend';
import { startServer } from '../src/server/server';
import { WS_PATH } from '../src/shared/contract';
import { requireBed } from '../test/helpers/bed';
import { recordBedStats, startReplayPeer } from './fleet/replay-peer';
import { bundleForNode } from './lib/bundle-for-node';
import { PublishWorker } from './fleet/publish-worker-client';
import { median, percentile } from './lib/stats';
import type { BenchResult, Benchmark } from './lib/types';

const REQUESTS = 10_000;
const WARMUP_REQUESTS = 1_000;
const RTT_ROUNDS = 5;
/** Every id has 6 digits, so every request and reply has the same size. */
const ID_BASE = 100_000;

const FLEET_HOSTS = 100;
const WARMUP_MS = 5_000;
const SETTLE_MS = 500;
const WINDOW_MS = 4_000;
const PUBLISH_ROUNDS = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function openSocket(url: string, options: ConstructorParameters<typeof WebSocket>[2] = {}) {
  return new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.once('open', () => {
      ws.off('error', reject);
      resolve(ws);
    });
    ws.once('error', reject);
  });
}

function closeSocket(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    if (ws.readyState === ws.CLOSED) return resolve();
    ws.once('close', () => resolve());
    ws.close();
  });
}

function requestText(id: number): string {
  return JSON.stringify({ id, name: 'app.getVersion' });
}

/**
 * `count` requests, each sent when the previous reply arrived; the ms of each round trip.
 * `check` looks at the parsed reply (the client parses every reply in both runs).
 */
function sequential(
  ws: WebSocket,
  count: number,
  firstId: number,
  check: (reply: unknown, id: number) => boolean,
): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const times: number[] = [];
    let i = 0;
    let t0 = 0;
    const send = () => {
      t0 = performance.now();
      ws.send(requestText(firstId + i));
    };
    const onMessage = (data: RawData) => {
      const took = performance.now() - t0;
      const text = (data as Buffer).toString();
      if (!check(JSON.parse(text), firstId + i)) {
        ws.off('message', onMessage);
        reject(new Error(`unexpected reply: ${text.slice(0, 200)}`));
        return;
      }
      times.push(took);
      i++;
      if (i < count) return send();
      ws.off('message', onMessage);
      resolve(times);
    };
    ws.on('message', onMessage);
    send();
  });
}

function isOkReply(reply: unknown, id: number): boolean {
  const frame = reply as { id?: unknown; reply?: { ok?: unknown } } | null;
  return frame?.id === id && typeof frame.reply?.ok === 'object';
}

interface RoundTrip {
  ours: number[];
  bare: number[];
  requestBytes: number;
  replyBytes: number;
}

async function measureRoundTrip(): Promise<RoundTrip> {
  const dir = mkdtempSync(join(tmpdir(), 'setmov-contract-ws-bench-'));
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>SETMOV Console</title>');
  // No saved host: the backend watches nothing while the round trips run.
  writeFileSync(join(dir, 'hosts.json'), JSON.stringify({ version: 1, hosts: [] }));
  const dbPath = join(dir, 'history.db');
  const backend = await createBackend({
    appVersion: readAppVersion(),
    dbPath,
    configDir: dir,
    secrets: {
      get: () => Promise.resolve(null),
      set: () => Promise.resolve(),
      delete: () => Promise.resolve(),
    },
  });
  const errors: unknown[] = [];
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    rendererDir,
    dbPath,
    handlers: backend.handlers,
    onInternalError: (_name, error) => errors.push(error),
  });
  const bareServer = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  const bareListening = new Promise<void>((resolve) => bareServer.once('listening', resolve));
  let ours: WebSocket | undefined;
  let bare: WebSocket | undefined;
  try {
    ours = await openSocket(`ws://127.0.0.1:${server.port}${WS_PATH}`, {
      headers: { authorization: `Bearer ${server.token}` },
      origin: `http://127.0.0.1:${server.port}`,
    });
    // The reply our server sends, taken as the bare server's fixed answer: same size.
    const replyText = await new Promise<string>((resolve) => {
      ours?.once('message', (data: RawData) => resolve((data as Buffer).toString()));
      ours?.send(requestText(ID_BASE));
    });
    if (!isOkReply(JSON.parse(replyText), ID_BASE)) {
      throw new Error(`app.getVersion over the WebSocket answered ${replyText}`);
    }
    await bareListening;
    bareServer.on('connection', (socket) => {
      socket.on('message', () => socket.send(replyText));
    });
    const barePort = (bareServer.address() as { port: number }).port;
    bare = await openSocket(`ws://127.0.0.1:${barePort}/`);
    const anyObject = (reply: unknown) => typeof reply === 'object' && reply !== null;

    await sequential(ours, WARMUP_REQUESTS, ID_BASE, isOkReply);
    await sequential(bare, WARMUP_REQUESTS, ID_BASE, anyObject);
    const result: RoundTrip = {
      ours: [],
      bare: [],
      requestBytes: Buffer.byteLength(requestText(ID_BASE)),
      replyBytes: Buffer.byteLength(replyText),
    };
    const perRound = REQUESTS / RTT_ROUNDS;
    for (let round = 0; round < RTT_ROUNDS; round++) {
      const firstId = ID_BASE + 1 + round * perRound;
      result.ours.push(...(await sequential(ours, perRound, firstId, isOkReply)));
      result.bare.push(...(await sequential(bare, perRound, firstId, anyObject)));
    }
    if (errors.length > 0) throw new Error(`the server reported ${String(errors[0])}`);
    return result;
  } finally {
    if (ours) await closeSocket(ours);
    if (bare) await closeSocket(bare);
    await new Promise<void>((resolve) => bareServer.close(() => resolve()));
    await server.close();
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

type Mode = 'collect' | 'publish, no page' | 'one page';
const MODES: Mode[] = ['collect', 'publish, no page', 'one page'];

interface Window {
  mode: Mode;
  cpuPercent: number;
  pollsPerSec: number;
  /** What the page received: payload bytes, and payload plus WebSocket frame headers. */
  payloadBytesPerSec: number;
  wireBytesPerSec: number;
  messagesPerSec: number;
}

/** Bytes of a server frame's header (unmasked) for a payload of `length` bytes. */
function frameHeaderBytes(length: number): number {
  return length < 126 ? 2 : length < 65_536 ? 4 : 10;
}

async function measurePublishing(): Promise<{ windows: Window[]; up: number }> {
  const bed = requireBed();
  const bundle = await bundleForNode('contract-ws-bench', {
    file: 'bench/fleet/publish-worker.ts',
  });
  const peer = await startReplayPeer(await recordBedStats(bed.libvirt.uri));
  let worker: PublishWorker | undefined;
  try {
    const started = await PublishWorker.start(
      bundle,
      `qemu+tcp://127.0.0.1:${peer.port}/system`,
      FLEET_HOSTS,
    );
    worker = started.worker;
    const { port, token } = started.ready;
    await sleep(WARMUP_MS);
    const windows: Window[] = [];
    let up = started.ready.up;
    for (let round = 0; round < PUBLISH_ROUNDS; round++) {
      for (const mode of MODES) {
        await worker.ask(mode === 'collect' ? 'collect' : 'publish');
        let page: WebSocket | undefined;
        let payload = 0;
        let wire = 0;
        let messages = 0;
        if (mode === 'one page') {
          page = await openSocket(`ws://127.0.0.1:${port}${WS_PATH}`, {
            headers: { authorization: `Bearer ${token}` },
            origin: `http://127.0.0.1:${port}`,
          });
          // The overview page: host.poll of every host, and nothing per VM or device.
          page.send(
            JSON.stringify({ id: 1, name: 'events.subscribe', params: { topics: ['overview'] } }),
          );
          page.on('message', (data: RawData) => {
            const length = (data as Buffer).length;
            payload += length;
            wire += length + frameHeaderBytes(length);
            messages++;
          });
        }
        await sleep(SETTLE_MS);
        const a = await worker.ask('cpu');
        const [payload0, wire0, messages0, t0] = [payload, wire, messages, performance.now()];
        await sleep(WINDOW_MS);
        const b = await worker.ask('cpu');
        const seconds = (performance.now() - t0) / 1000;
        const workerSeconds = (b.wallMs - a.wallMs) / 1000;
        windows.push({
          mode,
          cpuPercent: ((b.cpuMs - a.cpuMs) / 1000 / workerSeconds) * 100,
          pollsPerSec: (b.polls - a.polls) / workerSeconds,
          payloadBytesPerSec: (payload - payload0) / seconds,
          wireBytesPerSec: (wire - wire0) / seconds,
          messagesPerSec: (messages - messages0) / seconds,
        });
        up = Math.min(up, b.up);
        if (page) await closeSocket(page);
      }
    }
    return { windows, up };
  } finally {
    await worker?.stop();
    await peer.close();
  }
}

const fixed = (n: number, digits = 1) => n.toFixed(digits);
const list2 = (values: number[]) => values.map((v) => fixed(v)).join(', ');

const contractWs: Benchmark = {
  name: 'contract-ws',
  async run() {
    const rtt = await measureRoundTrip();
    const sizes = `${rtt.requestBytes}-byte request, ${rtt.replyBytes}-byte reply`;
    const us = (values: number[], p: number) => `${fixed(percentile(values, p) * 1000, 0)} µs`;
    const exact = `ours p50 ${us(rtt.ours, 50)}, p99 ${us(rtt.ours, 99)}; bare p50 ${us(rtt.bare, 50)}, p99 ${us(rtt.bare, 99)}`;
    const rttNote = `${REQUESTS} sequential requests each after ${WARMUP_REQUESTS} warm-up, ${RTT_ROUNDS} rounds taking turns with the bare server; ${sizes}; client and server in one process; ${exact}`;
    const roundTrip = (p: number): BenchResult => ({
      benchmark: 'contract over the WebSocket: app.getVersion round trip',
      metric: `p${p}`,
      unit: 'ms',
      ours: percentile(rtt.ours, p),
      baseline: percentile(rtt.bare, p),
      baselineName: 'bare ws server, same frame sizes',
      better: 'lower',
      ...(p === 50 ? { note: rttNote } : {}),
    });

    const { windows, up } = await measurePublishing();
    const byMode = (mode: Mode) => windows.filter((w) => w.mode === mode);
    const collect = byMode('collect');
    const noPage = byMode('publish, no page');
    const onePage = byMode('one page');
    const extra = onePage.map((w, i) => w.cpuPercent - (collect[i] as Window).cpuPercent);
    const extraNoPage = noPage.map((w, i) => w.cpuPercent - (collect[i] as Window).cpuPercent);
    const list = (ws: Window[]) => ws.map((w) => fixed(w.cpuPercent)).join(', ');
    const kBps = median(onePage.map((w) => w.payloadBytesPerSec)) / 1000;
    const benchmark = `publishing to one page, fleet ${FLEET_HOSTS}x50 @1s (replayed bed stats)`;
    const cpuNote =
      `${up}/${FLEET_HOSTS} hosts up, ${fixed(median(windows.map((w) => w.pollsPerSec)))} polls/s; ` +
      `${PUBLISH_ROUNDS} rounds of ${WINDOW_MS / 1000} s windows; CPU % of a core: collecting only ${list(collect)}; ` +
      `publishing, no page ${list(noPage)} (${median(extraNoPage) >= 0 ? '+' : ''}${fixed(median(extraNoPage))} median vs collecting only); ` +
      `one page ${list(onePage)}; ours = median of (one page - collecting only) per round; the windows of one kind spread by more than ours`;
    const bytesNote =
      `payload ${list2(onePage.map((w) => w.payloadBytesPerSec / 1000))} kB/s per window, ` +
      `${fixed(median(onePage.map((w) => w.wireBytesPerSec / 1000)))} kB/s with frame headers, ` +
      `${fixed(median(onePage.map((w) => w.messagesPerSec)))} messages/s (the page subscribed to the overview: one host.poll per host per poll); the collecting-only baseline builds the overview messages too (to count polls), without sending them; 1 kB = 1000 bytes`;
    return [
      roundTrip(50),
      roundTrip(99),
      {
        benchmark,
        metric: 'backend CPU on top of collecting, % of one core',
        unit: '%',
        ours: median(extra),
        baseline: null,
        baselineName: 'none (target only)',
        better: 'lower',
        target: 5,
        note: cpuNote,
      },
      {
        benchmark,
        metric: 'bytes the page receives',
        unit: 'kB/s',
        ours: kBps,
        baseline: null,
        baselineName: 'none (target only)',
        better: 'lower',
        target: 200,
        note: bytesNote,
      },
    ];
  },
};

export default contractWs;
