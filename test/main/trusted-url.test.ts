import { describe, expect, it } from 'vitest';
import { isAppUrl, isExternalWebUrl } from '../../src/main/trusted-url';

describe('isAppUrl', () => {
  const built = 'file:///opt/setmov/out/renderer/index.html';

  it('accepts the built page, with or without a hash, and nothing else on file:', () => {
    expect(isAppUrl(built, built)).toBe(true);
    expect(isAppUrl(`${built}#/hosts`, built)).toBe(true);
    expect(isAppUrl('file:///opt/setmov/out/renderer/other.html', built)).toBe(false);
    expect(isAppUrl('file:///etc/passwd', built)).toBe(false);
    expect(isAppUrl('https://example.com/', built)).toBe(false);
  });

  it("accepts the dev server's origin only", () => {
    const dev = 'http://localhost:5173/';
    expect(isAppUrl('http://localhost:5173/index.html', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppUrl('http://127.0.0.1:5173/', dev)).toBe(false);
  });

  it('treats unparsable URLs as foreign', () => {
    expect(isAppUrl('', built)).toBe(false);
    expect(isAppUrl('not a url', built)).toBe(false);
  });
});

describe('isExternalWebUrl', () => {
  it('lets only http(s) out', () => {
    expect(isExternalWebUrl('https://libvirt.org/')).toBe(true);
    expect(isExternalWebUrl('http://example.com/')).toBe(true);
    expect(isExternalWebUrl('file:///etc/passwd')).toBe(false);
    expect(isExternalWebUrl('smb://share/x')).toBe(false);
    expect(isExternalWebUrl('nonsense')).toBe(false);
  });
});
