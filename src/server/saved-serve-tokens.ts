import { z } from 'zod';
import { JsonFileError, readJsonFile, writeJsonFile } from '../collector/files/private-json-file';
import type { ServeTokens } from './request-auth';
import { createServeToken } from './serve-token';

const token = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a serve token');
const savedTokensSchema = z
  .strictObject({ admin: token, viewer: token })
  .refine((t) => t.admin !== t.viewer, { message: 'the two tokens must differ' });

/**
 * The tokens `setmov serve` requires, kept from one run to the next in a private file
 * (0600): a restart keeps every open page and its cookie working. New ones are made
 * when asked (`--new-tokens`, which revokes every link and cookie given out), on the
 * first run, and when the file does not load (said through onReplaced).
 */
export async function savedServeTokens(
  path: string,
  options: { renew: boolean; onReplaced?: (reason: string) => void },
): Promise<ServeTokens> {
  if (!options.renew) {
    try {
      const saved = await readJsonFile(path, savedTokensSchema);
      if (saved) return saved;
    } catch (error) {
      if (!(error instanceof JsonFileError)) throw error;
      options.onReplaced?.(error.message);
    }
  }
  const tokens: ServeTokens = { admin: createServeToken(), viewer: createServeToken() };
  await writeJsonFile(path, savedTokensSchema, tokens);
  return tokens;
}
