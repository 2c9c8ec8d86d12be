import { describe, expect, it } from 'vitest';
import { REDACTED, SecretRedactor } from '../../../src/main/log/redact';

describe('SecretRedactor', () => {
  it('takes secrets out of text by their shape', () => {
    const r = new SecretRedactor();
    expect(r.text('connect mysql://sync:S3cr3t!@db.example:3306/setmov failed')).toBe(
      `connect mysql://sync:${REDACTED}@db.example:3306/setmov failed`,
    );
    expect(r.text('options {"password":"hunter22","user":"root"}')).toBe(
      `options {"password":"${REDACTED}","user":"root"}`,
    );
    expect(r.text('passphrase=open-sesame&user=x')).toBe(`passphrase=${REDACTED}&user=x`);
    expect(r.text('GET /api/health?token=0123abcd')).toBe(`GET /api/health?token=${REDACTED}`);
    expect(r.text('Authorization: Bearer eyJhbGciOi.x.y')).toBe(
      `Authorization: Bearer ${REDACTED}`,
    );
    const pem =
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----';
    expect(r.text(`key ${pem} read`)).toBe(`key ${REDACTED} read`);
  });

  it('takes out every remembered secret wherever it appears', () => {
    const r = new SecretRedactor();
    r.remember('correct horse');
    r.remember('horse');
    expect(r.text('auth failed for "correct horse" (horse)')).toBe(
      `auth failed for "${REDACTED}" (${REDACTED})`,
    );
    r.forget('horse');
    expect(r.text('a horse')).toBe('a horse');
    r.remember('ab');
    expect(r.text('tab')).toBe('tab');
  });

  it('copies objects, errors and arrays with secret keys and values blanked', () => {
    const r = new SecretRedactor();
    r.remember('pw-in-a-message');
    const cause = new Error('inner pw-in-a-message');
    const error = Object.assign(new Error('ssh: pw-in-a-message rejected', { cause }), {
      level: 'client-authentication',
      password: 'x',
    });
    const circular: Record<string, unknown> = { host: 'kvm1', auth: { passphrase: 'pp' } };
    circular['self'] = circular;
    const out = r.value([error, circular, new Map([['Private_Key', 'k']]), 42, null]) as unknown[];

    const copy = out[0] as Error & { level: string; password: string };
    expect(copy).toBeInstanceOf(Error);
    expect(copy.message).toBe(`ssh: ${REDACTED} rejected`);
    expect(copy.stack).not.toContain('pw-in-a-message');
    expect((copy.cause as Error).message).toBe(`inner ${REDACTED}`);
    expect(copy.level).toBe('client-authentication');
    expect(copy.password).toBe(REDACTED);
    expect(out[1]).toEqual({ host: 'kvm1', auth: { passphrase: REDACTED }, self: '[circular]' });
    expect(out[2]).toEqual(new Map([['Private_Key', REDACTED]]));
    expect(out.slice(3)).toEqual([42, null]);
    expect(error.message).toBe('ssh: pw-in-a-message rejected');
    expect(circular['auth']).toEqual({ passphrase: 'pp' });
  });
});
