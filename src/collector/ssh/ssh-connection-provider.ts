import { connectSsh } from './ssh-connection';
import type { SshConnection } from './ssh-connection';
import { SshError } from './ssh-errors';
import type { SshTarget } from './ssh-target';

/**
 * Hands out one live connection to a host, connecting again on demand after it died.
 * The /proc source and the libvirt client of a host share one, so a host costs one SSH
 * connection. It never retries on its own: the caller decides when (backoff is the
 * collector engine's job).
 */
export interface SshConnectionProvider {
  /** The open connection, or a new one (one attempt at a time, shared by concurrent callers). */
  get(): Promise<SshConnection>;
  /** The open connection, without connecting. */
  current(): SshConnection | null;
  /** Closes the connection; get() rejects afterwards. */
  close(): Promise<void>;
}

export function createSshConnectionProvider(
  target: SshTarget,
  connect: (target: SshTarget) => Promise<SshConnection> = connectSsh,
): SshConnectionProvider {
  let connection: SshConnection | null = null;
  let pending: Promise<SshConnection> | null = null;
  let closed = false;

  return {
    get() {
      if (closed)
        return Promise.reject(new SshError('closed', 'the SSH connection provider is closed'));
      if (connection && !connection.closed) return Promise.resolve(connection);
      pending ??= connect(target)
        .then(async (fresh) => {
          if (closed) {
            await fresh.close();
            throw new SshError('closed', 'the SSH connection provider is closed');
          }
          connection = fresh;
          return fresh;
        })
        .finally(() => {
          pending = null;
        });
      return pending;
    },
    current() {
      return connection && !connection.closed ? connection : null;
    },
    async close() {
      closed = true;
      const open = connection;
      connection = null;
      await open?.close();
    },
  };
}
