import { addressList, type MysqlTarget } from './mysql/mysql-target';

/**
 * Where secrets (SSH passwords, key passphrases, MySQL passwords) are kept at rest. The
 * desktop app keeps them with Electron's safeStorage (encrypted by the OS keyring, in
 * src/main); serve and the CLI keep them in FileSecretStore (a 0600 file, not encrypted).
 * Contract for every implementation:
 * - get returns null for a key never set or deleted; set replaces; delete of a missing key
 *   is not an error.
 * - A failure to read or write is a typed error that names the store's file, never the
 *   secret; nothing already stored is lost by a failed set or delete.
 * - Values never leave through a log line, an error message, a reply or an event: callers
 *   ask for the one secret they are about to use.
 */
export interface SecretStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * The key a target's MySQL password is kept under, e.g. `mysql:root@db1:3306/setmov`, or
 * `mysql:agent@db1:3306,db2:3306/setmov` for a cluster (one password for its nodes).
 */
export function mysqlSecretKey(target: MysqlTarget): string {
  return `mysql:${target.user}@${addressList(target)}/${target.database}`;
}

/**
 * The key a saved host's SSH password or key passphrase is kept under, by the host's id
 * (a rename keeps it): `ssh-password#6f1c…`.
 */
export function sshSecretKey(kind: 'password' | 'passphrase', hostId: string): string {
  return `ssh-${kind}#${hostId}`;
}

/** Where an earlier version kept it, by the host's name: moved to sshSecretKey on loading. */
export function sshSecretKeyByName(kind: 'password' | 'passphrase', hostName: string): string {
  return `ssh-${kind}:${hostName}`;
}
