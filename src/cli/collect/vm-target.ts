import type { HostTarget } from '../../collector/engine/host-target';
import { parseSshDestination } from '../../collector/ssh/ssh-destination';
import { SshDestinationError } from '../../collector/ssh/ssh-errors';
import type { SshAuth } from '../../collector/ssh/ssh-target';
import { UsageError } from '../usage-error';
import type { CollectOptions } from './collect-options';
import type { VmOptions } from './vm-options';

/**
 * The engine's target for `collect`: the same SSH rules as the host-only path (open-source.ts):
 * --identity (passphrase in SETMOV_SSH_PASSPHRASE), else SETMOV_SSH_PASSWORD, else the agent.
 */
export function collectTarget(
  options: CollectOptions,
  vm: VmOptions,
  env: NodeJS.ProcessEnv,
): HostTarget {
  const base = {
    pollIntervalMs: options.intervalMs,
    ...(vm.uri === null ? {} : { libvirtUri: vm.uri }),
  };
  if (options.ssh === null) return { ...base, id: 'local', ssh: null };
  let destination;
  try {
    destination = parseSshDestination(options.ssh, { defaultUser: env.USER });
  } catch (error) {
    if (error instanceof SshDestinationError) throw new UsageError(error.message);
    throw error;
  }
  return {
    ...base,
    id: options.ssh,
    ssh: {
      host: destination.host,
      port: destination.port,
      username: destination.username,
      auth: chooseAuth(options, env),
      ...(options.knownHostsFile === null ? {} : { knownHostsFile: options.knownHostsFile }),
    },
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
