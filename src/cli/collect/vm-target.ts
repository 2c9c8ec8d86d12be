import type { HostTarget } from '../../collector/engine/host-target';
import type { CollectOptions } from './collect-options';
import { sshTargetOf } from './ssh-login';
import type { VmOptions } from './vm-options';

/** The engine's target for `collect`, with the same SSH login rules as the host-only path. */
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
  return { ...base, id: options.ssh, ssh: sshTargetOf(options.ssh, options, env) };
}
