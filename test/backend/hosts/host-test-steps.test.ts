import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  SshAuthError,
  SshError,
  SshTimeoutError,
  SshUnreachableError,
} from '../../../src/collector/ssh/ssh-errors';

// The host answers TCP; its SSH connection then fails as each case says.
const ssh = vi.hoisted(() => ({ failure: null as Error | null }));
vi.mock('../../../src/collector/ssh/ssh-connection', () => ({
  connectSsh: async () => {
    throw ssh.failure;
  },
}));

const { testHost } = await import('../../../src/backend/hosts/host-test');

let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

async function stepsAfter(failure: Error) {
  ssh.failure = failure;
  const { result } = await testHost({
    id: 'h',
    ssh: { host: '127.0.0.1', port, username: 'u', auth: { method: 'agent' } },
  });
  return Object.fromEntries(result.steps.map((s) => [s.step, s]));
}

const where = 'u@127.0.0.1';

describe('testHost: the host-key step', () => {
  it.each([
    ['a reset connection', new SshUnreachableError(where, 'ECONNRESET')],
    ['a closed connection', new SshUnreachableError(where, 'CONNECTION_CLOSED')],
    ['a banner that never came', new SshTimeoutError(where, 'connect', 10_000)],
    ['a broken handshake', new SshError('protocol', `${where}: SSH handshake failed`)],
  ])('is not passed after %s, which came before the key was checked', async (_what, failure) => {
    const steps = await stepsAfter(failure);
    expect(steps['tcp']?.result).toBe('ok');
    expect(steps['host-key']?.result).toBe('failed');
    expect(steps['host-key']?.error).toBe(failure.message);
    expect(steps['auth']?.result).toBe('skipped');
  });

  it('is passed when authentication failed, which comes after the key was verified', async () => {
    const steps = await stepsAfter(new SshAuthError(where, ['agent'], ['publickey']));
    expect(steps['host-key']?.result).toBe('ok');
    expect(steps['auth']).toMatchObject({ result: 'failed', hint: 'auth-failed' });
  });
});

describe('testHost: hints', () => {
  it('names a refused TCP connection as such', async () => {
    const { result } = await testHost({
      id: 'h',
      ssh: { host: '127.0.0.1', port: 1, username: 'u', auth: { method: 'agent' } },
    });
    expect(result.steps[0]).toMatchObject({ step: 'tcp', result: 'failed', hint: 'refused' });
    expect(result.steps[0]?.error).toMatch(/ECONNREFUSED/);
  });

  it.each([
    [new SshError('agent-unavailable', 'no SSH agent'), 'auth', 'no-agent'],
    [new SshError('key-passphrase-needed', 'id: encrypted'), 'auth', 'key-encrypted'],
    [new SshError('key-unreadable', 'id: ENOENT'), 'auth', 'key-unreadable'],
    [new SshError('host-key-changed', 'HOST KEY CHANGED'), 'host-key', 'host-key-changed'],
    [new SshTimeoutError(where, 'connect', 10_000), 'host-key', 'timeout'],
  ])('names %s', async (failure, step, hint) => {
    const steps = await stepsAfter(failure);
    expect(steps[step]).toMatchObject({ result: 'failed', hint });
  });
});
