import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readAppVersion } from '../../backend/app-info';
import { createBackend } from '../../backend/backend';
import { unavailableHandlers, unavailableMessage } from '../../backend/unavailable-backend';
import { defaultHostsConfigPath } from '../../collector/hosts-config/hosts-config';
import { isLoopbackAddress } from '../../server/request-guard';
import { ListenError } from '../../server/listen-error';
import { savedServeTokens } from '../../server/saved-serve-tokens';
import { startServer } from '../../server/server';
import type { RunningServer, ServeOptions } from '../../server/server';
import { defaultDbPath } from '../../store/default-db-path';
import { FileSecretStore } from '../../store/file-secret-store';
import { EventHub } from '../../shared/contract/event-hub';
import type { RequestHandlers } from '../../shared/contract/requests';
import type { Command } from '../command';
import { UsageError } from '../usage-error';
import { parseServeArgs } from './serve-args';
import { loadServeConfig } from './serve-config';
import { ConfigFileError } from '../../agent/config-file';
import {
  DEFAULT_CENTRAL_REFRESH_MS,
  DEFAULT_CENTRAL_STALE_AFTER_MS,
} from '../../backend/central/central-fleet-source';

/** Where the central reading account's password comes from: never argv. */
const CENTRAL_PASSWORD_ENV = 'SETMOV_CENTRAL_PASSWORD';

const usage = `Usage: setmov serve [--port N] [--host ADDRESS] [--db FILE] [--tls-cert F --tls-key F] [--new-tokens]
                    [--central URL [--central-refresh SEC] [--stale-after SEC] [--central-tls-ca F]
                     | --config FILE]

Serves the console in a browser: the built UI (out/renderer, made by \`npm run build\`)
and its backend over HTTP and WebSocket. It prints two URLs, each with a token: the
admin's, and a viewer's that sees everything and changes nothing. The tokens are kept
(0600, serve-tokens.json beside hosts.json), so a restart keeps open pages working;
--new-tokens makes new ones and so revokes every URL and cookie given out before.
The page trades its token for a cookie. Scripts send it as
\`Authorization: Bearer TOKEN\`. When the saved hosts, settings, sync target or
history do not load, it starts in safe mode and says which file is wrong.
Stop it with Ctrl-C.

Options:
  --port N          TCP port (default 7420; 0 picks a free one)
  --host ADDRESS    one address to listen on (default 127.0.0.1; a wildcard such
                    as 0.0.0.0 or :: is refused). An address beyond loopback
                    needs --tls-cert and --tls-key.
  --db FILE         SQLite history (default: ${defaultDbPath()})
  --tls-cert F      PEM certificate (chain): serve https and wss
  --tls-key F       PEM private key of that certificate
  --new-tokens      make new admin and viewer tokens (the old URLs stop working)
  --central URL     also show the fleet the central database holds (what agents and
                    other consoles write), mysql://user@host[:port][,host:port...]/db;
                    a read-only user is enough, its password in ${CENTRAL_PASSWORD_ENV}.
                    Hosts seen only there are read, never polled from here
  --central-refresh SEC  how often to read it (default ${DEFAULT_CENTRAL_REFRESH_MS / 1000})
  --stale-after SEC  a host with no newer sample is shown stale (default ${DEFAULT_CENTRAL_STALE_AFTER_MS / 1000})
  --central-tls-ca F  read it over TLS, verifying the server against this CA (PEM)
  --config FILE     the same in a JSON file of the agent's conventions, instead of
                    --central and its options: {"central": {"url": "mysql://...",
                    "tlsCaFile": null, "refreshSec": 2, "staleAfterSec": 60}}; each
                    problem is named by its field, and exits with 2
  -h, --help        show this help
`;

/** Where `npm run build` puts the renderer, from src/cli/commands. */
const builtRendererDir = join(dirname(fileURLToPath(import.meta.url)), '../../../out/renderer');

