/**
 * Where secrets (the MySQL password) are kept at rest. The app implements it over
 * Electron's safeStorage in main; the CLI does not store secrets at all (it reads
 * SETMOV_MYSQL_PASSWORD or prompts). Store code only ever asks for the secret it needs.
 */
export interface SecretStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** The key a target's MySQL password is kept under, e.g. `mysql:root@db1:3306/setmov`. */
export function mysqlSecretKey(target: {
  user: string;
  host: string;
  port: number;
  database: string;
}): string {
  return `mysql:${target.user}@${target.host}:${target.port}/${target.database}`;
}
