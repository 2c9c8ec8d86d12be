import { LibvirtProtocolError } from './errors';
import { decodePacket, type Packet } from './packet';
import { HEADER_BYTES, LENGTH_BYTES, MESSAGE_MAX } from './protocol';

const MIN_PACKET = LENGTH_BYTES + HEADER_BYTES;
const MAX_PACKET = LENGTH_BYTES + MESSAGE_MAX;

/**
 * Cuts a byte stream into packets, whatever the chunking: a packet split over several chunks
 * is held until complete, several packets in one chunk all come out. A length word outside
 * [header size, VIR_NET_MESSAGE_MAX] throws LibvirtProtocolError before anything is allocated
 * for it; after that the reader is poisoned, since the stream cannot be resynchronised.
 */
export class PacketReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private failed: LibvirtProtocolError | null = null;

  /** Bytes held for a packet not yet complete. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /**
   * `transient`: the chunk's memory is reused once push returns (a static read buffer). The
   * packets' bodies then stay valid only until the caller's next push, and whatever part of a
   * packet is left over is copied.
   */
  push(chunk: Buffer, transient = false): Packet[] {
    if (this.failed) throw this.failed;
    if (chunk.length === 0) return [];
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const packets: Packet[] = [];
    while (this.buffered >= LENGTH_BYTES) {
      const length = this.peekLength();
      if (length < MIN_PACKET || length > MAX_PACKET) {
        this.failed = new LibvirtProtocolError(
          `packet length ${length} outside ${MIN_PACKET}..${MAX_PACKET}: not libvirt's protocol or a corrupt stream`,
        );
        this.chunks = [];
        this.buffered = 0;
        throw this.failed;
      }
      if (this.buffered < length) break;
      packets.push(decodePacket(this.take(length)));
    }
    // Only the tail of this chunk can still be held; earlier chunks were copied when pushed.
    const last = this.chunks.length - 1;
    if (transient && last >= 0 && (this.chunks[last] as Buffer).buffer === chunk.buffer) {
      this.chunks[last] = Buffer.from(this.chunks[last] as Buffer);
    }
    return packets;
  }

  private peekLength(): number {
    const first = this.chunks[0] as Buffer;
    if (first.length >= LENGTH_BYTES) return first.readUInt32BE(0);
    const head = Buffer.concat(this.chunks, Math.min(this.buffered, 16)).subarray(0, LENGTH_BYTES);
    return head.readUInt32BE(0);
  }

  private take(length: number): Buffer {
    const first = this.chunks[0] as Buffer;
    let frame: Buffer;
    if (first.length >= length) {
      frame = first.subarray(0, length);
      if (first.length === length) this.chunks.shift();
      else this.chunks[0] = first.subarray(length);
    } else {
      frame = Buffer.allocUnsafe(length);
      let filled = 0;
      while (filled < length) {
        const chunk = this.chunks[0] as Buffer;
        const n = Math.min(chunk.length, length - filled);
        chunk.copy(frame, filled, 0, n);
        filled += n;
        if (n === chunk.length) this.chunks.shift();
        else this.chunks[0] = chunk.subarray(n);
      }
    }
    this.buffered -= length;
    return frame;
  }
}
