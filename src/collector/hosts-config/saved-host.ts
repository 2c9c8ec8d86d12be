/**
 * A host as the user saved it. No secrets: a password or key passphrase is asked for (or
 * read from the environment) each time the host is used; only the auth method and the key's
 * path are kept.
 */
export interface SavedHost {
  /** Made once when the host is saved, never changed: the engine's, the contract's and the history's key. */
  id: string;
  /** What the admin calls it: any printable text, unique among the saved hosts. */
  name: string;
  /** null: this machine. */
  ssh: SavedSsh | null;
  /** Default qemu:///system. */
  libvirtUri: string;
  /** 1 to 60 s. */
  pollIntervalSec: number;
  /** The memory stats period the engine sets on balloons that have none, s; 0 turns that off. */
  memoryStatsPeriodSec: number;
}

export interface SavedSsh {
  host: string;
  port: number;
  username: string;
  auth: 'agent' | 'key' | 'password';
  /** For auth 'key'. */
  identityFile: string | null;
  /** known_hosts the host key is checked against; null: ~/.ssh/known_hosts. */
  knownHostsFile: string | null;
}

/** The config file cannot be read or holds something that is not a valid saved host. */
export class HostsConfigError extends Error {
  override readonly name = 'HostsConfigError';
}
