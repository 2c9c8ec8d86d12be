/**
 * What the renderer may take from the contract: the two clients, the error type and
 * the topic helpers, without the validators (zod stays in main and the server, out of
 * the page's bundle).
 */
export type { ContractClient } from './client';
export { createHttpClient } from './http-client';
export { createPreloadClient } from './preload-client';
export { ContractError } from './reply';
export type { EventName, EventPayload } from './events';
export { hostTopic, vmTopic } from './topics';
export type { Topic } from './topics';
export type { DeviceHistoryResult, RequestName, RequestResult } from './requests';
export type { HistoryParams, Settings } from './schemas';
export type { Role } from './request-roles';
