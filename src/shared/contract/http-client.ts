import { HTTP_REQUEST_PATH, WS_PATH } from './channels';
import type { ContractClient } from './client';
import { EventListeners } from './event-listeners';
import type { EventListener, EventName } from './events';
import { ContractError, isReply, unwrapReply } from './reply';
import type { RequestName, RequestResult } from './requests';
import { WatchedTopics } from './watched-topics';
import { wsEventFramesOf, type WsReplyFrame, type WsRequestFrame } from './ws-frames';

/** The part of the browser's WebSocket the client uses; `ws` provides it in Node. */
export interface WebSocketLike {
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  /** 1 once open (WebSocket.OPEN). */
  readonly readyState: number;
  send(data: string): void;
  close(): void;
}

const OPEN = 1;

export interface HttpClientOptions {
  fetch?: typeof fetch;
  /** Opens the event socket; the browser's WebSocket by default. */
  openWebSocket?: (url: string) => WebSocketLike;
  /** The pauses before opening a lost socket again, ms: doubled from the first to the last. */
  reconnectDelayMs?: { first: number; last: number };
}

/** A restarted `setmov serve` is usually back within seconds; nobody waits long for it. */
const RECONNECT_DELAY_MS = { first: 500, last: 10_000 };

function browserWebSocket(url: string): WebSocketLike {
  const { WebSocket } = globalThis as unknown as { WebSocket: new (url: string) => WebSocketLike };
  return new WebSocket(url);
}

/**
 * The contract in a browser, served by `setmov serve`: requests are POSTed and
 * answered with the same envelopes as IPC; events arrive on one WebSocket, opened
 * while anyone listens.
 */
export function createHttpClient(baseUrl: string, options: HttpClientOptions = {}): ContractClient {
  const fetchImpl = options.fetch ?? ((...args) => fetch(...args));
  const openWebSocket = options.openWebSocket ?? browserWebSocket;
  const endpoint = new URL(HTTP_REQUEST_PATH, baseUrl).href;
  const socketUrl = new URL(WS_PATH, baseUrl).href.replace(/^http/, 'ws');
  const listeners = new EventListeners();
  const delays = options.reconnectDelayMs ?? RECONNECT_DELAY_MS;
  let socket: WebSocketLike | undefined;
  /** When the socket was lost, while it is being opened again. */
  let lostAt: number | null = null;
  let retryDelayMs = delays.first;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let frameId = 0;
  // The subscription belongs to the socket: it is sent on it when it opens and on each change.
  const watched = new WatchedTopics(() => {
    if (socket?.readyState === OPEN) sendTopics(socket);
    syncSocket();
  });

  function sendTopics(open: WebSocketLike): void {
    const frame: WsRequestFrame = {
      id: `subscribe-${++frameId}`,
      name: 'events.subscribe',
      params: { topics: watched.all() },
    };
    open.send(JSON.stringify(frame));
  }

  function openEvents(): WebSocketLike {
    const opened = openWebSocket(socketUrl);
    opened.addEventListener('open', () => {
      if (watched.size > 0) sendTopics(opened);
      retryDelayMs = delays.first;
      if (lostAt !== null) {
        const downMs = Date.now() - lostAt;
        lostAt = null;
        listeners.emit('connection.restored', { downMs });
      }
    });
    // A refused or dropped socket is followed by its close, which handles it; without a
    // listener, Node's `ws` would throw the error instead.
    opened.addEventListener('error', () => undefined);
    opened.addEventListener('close', () => {
      if (socket !== opened) return;
      // Lost, not closed by syncSocket: open it again while anyone still listens.
      socket = undefined;
      lostAt ??= Date.now();
      clearTimeout(retryTimer);
      retryTimer = setTimeout(syncSocket, retryDelayMs);
      retryDelayMs = Math.min(retryDelayMs * 2, delays.last);
    });
    opened.addEventListener('message', ({ data }) => {
      let frame: unknown;
      try {
        frame = JSON.parse(String(data));
      } catch {
        return;
      }
      for (const event of wsEventFramesOf(frame)) listeners.emit(event.event, event.payload);
      const reply = (frame as Partial<WsReplyFrame>).reply;
      if (reply && 'error' in reply) console.error(`setmov: ${reply.error.message}`);
    });
    return opened;
  }

  /** The socket is open while anyone listens or watches a topic. */
  function syncSocket(): void {
    if (listeners.size > 0 || watched.size > 0) {
      socket ??= openEvents();
    } else if (socket) {
      const closing = socket;
      socket = undefined;
      closing.close();
    }
  }

  return {
    async request<N extends RequestName>(name: N, params?: unknown): Promise<RequestResult<N>> {
      let response: Response;
      try {
        response = await fetchImpl(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name, params }),
        });
      } catch {
        throw new ContractError('failed', `${name}: cannot reach the SETMOV server`);
      }
      const body: unknown = await response.json().catch(() => undefined);
      if (!isReply(body)) {
        throw new ContractError(
          'internal',
          `${name}: the server answered ${response.status} without a reply`,
        );
      }
      return unwrapReply(body) as RequestResult<N>;
    },
    subscribe<E extends EventName>(name: E, listener: EventListener<E>): () => void {
      const remove = listeners.add(name, listener);
      syncSocket();
      return () => {
        remove();
        syncSocket();
      };
    },
    watch: (topic) => watched.watch(topic),
  };
}
