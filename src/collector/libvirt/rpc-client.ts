import type { Duplex } from 'node:stream';
import {
  LibvirtClosedError,
  LibvirtError,
  LibvirtProtocolError,
  LibvirtTimeoutError,
} from './errors';
import { writeDirect } from './direct-write';
import { encodePacket, type Packet } from './packet';
import { PacketReader } from './packet-reader';
import {
  KEEPALIVE_PROGRAM,
  Keepalive,
  MessageStatus,
  MessageType,
  PROTOCOL_VERSION,
  QEMU_PROGRAM,
  REMOTE_PROGRAM,
} from './protocol';
import { readRemoteError } from './remote-types';
import { takeStaticReads } from './static-reads';
import { XdrReader } from './xdr-reader';

export interface RpcClientOptions {
  /** Default timeout of a call, ms (default 30 000). */
  callTimeoutMs?: number;
  /** Ping the peer after this long without hearing from it, ms (default 5 000; 0 = never). */
  keepaliveIntervalMs?: number;
  /** Unanswered pings after which the peer is declared dead (default 5, as libvirt's). */
  keepaliveCount?: number;
  /** Called when an event message cannot be delivered (undecodable, handler threw). */
  onEventError?: (error: unknown) => void;
}

export type MessageHandler = (packet: Packet) => void;

/**
 * Turns a reply body into the call's result. Runs synchronously when the reply arrives, so the
 * body (a view into the received bytes) is never held past the packet's dispatch.
 */
export type ReplyDecoder<T> = (body: Buffer) => T;

interface PendingCall {
  program: number;
  procedure: number;
  resolve: (value: never) => void;
  reject: (error: Error) => void;
  decode: ReplyDecoder<unknown>;
  /** Date.now() after which the call times out. */
  deadline: number;
  timeoutMs: number;
}

/** A copy: the body may be a view into a read buffer that the next read overwrites. */
const copyBody: ReplyDecoder<Buffer> = (body) => Buffer.from(body);
/** Where the serial sits in a framed packet (after length, program, version, procedure, type). */
const SERIAL_OFFSET = 20;

const KNOWN_PROGRAMS = new Set([REMOTE_PROGRAM, QEMU_PROGRAM]);

/**
 * libvirt's RPC over any duplex byte stream: calls matched to replies by serial (several in
 * flight), a timeout on every call, event messages handed to subscribers, keepalive. Any breach
 * of the protocol closes the connection and rejects every pending call with the typed error.
 */
export class RpcClient {
  private readonly reader = new PacketReader();
  private readonly pending = new Map<number, PendingCall>();
  private readonly handlers = new Map<string, Set<MessageHandler>>();
  private readonly closeListeners = new Set<(error: Error | null) => void>();
  private readonly callTimeoutMs: number;
  private readonly keepaliveIntervalMs: number;
  private readonly keepaliveCount: number;
  private readonly onEventError: (error: unknown) => void;
  private nextSerial = 1;
  private keepaliveTimer: NodeJS.Timeout | null = null;
  /**
   * One timer for every call's timeout, armed for the earliest deadline: a poll loop then costs
   * no timer work per call (a setTimeout per call showed up in profiles).
   */
  private timeoutTimer: NodeJS.Timeout | null = null;
  private timeoutTimerDeadline = Infinity;
  private lastHeardAt = Date.now();
  private unansweredPings = 0;
  private closedWith: Error | null | undefined = undefined;
  /** Our own record: not every Duplex (ssh2 channels) keeps `destroyed` accurate. */
  private streamClosed = false;

  constructor(
    private readonly stream: Duplex,
    options: RpcClientOptions = {},
  ) {
    this.callTimeoutMs = options.callTimeoutMs ?? 30_000;
    this.keepaliveIntervalMs = options.keepaliveIntervalMs ?? 5_000;
    this.keepaliveCount = options.keepaliveCount ?? 5;
    this.onEventError = options.onEventError ?? (() => undefined);
    if (!takeStaticReads(stream, (chunk) => this.onData(chunk, true))) {
      stream.on('data', (chunk: Buffer) => this.onData(chunk, false));
    }
    stream.on('end', () => this.onEnd());
    stream.on('close', () => {
      this.streamClosed = true;
      this.onEnd();
    });
    stream.on('error', (error: Error) =>
      this.fail(new LibvirtClosedError(`connection failed: ${error.message}`, { cause: error })),
    );
    if (this.keepaliveIntervalMs > 0) {
      this.keepaliveTimer = setInterval(() => this.keepaliveTick(), this.keepaliveIntervalMs);
      this.keepaliveTimer.unref();
    }
  }

  get isClosed(): boolean {
    return this.closedWith !== undefined;
  }

  /** Why the connection closed: null for a clean close, undefined while open. */
  get closeReason(): Error | null | undefined {
    return this.closedWith;
  }

