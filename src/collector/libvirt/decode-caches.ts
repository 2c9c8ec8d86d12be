import { LayoutCache } from './layout-cache';
import { StringInterner } from './string-interner';
import { uuidToText } from './remote-types';

/** UUID texts kept: a host's domains several times over, some 600 KiB at most. */
const UUID_TEXTS_MAX = 4096;

/**
 * What one connection's decoding keeps from reply to reply: every poll returns the same
 * domains with the same fields, so their names, UUID texts and field layouts are found again
 * instead of being built again. Owned by the connection, so they go with it (a removed host
 * leaves nothing behind) and one daemon's replies cannot crowd out another's; each cache is
 * bounded in bytes, so one daemon cannot make them large either.
 */
export class DecodeCaches {
  readonly domainNames = new StringInterner();
  /** Typed-parameter names: the same few hundred come back in every poll. */
  readonly fieldNames = new StringInterner();
  readonly layouts = new LayoutCache();
  private readonly uuidTexts = new Map<string, string>();

  /** The canonical text of a UUID given as its 16 bytes in a latin1 string. */
  uuidText(latin1Bytes: string): string {
    let uuid = this.uuidTexts.get(latin1Bytes);
    if (uuid === undefined) {
      uuid = uuidToText(Buffer.from(latin1Bytes, 'latin1'));
      if (this.uuidTexts.size < UUID_TEXTS_MAX) this.uuidTexts.set(latin1Bytes, uuid);
    }
    return uuid;
  }
}
