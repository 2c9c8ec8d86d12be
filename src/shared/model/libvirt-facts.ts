/** What a host's libvirt daemon says of itself, read once per libvirt connection. */
export interface LibvirtFacts {
  /** The daemon's hostname; null when it would not say. */
  hostname: string | null;
  /** The daemon's libvirt version ("9.0.0"); null when it would not say. */
  libvirtVersion: string | null;
  /** The hypervisor's version (QEMU's for qemu:// URIs, "7.2.0"); null when unknown. */
  hypervisorVersion: string | null;
  /**
   * The machine's UUID from the daemon's capabilities (`<host><uuid>`, lower case): the same
   * under every saved host that reaches this daemon, so a machine added twice shows as one.
   * null when the daemon would not say or said something unreadable.
   */
  hostUuid: string | null;
}

/**
 * libvirt's encoding of a version, major * 1,000,000 + minor * 1,000 + micro, in words;
 * null for one that cannot be a version (zero: the driver has none, or past 2^53).
 */
export function versionText(encoded: number): string | null {
  if (!Number.isSafeInteger(encoded) || encoded <= 0) return null;
  const major = Math.floor(encoded / 1_000_000);
  const minor = Math.floor(encoded / 1_000) % 1_000;
  return `${major}.${minor}.${encoded % 1_000}`;
}
