import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// The host's sshd is a fake: its `cat /proc/loadavg` fails with hostile text on stderr.
vi.mock('../../../src/collector/ssh/ssh-connection', () => ({
  connectSsh: async () => ({
    exec: async () => ({
      stdout: Buffer.alloc(0),
      stderr: 'cat: /proc/loadavg: \x1b]0;owned\x07denied\x1b[2J\r\nby \u202epolicy\n',
      exitCode: 1,
    }),
    close: async () => undefined,
  }),
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

describe('testHost', () => {
  it("shows a host's stderr as one printable line", async () => {
    const { result } = await testHost({
      id: 'h',
      ssh: { host: '127.0.0.1', port, username: 'u', auth: { method: 'agent' } },
    });
    const proc = result.steps.find((s) => s.step === 'proc');
    expect(proc).toEqual({
      step: 'proc',
      result: 'failed',
      error: 'cat /proc/loadavg: cat: /proc/loadavg: denied by policy',
      hint: null,
    });
  });
});
