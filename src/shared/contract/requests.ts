import type { AppVersion } from '../app-version';
import type { AssertNever, NotJsonSafe } from './json';

/**
 * Every request the renderer may make, by name: its params and its result.
 * A new request is one entry here, one validator in request-validators.ts and one
 * handler in the backend; main, preload, server and renderer pick it up from the types.
 * Results reach the renderer, and through `setmov serve` a browser: never put a
 * secret (password, passphrase, key) in one; secrets stay in main.
 */
export interface RequestMap {
  'app.getVersion': { params: undefined; result: AppVersion };
}

export type RequestName = keyof RequestMap;
export type RequestParams<N extends RequestName> = RequestMap[N]['params'];
export type RequestResult<N extends RequestName> = RequestMap[N]['result'];

/** Params are optional in calls only where the request takes none. */
export type RequestArgs<N extends RequestName> =
  RequestParams<N> extends undefined ? [params?: undefined] : [params: RequestParams<N>];

/** What the backend implements: one async function per request. */
export type RequestHandlers = {
  [N in RequestName]: (params: RequestParams<N>) => Promise<RequestResult<N>> | RequestResult<N>;
};

/** A result that JSON cannot carry (a bigint, a Date) fails to compile here, naming its request. */
export type ResultsAreJson = AssertNever<NotJsonSafe<RequestMap, 'result'>>;