/** The address rules are the CLI's usage rules: say which flag to change. */
async function startOrRefuse(options: ServeOptions): Promise<RunningServer> {
  try {
    return await startServer(options);
  } catch (error) {
    if (error instanceof ListenError && error.code === 'bad-tls') {
      throw new UsageError(`--tls-cert/--tls-key: ${error.message}`);
    }
    if (
      error instanceof ListenError &&
      (error.code === 'wildcard-address' || error.code === 'needs-tls')
    ) {
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
      const { host, port, dbPath, tls, newTokens, configPath, ...given } = parseServeArgs(args);
      let central = given.central;
      if (configPath !== undefined) {
        try {
          ({ central } = await loadServeConfig(configPath));
        } catch (error) {
          if (!(error instanceof ConfigFileError)) throw error;
          for (const problem of error.problems) io.stderr.write(`setmov serve: ${problem}\n`);
          return 2;
        }
      }
      if (!existsSync(join(rendererDir, 'index.html'))) {
        throw new Error(
          `the console UI is not built (no ${join(rendererDir, 'index.html')}); run \`npm run build\` first`,
        );
      }
      // The pages attach to it once the server listens; until then events go nowhere.
      const events = new EventHub();
      const appVersion = readAppVersion();
      // Saved state that does not load still gets a console: safe mode says which file and
      // what to do, on stderr and in every page, instead of a process that exits.
      const backend: { handlers: RequestHandlers; close(): Promise<void> } = await createBackend({
        appVersion,
        dbPath,
        configDir: dirname(defaultHostsConfigPath()),
        secrets: new FileSecretStore(),
        events,
        log: (line) => io.stderr.write(`${line}\n`),
        ...(central === undefined
          ? {}
          : {
              central: {
                // mysql2 sends no password for ''; the server decides whether that is enough.
                login: {
                  target: central.target,
                  password: process.env[CENTRAL_PASSWORD_ENV] ?? '',
                },
                refreshMs: central.refreshMs,
                staleAfterMs: central.staleAfterMs,
              },
            }),
      }).catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        io.stderr.write(`setmov serve: safe mode: ${unavailableMessage(reason)}\n`);
        return {
          handlers: unavailableHandlers(appVersion, reason),
          close: () => Promise.resolve(),
        };
      });
      let server: RunningServer;
      try {
        const tokens = await savedServeTokens(
          join(dirname(defaultHostsConfigPath()), 'serve-tokens.json'),
          {
            renew: newTokens,
            onReplaced: (reason) =>
              io.stderr.write(`setmov serve: new tokens made: the saved ones ${reason}\n`),
          },
        );
        server = await startOrRefuse({
          token: tokens.admin,
          viewerToken: tokens.viewer,
          host,
          port,
          rendererDir,
          dbPath,
          ...(tls === undefined ? {} : { tls }),
          handlers: backend.handlers,
          events,
          onInternalError: (name, error) =>
            io.stderr.write(
              `setmov serve: ${name} failed: ${error instanceof Error ? error.message : String(error)}\n`,
            ),
        });
      } catch (error) {
        await backend.close();
        throw error;
      }
      if (!isLoopbackAddress(server.address)) {
        io.stderr.write(
          `setmov serve: listening on ${server.address}: anyone who can reach it and has the URL's token has the console\n`,
        );
      }
      // The only lines that show the tokens: what the admin opens, and what a viewer may.
      io.stdout.write(
        `SETMOV console at ${server.openUrl}\n` +
          `SETMOV read-only console for viewers at ${server.viewerUrl}\n`,
      );
      if (!io.signal.aborted) {
        await new Promise<void>((resolve) =>
          io.signal.addEventListener('abort', () => resolve(), { once: true }),
        );
      }
      server.publish('app.stopping', { reason: 'signal' });
      await server.close();
      await backend.close();
      io.stdout.write('stopped\n');
      return 0;
    },
  };
}

export const serveCommand = createServeCommand(builtRendererDir);
