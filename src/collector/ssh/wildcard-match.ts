/**
 * OpenSSH's match_pattern: `*` matches any run of characters, `?` any one character, every
 * other character itself (case-sensitive: callers that match host names lowercase both, as
 * OpenSSH does). Greedy, going back only to the last `*` on a mismatch, so a pattern of m
 * characters and a text of n take O(n·m) steps at worst; a regex of `.*` runs backtracks
 * exponentially (`*a*a*a*a*a*a*a*a*a*b` took minutes).
 */
export function wildcardMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  /** Where the last `*` is, and the text position it currently stands for the end of. */
  let starAt = -1;
  let starText = 0;
  while (t < text.length) {
    const wanted = pattern[p];
    if (wanted === '*') {
      starAt = p++;
      starText = t;
    } else if (wanted !== undefined && (wanted === '?' || wanted === text[t])) {
      p++;
      t++;
    } else if (starAt >= 0) {
      // The last star takes one more character, and the rest of the pattern starts over.
      p = starAt + 1;
      t = ++starText;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}
