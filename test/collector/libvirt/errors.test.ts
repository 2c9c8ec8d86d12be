import { describe, expect, it } from 'vitest';
import { LibvirtError } from '../../../src/collector/libvirt/errors';

const fields = {
  code: 1,
  domain: 10,
  level: 2,
  str1: null,
  str2: null,
  str3: null,
  int1: -1,
  int2: -1,
};

describe('LibvirtError', () => {
  it("keeps the daemon's text out of the terminal: no escapes, controls or bidi overrides", () => {
    const message = 'internal error\x1b]0;owned\x07\x1b[2J\r\nsecond\x9b31m\u202eline';
    const error = new LibvirtError({ ...fields, message });
    expect(error.message).toBe(
      'libvirt error 1 (VIR_ERR_INTERNAL_ERROR): internal error secondline',
    );
    expect(error.libvirtMessage).toBe('internal error secondline');
  });

  it("bounds the daemon's text", () => {
    const error = new LibvirtError({ ...fields, message: 'x'.repeat(100_000) });
    expect(error.libvirtMessage?.length).toBeLessThanOrEqual(1024);
    expect(error.message.length).toBeLessThan(1100);
  });
});
