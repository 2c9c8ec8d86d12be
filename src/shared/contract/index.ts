export { HTTP_REQUEST_PATH, REQUEST_CHANNEL, WS_PATH } from './channels';
export type { ContractClient } from './client';
export { dispatch } from './dispatch';
export type { InternalErrorSink } from './dispatch';
export { ContractError, isReply, unwrapReply } from './reply';
export type { ContractErrorBody, ContractErrorCode, Reply } from './reply';
export type { WsReplyFrame, WsRequestFrame } from './ws-frames';
export { isRequestName, requestValidators } from './request-validators';
export type { Validator } from './request-validators';
export type {
  RequestArgs,
  RequestHandlers,
  RequestMap,
  RequestName,
  RequestParams,
  RequestResult,
} from './requests';
export { createHttpClient } from './http-client';
export { createPreloadClient } from './preload-client';
