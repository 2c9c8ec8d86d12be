import { describe, expect, it } from 'vitest';
import {
  HostKeyChangedError,
  HostKeyRevokedError,
  RemoteProcReadError,
  RemoteProcTooLargeError,
  SshAuthError,
  SshChannelError,
  SshDestinationError,
  SshError,
  SshKeyError,
  SshOutputTooLargeError,
  SshProtocolError,
  SshTimeoutError,
  SshUnreachableError,
  UnknownHostKeyError,
  isPermanentSshCode,
} from '../../../src/collector/ssh/ssh-errors';
import type { SshErrorCode } from '../../../src/collector/ssh/ssh-errors';

const host = 'root@kvm1:22';

describe('SshError.permanent', () => {
  it('is true where the user must act: host keys, credentials, key files, a bad destination', () => {
    const permanent: SshError[] = [
      new UnknownHostKeyError('kvm1', 'ssh-ed25519', 'SHA256:x', 'AAAA', '/k'),
      new HostKeyChangedError('kvm1', 'ssh-ed25519', 'SHA256:x', ['SHA256:y'], '/k', [3]),
      new HostKeyRevokedError('kvm1', 'SHA256:x', '/k'),
      new SshAuthError(host, ['publickey'], ['password']),
      new SshKeyError('key-unreadable', '/id', 'no such file'),
      new SshKeyError('key-invalid', '/id', 'not a key'),
      new SshKeyError('key-passphrase-needed', '/id', 'encrypted'),
      new SshKeyError('key-passphrase-wrong', '/id', 'wrong passphrase'),
      new SshError('known-hosts-unreadable', '/k: cannot read known_hosts (EACCES)'),
      new SshDestinationError('root@', 'no host'),
    ];
    for (const error of permanent) expect(error.permanent, error.code).toBe(true);
  });

  it('is false for what may pass: timeouts, a lost host, protocol, channel and /proc trouble', () => {
    const transient: SshError[] = [
      new SshTimeoutError(host, 'connect', 10_000),
      new SshTimeoutError(host, 'read', 10_000),
      new SshUnreachableError(host, 'ECONNREFUSED'),
      new SshProtocolError(host, 'no matching cipher'),
      new SshChannelError(host, 'an exec channel', 'administratively prohibited'),
      new SshOutputTooLargeError(host, 4 * 1024 * 1024),
      new RemoteProcReadError(host, 'diskstats', 'cannot be read'),
      new RemoteProcTooLargeError(host, 'stat', 4 * 1024 * 1024),
      new SshError('agent-unavailable', 'no SSH agent'),
      new SshError('closed', 'the host source is closed'),
    ];
    for (const error of transient) expect(error.permanent, error.code).toBe(false);
  });

  it('agrees with isPermanentSshCode, the one table behind it', () => {
    const codes: SshErrorCode[] = ['host-key-changed', 'auth-failed', 'timeout', 'proc-too-large'];
    expect(codes.map(isPermanentSshCode)).toEqual([true, true, false, false]);
    expect(codes.map((code) => new SshError(code, 'x').permanent)).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('RemoteProcTooLargeError', () => {
  it('is a RemoteProcReadError of its own code, naming the file and the limit', () => {
    const error = new RemoteProcTooLargeError(host, 'net/dev', 2_097_152);
    expect(error).toBeInstanceOf(RemoteProcReadError);
    expect(error).toMatchObject({ code: 'proc-too-large', file: 'net/dev', limitBytes: 2_097_152 });
    expect(error.message).toBe(
      'root@kvm1:22: /proc/net/dev: larger than 2097152 bytes, more than a real one can be; the reading is refused',
    );
    expect(new RemoteProcReadError(host, null, 'malformed reply: x').code).toBe('proc-read');
  });
});

describe('remote text in SSH errors', () => {
  const hostile = 'refused\x1b]0;owned\x07\x1b[2J\r\nby\x85 \u202eserver';

  it('is one printable line: no escapes, controls or bidi overrides', () => {
    for (const error of [
      new SshChannelError(host, 'an exec channel', hostile),
      new SshProtocolError(host, `SSH handshake failed: ${hostile}`),
      new SshUnreachableError(host, 'ECONNRESET', hostile),
      new RemoteProcReadError(host, null, `malformed reply: unexpected marker '${hostile}'`),
      new SshError('agent-unavailable', hostile),
    ]) {
      expect(error.message).toContain('refused by server');
      // eslint-disable-next-line no-control-regex -- none may be left
      expect(error.message).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
    }
  });

  it('is bounded', () => {
    const error = new SshChannelError(host, 'an exec channel', 'x'.repeat(1_000_000));
    expect(error.message.length).toBeLessThanOrEqual(2000);
  });
});
