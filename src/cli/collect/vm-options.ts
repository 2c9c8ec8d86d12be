import { UsageError } from '../usage-error';

export interface VmOptions {
  /** libvirt URI; null: qemu:///system. */
  uri: string | null;
  /** Only these VMs (by name); empty: all. */
  vmNames: string[];
}

export const vmUsage = `
VMs (read through the collector engine; needs --interval of at least 1):
  --uri URI               libvirt URI (default qemu:///system); over --ssh the SSH
                          connection carries it
  --vm NAME               only this VM (repeatable); default: every VM of the host
`;

/**
 * Takes `--uri` and `--vm` out of collect's arguments (the host options are parsed by
 * collect-options); the rest is returned untouched.
 */
export function splitVmOptions(args: readonly string[]): { vm: VmOptions; rest: string[] } {
  const vm: VmOptions = { uri: null, vmNames: [] };
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    if (flag !== '--uri' && flag !== '--vm') {
      rest.push(arg);
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined || value === '') throw new UsageError(`${flag} needs a value`);
    if (flag === '--uri') {
      if (vm.uri !== null) throw new UsageError('--uri may be given once');
      vm.uri = value;
    } else {
      vm.vmNames.push(value);
    }
  }
  return { vm, rest };
}
