import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/** A file a path names cannot be taken: it is not a regular file, or it is too large. */
export class BoundedFileError extends Error {
  override readonly name = 'BoundedFileError';
  constructor(
    readonly path: string,
    readonly limitBytes: number,
    /** Why, without the path: 'not a regular file', 'larger than the N bytes allowed'. */
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

/**
 * Reads a file whose path came from a user or a request (a CA bundle, a private key,
 * known_hosts, an ssh config), refusing what would block or fill memory: /dev/zero never
 * ends, a FIFO blocks until a writer comes, a huge file takes gigabytes. The checks are
 * made on the open handle, so the path cannot be swapped between check and read; a
 * file that grows after the check is still cut at the limit. Errors of the open itself
 * (ENOENT, EACCES) are thrown as they are, for the caller to say in its own words.
 */
export async function readBoundedFile(path: string, maxBytes: number): Promise<Buffer> {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new BoundedFileError(path, maxBytes, 'not a regular file');
    if (stat.size > maxBytes) {
      throw new BoundedFileError(path, maxBytes, `larger than the ${maxBytes} bytes allowed`);
    }
    // Room for one byte more than the stat said, to see a file that grew since; it may
    // grow up to the limit and one byte past it, which tells it is too large.
    let buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > maxBytes) {
          throw new BoundedFileError(path, maxBytes, `larger than the ${maxBytes} bytes allowed`);
        }
        const bigger = Buffer.alloc(Math.min(buffer.length * 2, maxBytes + 1));
        buffer.copy(bigger);
        buffer = bigger;
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}
