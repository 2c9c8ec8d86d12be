import type { HostSource } from '../../collector/host/host-source';
import { LocalHostSource } from '../../collector/host/local-host-source';
import type { CollectOptions } from './collect-options';
import { sshTargetOf } from './ssh-login';

/** The source `collect` reads without the engine: this machine, or a host over SSH. */
export async function openSource(
  options: CollectOptions,
  env: NodeJS.ProcessEnv,
): Promise<HostSource> {
  if (options.ssh === null) return new LocalHostSource({ procRoot: options.procRoot });
  const target = sshTargetOf(options.ssh, options, env);
  // ssh2 loads only when a remote host is read.
  const { createSshHostSource } = await import('../../collector/ssh/ssh-host-source');
  return createSshHostSource(target);
}
