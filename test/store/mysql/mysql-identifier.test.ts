import { describe, expect, it } from 'vitest';
import { quoteMysqlIdentifier } from '../../../src/store/mysql/mysql-identifier';
import { parseMysqlUrl } from '../../../src/store/mysql/mysql-target';

describe('quoteMysqlIdentifier', () => {
  it('puts a name in backticks and doubles a backtick in it', () => {
    expect(quoteMysqlIdentifier('setmov')).toBe('`setmov`');
    expect(quoteMysqlIdentifier('vdi-prod')).toBe('`vdi-prod`');
    expect(quoteMysqlIdentifier('a`b``c')).toBe('`a``b````c`');
    expect(quoteMysqlIdentifier("x'; DROP DATABASE y; --")).toBe("`x'; DROP DATABASE y; --`");
  });
});

describe('parseMysqlUrl takes only database names a MySQL identifier can hold', () => {
  it('takes hyphens, spaces inside, quotes, backticks, dots and BMP letters', () => {
    for (const name of ['vdi-prod', 'a b', "o'k", 'a`b', 'x.y', '데이터', 'é'.repeat(64)])
      expect(parseMysqlUrl(`mysql://root@h/${encodeURIComponent(name)}`).database).toBe(name);
  });

  it.each([
    ['longer than 64 characters', 'é'.repeat(65), /64 characters/],
    ['ending in a space', 'vdi%20', /ends with a space/],
    ['holding NUL', 'a%00b', /NUL/],
    ['holding a character beyond the BMP', 'vdi-%F0%9F%98%80', /U\+1F600/],
  ])('refuses a name %s', (_, path, reason) => {
    expect(() => parseMysqlUrl(`mysql://root@h/${path}`)).toThrow(
      expect.objectContaining({ code: 'bad-config', message: expect.stringMatching(reason) }),
    );
  });
});
