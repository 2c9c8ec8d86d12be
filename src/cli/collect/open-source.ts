import type { HostSource } from '../../collector/host/host-source';
import { LocalHostSource } from '../../collector/host/local-host-source';
import type { SshAuth } from '../../collector/ssh/ssh-target';
import { UsageError } from '../usage-error';
import type { CollectOptions } from './collect-options';

/**
 * The source `collect` reads: this machine, or a host over SSH. SSH auth, in order:
 * --identity (passphrase from SETMOV_SSH_PASSPHRASE), the password in
 * SETMOV_SSH_PASSWORD (set for this tool, so it wins over an agent the session happens
 * to have), the agent at SSH_AUTH_SOCK. Secrets come from the environment, never from
 * argv, where every user of the machine could read them.
 */
export async function openSource(
  options: CollectOptions,
  env: NodeJS.ProcessEnv,
): Promise<HostSource> {
  if (options.ssh === null) return new LocalHostSource({ procRoot: options.procRoot });
  // ssh2 loads only when a remote host is read.
  const [{ parseSshDestination }, { SshDestinationError }, { createSshHostSource }] =
    await Promise.all([
      import('../../collector/ssh/ssh-destination'),
      import('../../collector/ssh/ssh-errors'),
      import('../../collector/ssh/ssh-host-source'),
    ]);
  let destination;
  try {
    destination = parseSshDestination(options.ssh, { defaultUser: env.USER });
  } catch (error) {
    if (error instanceof SshDestinationError) throw new UsageError(error.message);
    throw error;
  }
  return createSshHostSource({
    host: destination.host,
    port: destination.port,
    username: destination.username,
    auth: chooseAuth(options, env),
    ...(options.knownHostsFile === null ? {} : { knownHostsFile: options.knownHostsFile }),
  });
}

function chooseAuth(options: CollectOptions, env: NodeJS.ProcessEnv): SshAuth {
  if (options.identityFile !== null) {
    const passphrase = env.SETMOV_SSH_PASSPHRASE;
    return {
      method: 'key',
      privateKeyFile: options.identityFile,
      ...(passphrase ? { passphrase } : {}),
    };
  }
  if (env.SETMOV_SSH_PASSWORD !== undefined) {
    return { method: 'password', password: env.SETMOV_SSH_PASSWORD };
  }
  if (env.SSH_AUTH_SOCK) return { method: 'agent', socket: env.SSH_AUTH_SOCK };
  throw new UsageError(
    '--ssh needs a way to log in: --identity FILE, an agent (SSH_AUTH_SOCK) or SETMOV_SSH_PASSWORD',
  );
}
