/** The one IPC channel between preload and main; every request travels on it. */
export const REQUEST_CHANNEL = 'setmov:request';

/** HTTP route of `setmov serve` taking `{name, params}` and answering a reply envelope. */
export const HTTP_REQUEST_PATH = '/api/request';

/** WebSocket route of `setmov serve`: request frames now, events later. */
export const WS_PATH = '/api/ws';