  /** Runs `listener` once when the connection closes (at once if it already has). */
  onClose(listener: (error: Error | null) => void): () => void {
    if (this.closedWith !== undefined) {
      listener(this.closedWith);
      return () => undefined;
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Sends a call; resolves with the reply's XDR body, rejects with LibvirtError etc. */
  call(
    program: number,
    procedure: number,
    args?: Uint8Array,
    timeoutMs = this.callTimeoutMs,
  ): Promise<Buffer> {
    return this.callDecoded(program, procedure, args, copyBody, timeoutMs);
  }

  /** Sends a call; resolves with `decode(body)`, run as the reply arrives (its throw rejects). */
  callDecoded<T>(
    program: number,
    procedure: number,
    args: Uint8Array | undefined,
    decode: ReplyDecoder<T>,
    timeoutMs = this.callTimeoutMs,
  ): Promise<T> {
    const frame = encodePacket(
      { program, procedure, type: MessageType.Call, serial: 0, status: MessageStatus.Ok },
      args,
    );
    return this.send(frame, decode, timeoutMs);
  }

  /**
   * Sends a call framed in advance by encodePacket (any serial): the client writes its serial
   * into the frame. For calls repeated every poll, so their arguments are encoded once. The
   * frame is reused in place unless the stream still holds its previous write.
   */
  callFrame<T>(frame: Buffer, decode: ReplyDecoder<T>, timeoutMs = this.callTimeoutMs): Promise<T> {
    return this.send(
      this.stream.writableLength > 0 ? Buffer.from(frame) : frame,
      decode,
      timeoutMs,
    );
  }

  private send<T>(out: Buffer, decode: ReplyDecoder<T>, timeoutMs: number): Promise<T> {
    if (this.closedWith !== undefined) {
      return Promise.reject(this.closedError());
    }
    const serial = this.nextSerial;
    this.nextSerial = this.nextSerial === 0xffffffff ? 1 : this.nextSerial + 1;
    out.writeUInt32BE(serial, SERIAL_OFFSET);
    const program = out.readUInt32BE(4);
    const procedure = out.readInt32BE(12);
    const deadline = Date.now() + timeoutMs;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(serial, {
        program,
        procedure,
        resolve: resolve as (value: never) => void,
        reject,
        decode,
        deadline,
        timeoutMs,
      });
      this.armTimeout(deadline);
      writeDirect(this.stream, out);
    });
  }

  private armTimeout(deadline: number): void {
    if (deadline >= this.timeoutTimerDeadline) return;
    if (this.timeoutTimer) clearTimeout(this.timeoutTimer);
    this.timeoutTimerDeadline = deadline;
    // Unreferenced: the stream keeps the process alive while a call waits for its reply, and
    // toggling the timer's reference on every call was measurable in a poll loop.
    this.timeoutTimer = setTimeout(() => this.expireCalls(), Math.max(1, deadline - Date.now()));
    this.timeoutTimer.unref();
  }

