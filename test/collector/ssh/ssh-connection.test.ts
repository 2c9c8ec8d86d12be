import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSsh } from '../../../src/collector/ssh/ssh-connection';
import {
  SshError,
  SshKeyError,
  SshTimeoutError,
  SshUnreachableError,
} from '../../../src/collector/ssh/ssh-errors';
import type { SshTarget } from '../../../src/collector/ssh/ssh-target';

let dir: string;
let keyFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'setmov-sshconn-'));
  keyFile = join(dir, 'id');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile]);
  execFileSync('ssh-keygen', [
    '-q',
    '-t',
    'ed25519',
    '-N',
    'correct horse',
    '-f',
    join(dir, 'encrypted'),
  ]);
  writeFileSync(join(dir, 'garbage'), 'this is not a key\n');
  writeFileSync(join(dir, 'huge'), '');
  truncateSync(join(dir, 'huge'), 65 * 1024);
  execFileSync('mkfifo', [join(dir, 'fifo')]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function target(overrides: Partial<SshTarget> = {}): SshTarget {
  return {
    host: '127.0.0.1',
    port: 1,
    username: 'root',
    auth: { method: 'key', privateKeyFile: keyFile },
    knownHostsFile: join(dir, 'known_hosts'),
    connectTimeoutMs: 3_000,
    ...overrides,
  };
}

function sparse(name: string, bytes: number): string {
  const path = join(dir, name);
  writeFileSync(path, '');
  truncateSync(path, bytes);
  return path;
}

async function failure(t: SshTarget): Promise<{ error: SshError; ms: number }> {
  const started = performance.now();
  try {
    await connectSsh(t);
  } catch (error) {
    expect(error).toBeInstanceOf(SshError);
    return { error: error as SshError, ms: performance.now() - started };
  }
  throw new Error('connectSsh resolved');
}

async function listen(
  onSocket: (socket: Socket) => void,
): Promise<{ server: Server; port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, sockets };
}

async function shut(s: { server: Server; sockets: Socket[] }): Promise<void> {
  for (const socket of s.sockets) socket.destroy();
  await new Promise((resolve) => s.server.close(resolve));
}

