/** How to reach and authenticate to a host over SSH. Secrets live only in main/CLI memory. */
export interface SshTarget {
  host: string;
  /** default 22 */
  port?: number;
  username: string;
  auth: SshAuth;
  /** Path of the known_hosts file host keys are checked against (default ~/.ssh/known_hosts). */
  knownHostsFile?: string;
  /** TCP connect + handshake timeout, ms (default 10 000). */
  connectTimeoutMs?: number;
  /** Interval of SSH keepalives, ms (default 10 000); the peer is dead after 3 missed. */
  keepaliveIntervalMs?: number;
  /** Missed keepalives after which the peer is declared dead (default 3). */
  keepaliveCountMax?: number;
  /**
   * A host key fingerprint (`SHA256:...`) the user has just accepted for this host: an
   * unknown key with exactly this fingerprint is let through instead of raising
   * UnknownHostKeyError. A changed or revoked key is still refused.
   */
  trustedHostKeyFingerprint?: string;
}

export type SshAuth =
  | { method: 'agent'; socket?: string }
  | { method: 'key'; privateKeyFile: string; passphrase?: string }
  | { method: 'password'; password: string };