  private expireCalls(): void {
    this.timeoutTimer = null;
    this.timeoutTimerDeadline = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const [serial, call] of this.pending) {
      if (call.deadline > now) {
        next = Math.min(next, call.deadline);
        continue;
      }
      this.pending.delete(serial);
      call.reject(
        new LibvirtTimeoutError(
          `no reply to procedure ${call.procedure} of program 0x${call.program.toString(16)} within ${call.timeoutMs} ms`,
        ),
      );
    }
    if (next !== Infinity) this.armTimeout(next);
  }

  private callSettled(serial: number): void {
    this.pending.delete(serial);
  }

  /**
   * Subscribes to event messages (type 2) of one procedure. Returns the unsubscribe. The
   * packet's body is valid only while the handler runs (decode it there, or copy it).
   */
  onMessage(program: number, procedure: number, handler: MessageHandler): () => void {
    const key = `${program}:${procedure}`;
    let set = this.handlers.get(key);
    if (!set) {
      set = new Set();
      this.handlers.set(key, set);
    }
    set.add(handler);
    return () => set.delete(handler);
  }

  /** Ends the stream and waits (up to `timeoutMs`) for the peer to close its side. */
  async close(timeoutMs = 2_000): Promise<void> {
    if (this.closedWith === undefined) this.settle(null);
    if (this.streamClosed || this.stream.destroyed) return;
    await new Promise<void>((resolve) => {
      // Some streams (ssh2 channels) never emit 'close' once destroyed: give up waiting then.
      const timer = setTimeout(() => {
        this.stream.destroy();
        resolve();
      }, timeoutMs);
      this.stream.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.stream.end();
    });
  }

  /** Closes at once with `error` (rejecting pending calls with it). */
  destroy(error: Error): void {
    this.fail(error);
  }

  private closedError(): Error {
    const reason = this.closedWith;
    if (reason) return reason;
    return new LibvirtClosedError('connection is closed');
  }

  /** `transient`: the chunk is a reused read buffer, so every packet is consumed right here. */
  private onData(chunk: Buffer, transient: boolean): void {
    if (this.closedWith !== undefined) return;
    this.lastHeardAt = Date.now();
    this.unansweredPings = 0;
    let packets: Packet[];
    try {
      packets = this.reader.push(chunk, transient);
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    for (const packet of packets) {
      if (this.closedWith !== undefined) return;
      this.dispatch(packet);
    }
  }

  private dispatch(packet: Packet): void {
    const { header } = packet;
    if (header.version !== PROTOCOL_VERSION) {
      this.fail(new LibvirtProtocolError(`unsupported protocol version ${header.version}`));
      return;
    }
    if (header.program === KEEPALIVE_PROGRAM) {
      this.onKeepalive(packet);
      return;
    }
    if (!KNOWN_PROGRAMS.has(header.program)) {
      this.fail(
        new LibvirtProtocolError(`unknown program 0x${(header.program >>> 0).toString(16)}`),
      );
      return;
    }
    if (header.type === MessageType.Reply) {
      this.onReply(packet);
    } else if (header.type === MessageType.Message) {
      this.onEventMessage(packet);
    } else {
      this.fail(new LibvirtProtocolError(`unexpected message type ${header.type} from the daemon`));
    }
  }

  private onReply({ header, body }: Packet): void {
    const call = this.pending.get(header.serial);
    // A reply to a call that already timed out: nothing waits for it any more.
    if (!call) return;
    if (call.program !== header.program || call.procedure !== header.procedure) {
      this.fail(
        new LibvirtProtocolError(
          `reply ${header.serial} is for procedure ${header.procedure}, the call was ${call.procedure}`,
        ),
      );
      return;
    }
    this.callSettled(header.serial);
    if (header.status === MessageStatus.Ok) {
      let value: unknown;
      try {
        value = call.decode(body);
      } catch (error) {
        call.reject(error as Error);
        return;
      }
      call.resolve(value as never);
    } else if (header.status === MessageStatus.Error) {
      try {
        const reader = new XdrReader(body);
        const fields = readRemoteError(reader);
        call.reject(new LibvirtError(fields));
      } catch (error) {
        call.reject(error as Error);
      }
    } else {
      this.fail(new LibvirtProtocolError(`reply with unexpected status ${header.status}`));
    }
  }

  private onEventMessage(packet: Packet): void {
    const set = this.handlers.get(`${packet.header.program}:${packet.header.procedure}`);
    if (!set) return;
    for (const handler of set) {
      try {
        handler(packet);
      } catch (error) {
        this.onEventError(error);
      }
    }
  }

  private onKeepalive({ header }: Packet): void {
    if (header.type !== MessageType.Message) {
      this.fail(new LibvirtProtocolError(`keepalive packet of type ${header.type}`));
    } else if (header.procedure === Keepalive.PING) {
      this.sendKeepalive(Keepalive.PONG);
    } else if (header.procedure !== Keepalive.PONG) {
      this.fail(new LibvirtProtocolError(`unknown keepalive procedure ${header.procedure}`));
    }
  }

  private sendKeepalive(procedure: number): void {
    writeDirect(
      this.stream,
      encodePacket({
        program: KEEPALIVE_PROGRAM,
        procedure,
        type: MessageType.Message,
        serial: 0,
        status: MessageStatus.Ok,
      }),
    );
  }

  private keepaliveTick(): void {
    if (this.closedWith !== undefined) return;
    if (Date.now() - this.lastHeardAt < this.keepaliveIntervalMs) return;
    if (this.unansweredPings >= this.keepaliveCount) {
      this.fail(
        new LibvirtTimeoutError(
          `peer is dead: no answer to ${this.unansweredPings} keepalive pings ${this.keepaliveIntervalMs} ms apart`,
        ),
      );
      return;
    }
    this.unansweredPings++;
    this.sendKeepalive(Keepalive.PING);
  }

  private onEnd(): void {
    if (this.closedWith !== undefined) return;
    if (this.reader.pendingBytes > 0) {
      this.fail(
        new LibvirtProtocolError(
          `connection closed in the middle of a packet (${this.reader.pendingBytes} bytes of it received)`,
        ),
      );
    } else {
      this.fail(new LibvirtClosedError('connection closed by the peer'));
    }
  }

  private fail(error: Error): void {
    if (this.closedWith !== undefined) return;
    this.settle(error);
    this.stream.destroy();
  }

  private settle(error: Error | null): void {
    this.closedWith = error;
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer);
    if (this.timeoutTimer) clearTimeout(this.timeoutTimer);
    this.timeoutTimer = null;
    const rejection = error ?? new LibvirtClosedError('connection closed');
    for (const call of this.pending.values()) call.reject(rejection);
    this.pending.clear();
    for (const listener of this.closeListeners) listener(error);
    this.closeListeners.clear();
  }
}
