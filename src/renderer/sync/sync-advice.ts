import type { SyncErrorCode } from '../../shared/model/sync-status';
import type { MessageKey } from '../i18n/messages';

/**
 * What the admin does on this page about a sync failure, by its code: the backend's
 * message says what happened, never which button or command fixes it (the CLI words
 * its own advice).
 */
const adviceKeys = new Map<string, MessageKey>([
  ['unknown-database', 'sync.advice.unknownDatabase'],
  ['create-database-denied', 'sync.advice.createDatabaseDenied'],
  ['schema-missing', 'sync.advice.schemaMissing'],
  ['schema-old', 'sync.advice.schemaOld'],
] satisfies [SyncErrorCode, MessageKey][]);

export function syncAdviceKey(code: SyncErrorCode): MessageKey | null {
  return adviceKeys.get(code) ?? null;
}

/**
 * The advice for a failure the backend sent as text: a request's error or a test step's
 * carries the SyncError's code first ("schema-missing: …", see SyncService).
 */
export function syncAdviceKeyOf(text: string | null): MessageKey | null {
  const code = text?.match(/^([a-z-]+): /)?.[1];
  return code === undefined ? null : (adviceKeys.get(code) ?? null);
}
