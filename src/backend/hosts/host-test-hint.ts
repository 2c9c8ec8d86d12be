import { SshError, SshUnreachableError } from '../../collector/ssh/ssh-errors';
import type { HostTestHint } from '../../shared/model/host-view';

/** A system error's code (ECONNREFUSED, ...) as the connect step's errors carry it. */
const hintOfSystemCode: Record<string, HostTestHint> = {
  ECONNREFUSED: 'refused',
  ETIMEDOUT: 'timeout',
  EHOSTUNREACH: 'no-route',
  ENETUNREACH: 'no-route',
  ENOTFOUND: 'unknown-host',
  EAI_AGAIN: 'unknown-host',
  EAI_NONAME: 'unknown-host',
};

const hintOfSshCode: Partial<Record<SshError['code'], HostTestHint>> = {
  timeout: 'timeout',
  'auth-failed': 'auth-failed',
  'host-key-changed': 'host-key-changed',
  'host-key-revoked': 'host-key-changed',
  'agent-unavailable': 'no-agent',
  'key-unreadable': 'key-unreadable',
  'key-invalid': 'key-unreadable',
  'key-passphrase-needed': 'key-encrypted',
  'key-passphrase-wrong': 'key-encrypted',
};

/** Which common cause a host test's error is (the dialog words it), or null for the others. */
export function hostTestHint(error: unknown): HostTestHint | null {
  if (error instanceof SshUnreachableError) return hintOfSystemCode[error.reason] ?? null;
  if (error instanceof SshError) return hintOfSshCode[error.code] ?? null;
  const cause = error instanceof Error ? (error.cause as NodeJS.ErrnoException | undefined) : null;
  return hintOfSystemCode[String(cause?.code)] ?? null;
}
