import { HTTP_REQUEST_PATH, WS_PATH } from './channels';
import type { ContractClient } from './client';
import { EventListeners } from './event-listeners';
import type { EventListener, EventName } from './events';
import { ContractError, isReply, unwrapReply } from './reply';
import type { RequestName, RequestResult } from './requests';
import { isWsEventFrame } from './ws-frames';

/** The part of the browser's WebSocket the client uses; `ws` provides it in Node. */
export interface WebSocketLike {
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close(): void;
}

export interface HttpClientOptions {
  fetch?: typeof fetch;
  /** Opens the event socket; the browser's WebSocket by default. */
  openWebSocket?: (url: string) => WebSocketLike;
}

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
  let socket: WebSocketLike | undefined;

  function openEvents(): WebSocketLike {
    const opened = openWebSocket(socketUrl);
    opened.addEventListener('message', ({ data }) => {
      let frame: unknown;
      try {
        frame = JSON.parse(String(data));
      } catch {
        return;
      }
      if (isWsEventFrame(frame)) listeners.emit(frame.event, frame.payload);
    });
    return opened;
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
      socket ??= openEvents();
      return () => {
        remove();
        if (listeners.size === 0) {
          socket?.close();
          socket = undefined;
        }
      };
    },
  };
}
