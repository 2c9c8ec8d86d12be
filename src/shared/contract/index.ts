export { EVENT_CHANNEL, HTTP_REQUEST_PATH, REQUEST_CHANNEL, WS_PATH } from './channels';
export type { SetmovBridge } from './bridge';
export type { ContractClient } from './client';
export { dispatch } from './dispatch';
export type { InternalErrorSink } from './dispatch';
export { EventListeners } from './event-listeners';
export { EventHub } from './event-hub';
export type { DeliverEvent, EventSink, EventSubscriber } from './event-hub';
export { hostTopic, topicOf, TOPIC_PATTERN, vmTopic } from './topics';
export type { Topic } from './topics';
export type { EventListener, EventMap, EventName, EventPayload, PublishEvent } from './events';
export { createHttpClient } from './http-client';
export type { HttpClientOptions, WebSocketLike } from './http-client';
export { createPreloadClient } from './preload-client';
export { ContractError, isReply, unwrapReply } from './reply';
export type { ContractErrorBody, ContractErrorCode, Reply } from './reply';
export { isRequestName, requestValidators } from './request-validators';
export { adminOnlyRequests, mayCall, readOnlyRequests } from './request-roles';
export type { Role } from './request-roles';
export { requestSchemas } from './schemas';
export type {
  ExportParams,
  HistoryParams,
  HostSettings,
  HostUpdate,
  RetentionSettings,
  Settings,
  SyncSetParams,
  SyncTargetInput,
} from './schemas';
export type { Validator } from './request-validators';
export type {
  RequestArgs,
  BackendRequestHandlers,
  CompleteRequestHandlers,
  PageRequestName,
  RequestHandler,
  RequestHandlers,
  RequestInput,
  RequestMap,
  RequestName,
  RequestParams,
  RequestResult,
} from './requests';
export type { ExportResult, HistoryResult, SyncTestResult } from './requests';
export { isWsEventFrame, wsEventFramesOf } from './ws-frames';
export type { WsEventFrame, WsReplyFrame, WsRequestFrame } from './ws-frames';
