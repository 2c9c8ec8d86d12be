import type { RawData, WebSocket } from 'ws';
import type { ServeLimits } from './serve-limits';

/** Sent with the close of a page that lets too much wait unread (RFC 6455 1008: policy). */
export const TOO_SLOW_CLOSE_CODE = 1008;

type FlowLimits = Pick<ServeLimits, 'maxInFlight' | 'skipEventsBytes' | 'closeBytes'>;

/**
 * Events published in one turn of the event loop go to a page as one message, up to this
 * many characters: a refresh of 500 hosts was 1,000 messages, each a task of the page's
 * own. Bounded so that one message stays a short task to take in and skipping one (the
 * page is behind) skips little.
 */
const EVENTS_MESSAGE_CHARS = 64 * 1024;

/**
 * What one page's socket may hold of the server. Its requests are answered at most
 * maxInFlight at a time: a request counts until its reply is flushed to the socket, so
 * a page that sends without reading stops being read (ws pause) instead of piling up
 * dispatches and replies; reading resumes once half of them are flushed. Frames ws had
 * already read when it paused wait here, at most one socket read's worth.
 * What is sent to a page and not yet taken by it is bounded too: events are skipped
 * above skipEventsBytes, and above closeBytes the page is closed.
 */
export class WsPageFlow {
  private inFlight = 0;
  private readonly waiting: RawData[] = [];
  /** Event frames not sent yet, and their characters. */
  private events: string[] = [];
  private eventChars = 0;

  constructor(
    private readonly socket: WebSocket,
    private readonly limits: FlowLimits,
    private readonly answer: (data: RawData) => Promise<string>,
  ) {}

  /** A request frame the page sent. */
  received(data: RawData): void {
    // Closing (over the limit, or the server stopping): what it still sends is not answered.
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.inFlight >= this.limits.maxInFlight) this.waiting.push(data);
    else this.start(data);
  }

  /**
   * An event frame for the page, sent with the others of this turn of the event loop.
   * Events are snapshots (the next poll, the next status says everything the skipped one
   * did), so a page that is behind loses none it needs.
   */
  event(frame: () => string): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    const text = frame();
    if (this.eventChars > 0 && this.eventChars + text.length > EVENTS_MESSAGE_CHARS) {
      this.sendEvents();
    }
    if (this.events.length === 0) setImmediate(() => this.sendEvents());
    this.events.push(text);
    this.eventChars += text.length;
  }

  /** Sends the events waiting, as one message: before a reply, and when closing. */
  sendEvents(): void {
    const frames = this.events;
    if (frames.length === 0) return;
    this.events = [];
    this.eventChars = 0;
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > this.limits.skipEventsBytes) return;
    this.socket.send(frames.length === 1 ? (frames[0] as string) : `[${frames.join(',')}]`);
    this.closeIfBacklogged();
  }

  private start(data: RawData): void {
    this.inFlight += 1;
    if (this.inFlight >= this.limits.maxInFlight) this.socket.pause();
    void this.answer(data).then((text) => {
      if (this.socket.readyState !== this.socket.OPEN) return;
      // What was published before the answer reaches the page before it.
      this.sendEvents();
      this.socket.send(text, () => this.flushed());
      this.closeIfBacklogged();
    });
  }

  private flushed(): void {
    this.inFlight -= 1;
    if (this.socket.readyState !== this.socket.OPEN) return;
    while (this.inFlight < this.limits.maxInFlight && this.waiting.length > 0) {
      this.start(this.waiting.shift() as RawData);
    }
    const resumeAt = Math.floor(this.limits.maxInFlight / 2);
    if (this.socket.isPaused && this.waiting.length === 0 && this.inFlight <= resumeAt) {
      this.socket.resume();
    }
  }

  private closeIfBacklogged(): void {
    if (this.socket.bufferedAmount <= this.limits.closeBytes) return;
    this.socket.close(TOO_SLOW_CLOSE_CODE, `over ${size(this.limits.closeBytes)} unread`);
    // Read again, or the page's answer to the close would never be read and the socket
    // would stay open until ws gives up on it (30 s); received() drops its requests now.
    this.socket.resume();
  }
}

function size(bytes: number): string {
  const mib = 1024 * 1024;
  return bytes >= mib ? `${Math.round(bytes / mib)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}
