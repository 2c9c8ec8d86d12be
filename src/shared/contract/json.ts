/**
 * T with every part JSON cannot carry unchanged turned into never: bigint, functions,
 * symbols, and objects with methods (Date, Map). A reply or an event payload crosses
 * the WebSocket as JSON, so its type must be its own JsonSafe.
 */
export type JsonSafe<T> = T extends string | number | boolean | null | undefined
  ? T
  : T extends bigint | symbol | ((...args: never[]) => unknown)
    ? never
    : T extends object
      ? { [K in keyof T]: JsonSafe<T[K]> }
      : never;

/** True when T survives JSON.stringify and JSON.parse as the same type. */
export type IsJsonSafe<T> = [T] extends [JsonSafe<T>] ? true : false;

/**
 * Names the entries of a map whose `key` part is not JSON-safe; the contract asserts
 * this is never for its results and event payloads.
 */
export type NotJsonSafe<M, Key extends string> = {
  [N in keyof M]: M[N] extends Record<Key, infer V> ? (IsJsonSafe<V> extends true ? never : N) : N;
}[keyof M];

/** Compiles only when T is never: `AssertNever<NotJsonSafe<...>>`. */
export type AssertNever<T extends never> = T;
