import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import type { Socket } from 'node:net';

/**
 * A WebSocket opened by hand on a plain TCP socket, so a test can write frames no
 * well-behaved client (the `ws` package, a browser) would send.
 */
export function rawWebSocket(port: number, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('error', reject);
    socket.write(
      [
        'GET /api/ws HTTP/1.1',
        `Host: 127.0.0.1:${port}`,
        `Authorization: Bearer ${token}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        '',
        '',
      ].join('\r\n'),
    );
    let head = '';
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      if (head.startsWith('HTTP/1.1 101 ')) resolve(socket);
      else reject(new Error(`no upgrade: ${head.split('\r\n')[0] ?? ''}`));
    };
    socket.on('data', onData);
  });
}

/** One client frame (FIN set): masked unless told otherwise, as RFC 6455 §5.3 requires. */
export function clientFrame(opcode: number, payload: Buffer, masked = true): Buffer {
  const length = payload.length;
  const lengthBytes =
    length < 126
      ? Buffer.from([length])
      : length < 65536
        ? Buffer.from([126, length >> 8, length & 0xff])
        : Buffer.concat([Buffer.from([127]), bigEndian64(length)]);
  if (masked) lengthBytes[0] = (lengthBytes[0] as number) | 0x80;
  if (!masked) return Buffer.concat([Buffer.from([0x80 | opcode]), lengthBytes, payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] as number)));
  return Buffer.concat([Buffer.from([0x80 | opcode]), lengthBytes, mask, body]);
}

function bigEndian64(value: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(value));
  return bytes;
}

/**
 * The status code of the close frame the server sends, or null when the connection
 * ends without one. Server frames are unmasked; a close frame is opcode 8.
 */
export function serverCloseCode(socket: Socket): Promise<number | null> {
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      while (received.length >= 2) {
        const opcode = (received[0] as number) & 0x0f;
        const length = (received[1] as number) & 0x7f;
        // Replies to the tests' frames are short: a 7-bit length is all this needs to read.
        if (received.length < 2 + length) return;
        if (opcode === 8) {
          resolve(length >= 2 ? received.readUInt16BE(2) : null);
          socket.destroy();
          return;
        }
        received = received.subarray(2 + length);
      }
    });
    socket.on('close', () => resolve(null));
  });
}
