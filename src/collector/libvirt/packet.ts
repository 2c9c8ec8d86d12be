import { HEADER_BYTES, LENGTH_BYTES, PROTOCOL_VERSION } from './protocol';

/** virNetMessageHeader. */
export interface PacketHeader {
  program: number;
  version: number;
  procedure: number;
  type: number;
  serial: number;
  status: number;
}

export interface Packet {
  header: PacketHeader;
  /** The XDR body; a view into the received bytes. */
  body: Buffer;
}

/** Frames a packet: length word (counting itself), header, body. */
export function encodePacket(
  header: Omit<PacketHeader, 'version'> & { version?: number },
  body: Uint8Array = new Uint8Array(0),
): Buffer {
  const total = LENGTH_BYTES + HEADER_BYTES + body.length;
  const out = Buffer.allocUnsafe(total);
  out.writeUInt32BE(total, 0);
  out.writeUInt32BE(header.program >>> 0, 4);
  out.writeUInt32BE(header.version ?? PROTOCOL_VERSION, 8);
  out.writeInt32BE(header.procedure, 12);
  out.writeInt32BE(header.type, 16);
  out.writeUInt32BE(header.serial >>> 0, 20);
  out.writeInt32BE(header.status, 24);
  out.set(body, LENGTH_BYTES + HEADER_BYTES);
  return out;
}

/** Reads the header of a whole packet (length word included) whose size was already checked. */
export function decodePacket(frame: Buffer): Packet {
  return {
    header: {
      program: frame.readUInt32BE(4),
      version: frame.readUInt32BE(8),
      procedure: frame.readInt32BE(12),
      type: frame.readInt32BE(16),
      serial: frame.readUInt32BE(20),
      status: frame.readInt32BE(24),
    },
    body: frame.subarray(LENGTH_BYTES + HEADER_BYTES),
  };
}
