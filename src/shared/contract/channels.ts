/** The IPC channel of requests, renderer → main; every request travels on it. */
export const REQUEST_CHANNEL = 'setmov:request';

/** The IPC channel of events, main → renderer. */
export const EVENT_CHANNEL = 'setmov:event';

/** HTTP route of `setmov serve` taking `{name, params}` and answering a reply envelope. */
export const HTTP_REQUEST_PATH = '/api/request';

/** WebSocket route of `setmov serve`: request frames both ways, event frames from the server. */
export const WS_PATH = '/api/ws';
