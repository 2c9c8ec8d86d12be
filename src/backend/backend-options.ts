import type { HostSessionDeps } from '../collector/engine/host-session';
import type { EventSink } from '../shared/contract/event-hub';
import type { BackendRequestHandlers } from '../shared/contract/requests';
import type { AppVersion } from '../shared/app-version';
import type { MysqlLogin } from '../store/mysql/mysql-session';
import type { SecretStore } from '../store/secret-store';

export interface BackendOptions {
  appVersion: AppVersion;
  /** The SQLite history: in Electron's userData, or the XDG data dir (defaultDbPath). */
  dbPath: string;
  /** Where hosts.json, settings.json, sync.json and the console's known_hosts live. */
  configDir: string;
  /** Where SSH passwords and passphrases go; never hosts.json or the history. */
  secrets: SecretStore;
  /** The pages' events, by topic: main's windows, serve's sockets (an EventHub). */
  events?: EventSink;
  /** One line per thing worth telling the admin; never carries a secret. */
  log?: (line: string) => void;
  /** The local libvirt socket whose absence the first start reports. */
  libvirtSocketPath?: string;
  /** For tests: the engine's dependencies (timeouts, connectors). */
  engine?: HostSessionDeps;
  /** The OpenSSH config whose hosts the connect dialog offers (default ~/.ssh/config). */
  sshConfigPath?: string;
  /** For tests: the pause between MySQL sync rounds, ms. */
  syncIntervalMs?: number;
  /** A central database to read the fleet from, beside the hosts this console polls. */
  central?: CentralFleetOptions;
}

/** Where the fleet is read from: `setmov serve --central URL`, and the reading's pace. */
export interface CentralFleetOptions {
  /** A read-only account is enough (SELECT on the central database). */
  login: MysqlLogin;
  /** How often the central tables are read, ms (default 2 s). */
  refreshMs?: number;
  /** A host with no newer sample than this is shown stale, ms (default 60 s). */
  staleAfterMs?: number;
}

export interface Backend {
  readonly handlers: BackendRequestHandlers;
  /** Flushes the history and closes every SSH and libvirt connection, within 3 s. */
  close(): Promise<void>;
}
