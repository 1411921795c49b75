/**
 * A GraphQL operation as plain text that carries its result and variables types. Codegen writes one per
 * operation in `generated.ts`; clients send `query` and `operationName` as they are (no GraphQL runtime needed,
 * which keeps the mini-program small). The `__result`/`__variables` fields are phantom: never set at run time.
 */
export interface TypedDocument<TResult, TVariables> {
  readonly kind: 'query' | 'mutation';
  readonly operationName: string;
  readonly query: string;
  /** SHA-256 (hex) of `query`: its id in the trusted-document manifest (`persisted.json`), sent as Apollo's persistedQuery hash. */
  readonly sha256: string;
  readonly __result?: TResult;
  readonly __variables?: TVariables;
}

/** The `data` type of a document. */
export type ResultOf<D> = D extends TypedDocument<infer R, unknown> ? R : never;
/** The variables type of a document. */
export type VariablesOf<D> = D extends TypedDocument<unknown, infer V> ? V : never;