describe('connectSsh without a server', () => {
  it('reports a host name that does not resolve as unreachable, quickly', async () => {
    const { error, ms } = await failure(target({ host: 'no-such-host.invalid', port: 22 }));
    expect(error).toBeInstanceOf(SshUnreachableError);
    expect((error as SshUnreachableError).reason).toMatch(/^(ENOTFOUND|EAI_AGAIN|EAI_NONAME)$/);
    expect(error.message).toContain('no-such-host.invalid');
    expect(ms).toBeLessThan(3_000);
  });

  it('reports a port with nothing listening as unreachable (ECONNREFUSED), quickly', async () => {
    const { server, port, sockets } = await listen(() => undefined);
    await shut({ server, sockets });
    const { error, ms } = await failure(target({ port }));
    expect(error).toBeInstanceOf(SshUnreachableError);
    expect((error as SshUnreachableError).reason).toBe('ECONNREFUSED');
    expect(ms).toBeLessThan(1_000);
  });

  it('times out a peer that accepts the connection and never speaks', async () => {
    const silent = await listen(() => undefined);
    try {
      const { error, ms } = await failure(target({ port: silent.port, connectTimeoutMs: 700 }));
      expect(error).toBeInstanceOf(SshTimeoutError);
      expect((error as SshTimeoutError).phase).toBe('connect');
      expect(ms).toBeGreaterThanOrEqual(600);
      expect(ms).toBeLessThan(2_500);
    } finally {
      await shut(silent);
    }
  });

  it('gives a typed error when the peer is not an SSH server', async () => {
    const http = await listen((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    try {
      const { error, ms } = await failure(target({ port: http.port }));
      expect(['protocol', 'unreachable']).toContain(error.code);
      expect(ms).toBeLessThan(2_500);
    } finally {
      await shut(http);
    }
  });
});

describe('connectSsh credentials, refused once the host key is verified', () => {
  /** An SSH server whose key known_hosts holds: a client gets as far as authentication. */
  let sshd: Server;
  let sshdPort: number;
  beforeAll(async () => {
    const hostKey = join(dir, 'sshd-host-key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
    sshd = new ssh2.Server({ hostKeys: [readFileSync(hostKey)] }, (client) => {
      client.on('error', () => undefined);
      client.on('authentication', (context) => context.reject());
    }) as unknown as Server;
    await new Promise<void>((resolve) => sshd.listen(0, '127.0.0.1', resolve));
    sshdPort = (sshd.address() as AddressInfo).port;
    const publicKey = readFileSync(`${hostKey}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
    writeFileSync(join(dir, 'sshd_known_hosts'), `[127.0.0.1]:${sshdPort} ${publicKey}\n`);
  });
  afterAll(() => new Promise((resolve) => sshd.close(resolve)));
  const atSshd = (overrides: Partial<SshTarget>): SshTarget =>
    target({ port: sshdPort, knownHostsFile: join(dir, 'sshd_known_hosts'), ...overrides });

  it.each([
    [
      'a missing key file',
      () => ({ method: 'key', privateKeyFile: join(dir, 'nope') }),
      'key-unreadable',
    ],
    [
      'a file that is not a key',
      () => ({ method: 'key', privateKeyFile: join(dir, 'garbage') }),
      'key-invalid',
    ],
    ['a public key', () => ({ method: 'key', privateKeyFile: `${keyFile}.pub` }), 'key-invalid'],
    // A key is a few KiB: a larger file, a device or a FIFO is not read (/dev/zero never ends).
    [
      'a key file over 64 KiB',
      () => ({ method: 'key', privateKeyFile: join(dir, 'huge') }),
      'key-unreadable',
    ],
    [
      '/dev/zero as the key',
      () => ({ method: 'key', privateKeyFile: '/dev/zero' }),
      'key-unreadable',
    ],
    [
      'a FIFO as the key',
      () => ({ method: 'key', privateKeyFile: join(dir, 'fifo') }),
      'key-unreadable',
    ],
    [
      'an encrypted key without passphrase',
      () => ({ method: 'key', privateKeyFile: join(dir, 'encrypted') }),
      'key-passphrase-needed',
    ],
    [
      'an encrypted key with a wrong passphrase',
      () => ({
        method: 'key',
        privateKeyFile: join(dir, 'encrypted'),
        passphrase: 'wrong-secret-123',
      }),
      'key-passphrase-wrong',
    ],
  ] as const)('rejects %s', async (_what, auth, code) => {
    const { error } = await failure(atSshd({ auth: auth() as SshTarget['auth'] }));
    expect(error).toBeInstanceOf(SshKeyError);
    expect(error.code).toBe(code);
    expect(error.message).not.toContain('wrong-secret-123');
    expect(error.message).not.toContain('correct horse');
  });

  it.each([
    ['/dev/zero', () => '/dev/zero', /not a regular file/],
    ['a FIFO', () => join(dir, 'fifo'), /not a regular file/],
    ['a file over 16 MiB', () => sparse('kh-huge', 16 * 1024 * 1024 + 1), /larger than/],
  ])('refuses %s as known_hosts, without reading it', async (_what, file, reason) => {
    const { error } = await failure(target({ knownHostsFile: file() }));
    expect(error.code).toBe('known-hosts-unreadable');
    expect(error.message).toMatch(reason);
  });

  it('decrypts a key with the right passphrase (and then fails only at the network)', async () => {
    const { error } = await failure(
      target({
        auth: {
          method: 'key',
          privateKeyFile: join(dir, 'encrypted'),
          passphrase: 'correct horse',
        },
        port: 1,
      }),
    );
    expect(error).toBeInstanceOf(SshUnreachableError);
  });

  it('rejects agent auth when there is no agent', async () => {
    const saved = process.env.SSH_AUTH_SOCK;
    delete process.env.SSH_AUTH_SOCK;
    try {
      const { error } = await failure(atSshd({ auth: { method: 'agent' } }));
      expect(error.code).toBe('agent-unavailable');
    } finally {
      if (saved !== undefined) process.env.SSH_AUTH_SOCK = saved;
    }
  });

  // The first failure on the way in is the reason: the connection's, not the agent's.
  it.each([
    ['no agent', () => ({ method: 'agent' })],
    ['a missing key file', () => ({ method: 'key', privateKeyFile: join(dir, 'nope') })],
  ] as const)('reports a refused connection before %s', async (_what, auth) => {
    const saved = process.env.SSH_AUTH_SOCK;
    delete process.env.SSH_AUTH_SOCK;
    try {
      const { error } = await failure(target({ port: 1, auth: auth() as SshTarget['auth'] }));
      expect(error).toBeInstanceOf(SshUnreachableError);
      expect((error as SshUnreachableError).reason).toBe('ECONNREFUSED');
    } finally {
      if (saved !== undefined) process.env.SSH_AUTH_SOCK = saved;
    }
  });

  it('rejects an unreadable known_hosts file', async () => {
    const { error } = await failure(target({ knownHostsFile: dir }));
    expect(error.code).toBe('known-hosts-unreadable');
  });
});
