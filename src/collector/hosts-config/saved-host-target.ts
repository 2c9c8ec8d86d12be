import type { HostTarget } from '../engine/host-target';
import type { SshAuth } from '../ssh/ssh-target';
import { HostsConfigError, type SavedHost } from './saved-host';

/** Secrets for a saved host, supplied at use time (environment, a prompt, main's secret store). */
export interface HostSecrets {
  password?: string;
  passphrase?: string;
  agentSocket?: string;
}

/** The engine's target for a saved host, with the secrets of this use. */
export function savedHostTarget(host: SavedHost, secrets: HostSecrets = {}): HostTarget {
  const base = {
    id: host.id,
    libvirtUri: host.libvirtUri,
    pollIntervalMs: host.pollIntervalSec * 1000,
    memoryStatsPeriodSec: host.memoryStatsPeriodSec,
  };
  const ssh = host.ssh;
  if (!ssh) return { ...base, ssh: null };
  let auth: SshAuth;
  switch (ssh.auth) {
    case 'key':
      auth = {
        method: 'key',
        privateKeyFile: ssh.identityFile ?? '',
        ...(secrets.passphrase === undefined ? {} : { passphrase: secrets.passphrase }),
      };
      break;
    case 'password':
      if (secrets.password === undefined) {
        throw new HostsConfigError(`${host.name}: password authentication needs a password`);
      }
      auth = { method: 'password', password: secrets.password };
      break;
    case 'agent':
      auth = { method: 'agent', ...(secrets.agentSocket ? { socket: secrets.agentSocket } : {}) };
      break;
  }
  return {
    ...base,
    ssh: {
      host: ssh.host,
      port: ssh.port,
      username: ssh.username,
      auth,
      ...(ssh.knownHostsFile === null ? {} : { knownHostsFile: ssh.knownHostsFile }),
    },
  };
}
