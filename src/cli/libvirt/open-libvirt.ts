import { DEFAULT_URI } from '../../collector/libvirt/connect';
import { connectLibvirtOver } from '../../collector/libvirt/connect-over';
import type { LibvirtConnection } from '../../collector/libvirt/libvirt-connection';
import { UsageError } from '../usage-error';

export interface LibvirtCliTarget {
  uri?: string;
  /** user@host[:port] */
  ssh?: string;
  identity?: string;
  knownHosts?: string;
  readOnly?: boolean;
  timeoutMs: number;
}

/** Connects as the CLI options say: locally by URI, or through the bed/host's sshd. */
export async function openLibvirt(target: LibvirtCliTarget): Promise<LibvirtConnection> {
  const common = {
    uri: target.uri ?? DEFAULT_URI,
    readOnly: target.readOnly ?? false,
    callTimeoutMs: target.timeoutMs,
    connectTimeoutMs: target.timeoutMs,
  };
  if (!target.ssh) {
    if (target.identity) throw new UsageError('--identity needs --ssh');
    return connectLibvirtOver(null, common);
  }
  const { parseSshDestination } = await import('../../collector/ssh/ssh-destination');
  let destination;
  try {
    destination = parseSshDestination(target.ssh);
  } catch (error) {
    throw new UsageError(`--ssh: ${(error as Error).message}`);
  }
  return connectLibvirtOver(
    {
      host: destination.host,
      port: destination.port,
      username: destination.username,
      auth: target.identity
        ? { method: 'key', privateKeyFile: target.identity }
        : { method: 'agent' },
      knownHostsFile: target.knownHosts,
      connectTimeoutMs: target.timeoutMs,
    },
    common,
  );
}
