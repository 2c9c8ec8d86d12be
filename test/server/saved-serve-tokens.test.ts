import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { savedServeTokens } from '../../src/server/saved-serve-tokens';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'setmov-tokens-')), 'serve-tokens.json');

describe('savedServeTokens', () => {
  it('keeps the tokens from one start to the next, in a file only the user reads', async () => {
    const path = fresh();
    const first = await savedServeTokens(path, { renew: false });
    expect(first.admin).not.toBe(first.viewer);
    expect(await savedServeTokens(path, { renew: false })).toEqual(first);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('makes new ones when asked, and the old ones are gone', async () => {
    const path = fresh();
    const first = await savedServeTokens(path, { renew: false });
    const renewed = await savedServeTokens(path, { renew: true });
    expect(renewed.admin).not.toBe(first.admin);
    expect(renewed.viewer).not.toBe(first.viewer);
    expect(readFileSync(path, 'utf8')).not.toContain(first.admin);
  });

  it('replaces a damaged file and says so', async () => {
    const path = fresh();
    writeFileSync(path, '{"admin": "short", "viewer": "short"}', { mode: 0o600 });
    const reasons: string[] = [];
    const tokens = await savedServeTokens(path, {
      renew: false,
      onReplaced: (reason) => reasons.push(reason),
    });
    expect(tokens.admin).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(reasons).toEqual([expect.stringMatching(/serve-tokens\.json: admin: a serve token/)]);
  });
});
