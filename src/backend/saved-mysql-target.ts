import { z } from 'zod';
import { ContractError } from '../shared/contract/reply';
import { parseMysqlUrl, targetKey, type MysqlTarget } from '../store/mysql/mysql-target';

/** A saved URL parses back to its target: a file never holds one that would not load. */
const savedUrl = z
  .string()
  .min(1)
  .refine(
    (url) => {
      try {
        return targetKey(parseMysqlUrl(url)) === url;
      } catch {
        return false;
      }
    },
    { message: 'not a mysql://user@host:port/database URL as SETMOV writes it' },
  );

/**
 * A MySQL target as sync.json and central.json keep it: without its password, which is
 * in the secret store under mysqlSecretKey.
 */
export const savedMysqlTargetSchema = z.strictObject({
  url: savedUrl,
  tlsCaFile: z.string().min(1).nullable(),
  enabled: z.boolean(),
});

/** A URL and CA file as a form gives them, as a target; a bad one is the caller's error. */
export function formTarget(url: string, tlsCaFile: string | null): MysqlTarget {
  try {
    return { ...parseMysqlUrl(url), tlsCaFile };
  } catch (error) {
    throw new ContractError('bad-request', (error as Error).message);
  }
}
