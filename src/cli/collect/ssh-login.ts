import { parseSshDestination } from '../../collector/ssh/ssh-destination';
import { SshDestinationError } from '../../collector/ssh/ssh-errors';
import type { SshAuth, SshTarget } from '../../collector/ssh/ssh-target';
import { UsageError } from '../usage-error';
import type { CollectOptions } from './collect-options';

/**
 * The SSH target of `collect --ssh`. Auth, in order: --identity (passphrase from
 * SETMOV_SSH_PASSPHRASE), the password in SETMOV_SSH_PASSWORD (set for this tool, so it
 * wins over an agent the session happens to have), the agent at SSH_AUTH_SOCK. Secrets
 * come from the environment, never from argv, where every user of the machine could
 * read them.
 */
export function sshTargetOf(
  ssh: string,
  options: CollectOptions,
  env: NodeJS.ProcessEnv,
): SshTarget {
  let destination;
  try {
    destination = parseSshDestination(ssh, { defaultUser: env.USER });
  } catch (error) {
    if (error instanceof SshDestinationError) throw new UsageError(error.message);
    throw error;
  }
  return {
    host: destination.host,
    port: destination.port,
    username: destination.username,
    auth: chooseAuth(options, env),
    ...(options.knownHostsFile === null ? {} : { knownHostsFile: options.knownHostsFile }),
  };
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
