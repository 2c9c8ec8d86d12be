/** Which runtime the native modules in node_modules must be built for. */
export type NativeRuntime = 'node' | 'electron';

/** What loading better-sqlite3 under plain Node showed about its compiled binary. */
export type NativeProbe =
  | { state: 'loads' }
  | { state: 'other-abi'; compiledAbi: number }
  | { state: 'broken'; detail: string };

export type NativeAction = 'none' | 'rebuild-for-node' | 'rebuild-for-electron';

/**
 * The ABI a binary was compiled for, from Node's refusal to load it: "was compiled
 * against a different Node.js version using NODE_MODULE_VERSION 139. This version of
 * Node.js requires NODE_MODULE_VERSION 115."
 */
export function compiledAbiFromError(message: string): number | undefined {
  const match =
    /compiled against a different Node\.js version using\s+NODE_MODULE_VERSION (\d+)/.exec(message);
  return match ? Number(match[1]) : undefined;
}

/**
 * What to do so better-sqlite3 loads in the wanted runtime, or nothing when it already
 * does: the check costs one `node -e` and the rebuild runs only on a switch.
 */
export function planNativeBuild(
  wanted: NativeRuntime,
  probe: NativeProbe,
  electronAbi: number,
): NativeAction {
  if (wanted === 'node') return probe.state === 'loads' ? 'none' : 'rebuild-for-node';
  if (probe.state === 'other-abi' && probe.compiledAbi === electronAbi) return 'none';
  return 'rebuild-for-electron';
}
