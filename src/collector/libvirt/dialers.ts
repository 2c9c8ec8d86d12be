import { existsSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { LibvirtTransportError } from './errors';
import { connectStaticReads } from './static-reads';

export const LIBVIRT_RUN_DIR = '/var/run/libvirt';
export const DEFAULT_TCP_PORT = 16509;

/**
 * Sockets to try for a driver, in order: the monolithic libvirtd's, then the split daemon's
 * (virtqemud-sock for qemu://, as libvirt's client picks it). `-ro` variants for read-only use.
 */
export function socketCandidates(
  driver: string,
  readOnly: boolean,
  dir = LIBVIRT_RUN_DIR,
): string[] {
  const suffix = readOnly ? '-sock-ro' : '-sock';
  const candidates = [`${dir}/libvirt${suffix}`];
  if (/^[a-z]+$/.test(driver) && driver !== 'test')
    candidates.push(`${dir}/virt${driver}d${suffix}`);
  return candidates;
}

function connected(socket: Socket, what: string, timeoutMs: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new LibvirtTransportError(`${what}: no connection within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.setNoDelay?.(true);
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(new LibvirtTransportError(`${what}: ${error.message}`, { cause: error }));
    });
  });
}

export function dialUnix(path: string, timeoutMs = 10_000): Promise<Duplex> {
  return connected(connectStaticReads({ path }), `cannot connect to ${path}`, timeoutMs);
}

/** The first candidate socket that exists (an explicit `socket` wins). */
export function pickLocalSocket(candidates: readonly string[]): string {
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new LibvirtTransportError(
      `no libvirt socket found (tried ${candidates.join(', ')}): is libvirtd (or virtqemud) running?`,
    );
  }
  return found;
}

export function dialTcp(
  host: string,
  port = DEFAULT_TCP_PORT,
  timeoutMs = 10_000,
): Promise<Duplex> {
  return connected(
    connectStaticReads({ host, port }),
    `cannot connect to ${host}:${port}`,
    timeoutMs,
  );
}
