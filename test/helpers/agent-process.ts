import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BedDescription } from './bed';

const bin = fileURLToPath(new URL('../../bin/setmov.js', import.meta.url));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A TCP port on 127.0.0.1 that nothing listens on now. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Waits until `ready` holds, checking every 250 ms; fails with `what` after timeoutMs. */
export async function until(
  what: string,
  ready: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

export interface AgentProcess {
  child: ChildProcess;
  /** What it wrote to stderr so far. */
  log: () => string;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

/** Starts `setmov agent --config FILE`; `running` tracks it until it exits (to kill leftovers). */
export function startAgent(
  configPath: string,
  env: NodeJS.ProcessEnv,
  running: Set<ChildProcess>,
): AgentProcess {
  const child = spawn(process.execPath, [bin, 'agent', '--config', configPath], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let log = '';
  child.stdout?.resume();
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve([code, signal]);
    }),
  );
  return { child, log: () => log, exited };
}

/**
 * The bed's two hosts as an agent's configuration names them, polled every second: this
 * machine's libvirt (the bed's guests), and the fleet of fake domains behind the bed's sshd.
 */
export function bedAgentHosts(b: BedDescription): { local: unknown; remote: unknown } {
  return {
    local: { name: 'bed host', libvirtUri: b.libvirt.uri, pollIntervalSec: 1 },
    remote: {
      name: 'bed fleet over ssh',
      ssh: {
        host: b.ssh.host,
        port: b.ssh.port,
        username: b.ssh.user,
        auth: 'key',
        identityFile: b.ssh.identityFile,
        knownHostsFile: b.ssh.knownHostsFile,
      },
      libvirtUri: b.libvirt.fleetUri,
      pollIntervalSec: 1,
    },
  };
}

/**
 * Writes an agent's configuration in `dir` (its state in `dir/state`): one host, synced
 * to `url` at the 10 s resolution, a round every second. Returns the file's path.
 */
export function writeAgentConfig(dir: string, host: unknown, url: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'agent.json');
  writeFileSync(
    path,
    JSON.stringify({
      stateDir: join(dir, 'state'),
      hosts: [host],
      sync: { url, resolution: '10s', intervalSec: 1 },
    }),
  );
  return path;
}
