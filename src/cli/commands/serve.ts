import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readAppVersion } from '../../backend/app-info';
import { createHandlers } from '../../backend/handlers';
import { isLoopbackAddress } from '../../server/request-guard';
import { ListenError } from '../../server/listen-error';
import { startServer } from '../../server/server';
import type { RunningServer, ServeOptions } from '../../server/server';
import type { Command } from '../command';
import { UsageError } from '../usage-error';

const usage = `Usage: setmov serve [--port N] [--host ADDRESS]

Serves the console in a browser: the built UI (out/renderer, made by \`npm run build\`)
and its backend over HTTP and WebSocket. Stop it with Ctrl-C.

Options:
  --port N          TCP port (default 7420; 0 picks a free one)
  --host ADDRESS    one address to listen on (default 127.0.0.1; a wildcard such
                    as 0.0.0.0 or :: is refused). The console has no login:
                    listen beyond loopback only on a network you trust.
  -h, --help        show this help
`;

/** Where `npm run build` puts the renderer, from src/cli/commands. */
const builtRendererDir = join(dirname(fileURLToPath(import.meta.url)), '../../../out/renderer');

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    throw new UsageError(`--port must be a whole number from 0 to 65535, not '${text}'`);
  }
  return port;
}

/** `[::1]` as a URL writes it is `::1` to listen(). */
function parseHost(text: string): string {
  return /^\[.*\]$/.test(text) ? text.slice(1, -1) : text;
}

/** A wildcard would answer under any name, which the DNS-rebinding check cannot pin. */
async function startOrRefuse(options: ServeOptions): Promise<RunningServer> {
  try {
    return await startServer(options);
  } catch (error) {
    if (error instanceof ListenError && error.code === 'wildcard-address') {
      throw new UsageError(`--host ${error.message}`);
    }
    throw error;
  }
}

/** `setmov serve`, serving the renderer built into rendererDir. */
export function createServeCommand(rendererDir: string): Command {
  return {
    summary: 'serve the console to a browser on this machine',
    usage,
    async run(args, io) {
      const { values } = parseArgs({
        args,
        options: { port: { type: 'string' }, host: { type: 'string' } },
        strict: true,
        allowPositionals: false,
      });
      const port = parsePort(values.port ?? '7420');
      const host = parseHost(values.host ?? '127.0.0.1');
      if (!existsSync(join(rendererDir, 'index.html'))) {
        throw new Error(
          `the console UI is not built (no ${join(rendererDir, 'index.html')}); run \`npm run build\` first`,
        );
      }
      const server = await startOrRefuse({
        host,
        port,
        rendererDir,
        handlers: createHandlers({ appVersion: readAppVersion() }),
        onInternalError: (name, error) =>
          io.stderr.write(
            `setmov serve: ${name} failed: ${error instanceof Error ? error.message : String(error)}\n`,
          ),
      });
      if (!isLoopbackAddress(server.address)) {
        io.stderr.write(
          `setmov serve: warning: listening on ${host}, reachable from the network without a login\n`,
        );
      }
      io.stdout.write(`SETMOV console at ${server.url}\n`);
      if (!io.signal.aborted) {
        await new Promise<void>((resolve) =>
          io.signal.addEventListener('abort', () => resolve(), { once: true }),
        );
      }
      server.publish('app.stopping', { reason: 'signal' });
      await server.close();
      io.stdout.write('stopped\n');
      return 0;
    },
  };
}

export const serveCommand = createServeCommand(builtRendererDir);
