import type { SyncErrorCode } from '../../shared/model/sync-status';
import { passwordEnv } from '../store/read-password';

/** What a CLI user does about a failure, by its code; the console words its own. */
const adviceByCode: Partial<Record<SyncErrorCode, string>> = {
  'unknown-database':
    'setmov sync --init creates it, or create it yourself and grant the user all rights on it',
  'create-database-denied': 'have an administrator run them, then run setmov sync --init again',
  'schema-missing': 'run setmov sync --init to create them',
  'schema-old': 'run setmov sync --init to upgrade it',
};

/** A sync failure as `setmov sync` prints it: the code, what happened, what to do here. */
export function syncErrorLine(
  error: { code: SyncErrorCode; message: string },
  { passwordGiven }: { passwordGiven: boolean },
): string {
  const advice =
    error.code === 'auth-failed' && !passwordGiven
      ? `no password was given: set ${passwordEnv} or use --password-prompt`
      : adviceByCode[error.code];
  return `${error.code}: ${error.message}${advice ? ` (${advice})` : ''}`;
}
