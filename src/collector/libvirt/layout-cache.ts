import type { TypedParamLayout } from './typed-params';

/** What one connection's layouts may hold, bytes: a few hundred domains with many devices. */
export const LAYOUTS_MAX_BYTES = 8 << 20;
/**
 * Largest layout kept, bytes: some 10,000 fields, a domain with hundreds of disks. A larger one
 * is decoded afresh each time rather than allowed to crowd out every other domain's.
 */
export const LAYOUT_MAX_BYTES = 1 << 20;
/** The Map entry and its UUID key. */
const ENTRY_OVERHEAD_BYTES = 128;

/**
 * Each domain's last field layout, by UUID: the next reply nearly always repeats it, and the
 * decoder then shares it instead of building one (see readTypedParams). Bounded in bytes, not
 * entries, since one layout may be a few fields or hundreds of thousands; when full, the layout
 * stored longest ago goes first, so domains that are gone age out while those polled come back.
 */
export class LayoutCache {
  private readonly byUuid = new Map<string, TypedParamLayout>();
  private heldBytes = 0;

  constructor(
    private readonly maxTotalBytes = LAYOUTS_MAX_BYTES,
    private readonly maxLayoutBytes = LAYOUT_MAX_BYTES,
  ) {}

  /** Memory the kept layouts hold, by their retainedBytes. */
  get retainedBytes(): number {
    return this.heldBytes;
  }

  get(uuid: string): TypedParamLayout | undefined {
    return this.byUuid.get(uuid);
  }

  /** Keeps `layout` as the domain's, in place of its previous one, if it fits. */
  set(uuid: string, layout: TypedParamLayout): void {
    const previous = this.byUuid.get(uuid);
    if (previous !== undefined) {
      this.byUuid.delete(uuid);
      this.heldBytes -= ENTRY_OVERHEAD_BYTES + previous.retainedBytes;
    }
    const cost = ENTRY_OVERHEAD_BYTES + layout.retainedBytes;
    if (cost > Math.min(this.maxLayoutBytes, this.maxTotalBytes)) return;
    for (const [oldest, kept] of this.byUuid) {
      if (this.heldBytes + cost <= this.maxTotalBytes) break;
      this.byUuid.delete(oldest);
      this.heldBytes -= ENTRY_OVERHEAD_BYTES + kept.retainedBytes;
    }
    this.byUuid.set(uuid, layout);
    this.heldBytes += cost;
  }
}
