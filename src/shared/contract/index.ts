export { EVENT_CHANNEL, HTTP_REQUEST_PATH, REQUEST_CHANNEL, WS_PATH } from './channels';
export type { SetmovBridge } from './bridge';
export type { ContractClient } from './client';
export { dispatch } from './dispatch';
export type { InternalErrorSink } from './dispatch';
export { EventListeners } from './event-listeners';
export type { EventListener, EventMap, EventName, EventPayload, PublishEvent } from './events';
export { createHttpClient } from './http-client';
export type { HttpClientOptions, WebSocketLike } from './http-client';
export { createPreloadClient } from './preload-client';
export { ContractError, isReply, unwrapReply } from './reply';
export type { ContractErrorBody, ContractErrorCode, Reply } from './reply';
export { isRequestName, requestValidators } from './request-validators';
export { requestSchemas } from './schemas';
export type { HistoryParams, HostSettings, HostUpdate, Settings } from './schemas';
export type { Validator } from './request-validators';
export type {
  RequestArgs,
  CompleteRequestHandlers,
  RequestHandler,
  RequestHandlers,
  RequestInput,
  RequestMap,
  RequestName,
  RequestParams,
  RequestResult,
} from './requests';
export type { HistoryResult } from './requests';
export { isWsEventFrame } from './ws-frames';
export type { WsEventFrame, WsReplyFrame, WsRequestFrame } from './ws-frames';
