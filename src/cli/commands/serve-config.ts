import { z } from 'zod';
import { absolutePath, mysqlUrlField } from '../../agent/agent-config';
import { checkedConfig, readJsonConfig } from '../../agent/config-file';
import {
  DEFAULT_CENTRAL_REFRESH_MS,
  DEFAULT_CENTRAL_STALE_AFTER_MS,
} from '../../backend/central/central-fleet-source';
import type { ServeArgs } from './serve-args';

/**
 * `setmov serve --config FILE`: what the command line's --central options say, in a file
 * of the agent's format (JSON, each problem named by its field, no secret in it), for a
 * console deployed by configuration management beside the agents:
 *
 *   { "central": { "url": "mysql://reader@db1,db2,db3/setmov", "tlsCaFile": null,
 *                  "refreshSec": 2, "staleAfterSec": 60 } }
 */
const serveConfigSchema = z.strictObject({
  central: z
    .strictObject({
      url: mysqlUrlField,
      tlsCaFile: absolutePath.nullable().default(null),
      refreshSec: z
        .number()
        .int()
        .min(1)
        .max(3600)
        .default(DEFAULT_CENTRAL_REFRESH_MS / 1000),
      staleAfterSec: z
        .number()
        .int()
        .min(5)
        .max(86_400)
        .default(DEFAULT_CENTRAL_STALE_AFTER_MS / 1000),
    })
    .refine((central) => central.staleAfterSec > central.refreshSec, {
      message: 'staleAfterSec must be longer than refreshSec',
      path: ['staleAfterSec'],
    })
    .nullable()
    .default(null),
});

const SECRETS_HINT =
  'set SETMOV_CENTRAL_PASSWORD in the environment of setmov serve (docs/console.md)';

/** The central database a serve configuration names; ConfigFileError says what is wrong. */
export async function loadServeConfig(path: string): Promise<Pick<ServeArgs, 'central'>> {
  const { central } = checkedConfig(
    serveConfigSchema,
    path,
    await readJsonConfig(path),
    SECRETS_HINT,
  );
  if (central === null) return {};
  return {
    central: {
      target:
        central.tlsCaFile === null
          ? central.url.target
          : { ...central.url.target, tlsCaFile: central.tlsCaFile },
      refreshMs: central.refreshSec * 1000,
      staleAfterMs: central.staleAfterSec * 1000,
    },
  };
}
