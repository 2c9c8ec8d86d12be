import { execFile, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import type { ClientChannel } from 'ssh2';
import type { ExecResult, SshConnection } from '../../../src/collector/ssh/ssh-connection';

/**
 * An SshConnection whose commands run in a local /bin/sh with a chosen PATH: real shells
 * and real awks, without SSH, so the host source's fault paths (no awk, a reader that
 * hangs or dies) can be driven where an sshd offers no such switch.
 */
export function localShellConnection(env: NodeJS.ProcessEnv): SshConnection {
  const emitter = new EventEmitter();
  const connection = Object.assign(emitter, {
    destination: 'local-shell',
    hostKeyFingerprint: 'SHA256:none',
    closed: false,
    closeReason: null,
    exec(command: string): Promise<ExecResult> {
      return new Promise((resolve) => {
        execFile(
          '/bin/sh',
          ['-c', command],
          { env, encoding: 'buffer' },
          (error, stdout, stderr) => {
            const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
            resolve({ stdout, stderr: stderr.toString(), exitCode: code });
          },
        );
      });
    },
    async execStream(command: string): Promise<ClientChannel> {
      const child = spawn('/bin/sh', ['-c', command], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      const channel = new Duplex({
        read() {
          child.stdout.resume();
        },
        write(chunk, _encoding, callback) {
          if (child.stdin.writable) child.stdin.write(chunk, callback);
          else callback();
        },
        final(callback) {
          child.stdin.end();
          callback();
        },
      });
      child.stdin.on('error', () => undefined);
      child.stdout.on('data', (chunk: Buffer) => {
        if (!channel.push(chunk)) child.stdout.pause();
      });
      child.on('close', (code) => {
        channel.emit('exit', code);
        channel.push(null);
        channel.destroy();
      });
      return Object.assign(channel, {
        stderr: child.stderr,
        close: () => child.kill('SIGKILL'),
      }) as unknown as ClientChannel;
    },
    openUnixSocket(): Promise<Duplex> {
      return Promise.reject(new Error('not supported by the local shell'));
    },
    async close() {
      connection.closed = true;
      emitter.emit('close', null);
    },
  });
  return connection as unknown as SshConnection;
}
