import { connect, type Socket } from 'node:net';

/** A VNC session held open by rfbConnect; `localPort` is how QEMU and libvirt name the client. */
export interface RfbSession {
  readonly localPort: number;
  close(): Promise<void>;
}

/**
 * A VNC client's opening, enough for QEMU to count a connected client: RFB 003.008, security
 * type 1 (none), ClientInit (shared), ServerInit. Resolves once the handshake is done; the
 * caller ends the session with close().
 */
export async function rfbConnect(port: number, host = '127.0.0.1'): Promise<RfbSession> {
  const socket: Socket = connect({ host, port });
  let buffered = Buffer.alloc(0);
  await new Promise<void>((resolve, reject) => {
    let stage = 0;
    const timer = setTimeout(
      () => fail(new Error(`RFB handshake with port ${port} stalled at stage ${stage}`)),
      15_000,
    );
    const fail = (error: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    socket.on('error', fail);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (stage === 0 && buffered.length >= 12) {
        if (!buffered.subarray(0, 4).equals(Buffer.from('RFB ')))
          return fail(new Error('not an RFB server'));
        buffered = buffered.subarray(12);
        socket.write('RFB 003.008\n');
        stage = 1;
      }
      if (stage === 1 && buffered.length >= 1 && buffered.length >= 1 + (buffered[0] ?? 0)) {
        const types = [...buffered.subarray(1, 1 + (buffered[0] ?? 0))];
        if (!types.includes(1))
          return fail(new Error(`server offers no "none" security: ${types.join(',')}`));
        buffered = buffered.subarray(1 + types.length);
        socket.write(Buffer.from([1]));
        stage = 2;
      }
      if (stage === 2 && buffered.length >= 4) {
        if (buffered.readUInt32BE(0) !== 0) return fail(new Error('RFB security handshake failed'));
        buffered = buffered.subarray(4);
        socket.write(Buffer.from([1]));
        stage = 3;
      }
      if (
        stage === 3 &&
        buffered.length >= 24 &&
        buffered.length >= 24 + buffered.readUInt32BE(20)
      ) {
        stage = 4;
        clearTimeout(timer);
        // After the handshake the session only waits to be closed; a late reset is no failure.
        socket.off('error', fail);
        socket.on('error', () => undefined);
        resolve();
      }
    });
  });
  return {
    localPort: socket.localPort ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.end();
      }),
  };
}
