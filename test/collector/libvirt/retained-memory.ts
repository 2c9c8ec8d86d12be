import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// The collector's own process has no --expose-gc; a test asks V8 for the function instead of
// needing its worker started with it.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Bytes still reachable after full collections: the JS heap (strings, objects) and ArrayBuffer
 * memory (Buffers, typed arrays such as the interner's words), which heapUsed leaves out.
 */
export function retainedBytes(): number {
  for (let i = 0; i < 3; i++) gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

export const MiB = 1 << 20;
