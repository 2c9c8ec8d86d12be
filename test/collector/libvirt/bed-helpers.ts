import type { BedDescription } from '../../helpers/bed';

/** bed.json fields beyond BedDescription that up.sh writes. */
export interface BedLibvirtExtras {
  fleetUri?: string;
  fleetSize?: number;
  controlScript?: string;
}

export function libvirtExtras(bed: BedDescription): BedLibvirtExtras {
  return bed.libvirt as unknown as BedLibvirtExtras;
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs: number,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
