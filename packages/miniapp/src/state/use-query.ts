import { useCallback, useEffect, useRef, useState } from 'react';
import type { TypedDocument } from '@quanzi/shared/graphql';
import { request } from '../api/client';
import { apiError, toApiError, type ApiError } from '../api/errors';
import { useSession } from './session';

export interface QueryResult<T> {
  data: T | null;
  error: ApiError | null;
  /** True while there is nothing to show yet. */
  loading: boolean;
  /** True while re-fetching with the previous data still shown (pull-to-refresh). */
  refreshing: boolean;
  /** True when `data` came from the offline fallback, not the server. */
  stale: boolean;
  refetch(): Promise<void>;
}

export interface QueryOptions<R> {
  /** Don't run (e.g. no store chosen yet). */
  skip?: boolean;
  /** Run without a signed-in user (default: wait for a token). */
  anonymous?: boolean;
  /** Called with fresh server data (e.g. to keep an offline copy). */
  onData?(data: R): void;
  /** Data to show when the request fails (e.g. the offline copy); null = show the error. */
  fallback?(error: ApiError): R | null;
}

/**
 * Runs a GraphQL query for the current session and re-runs it when the token or the variables change.
 * Without a token it stays idle and reports UNAUTHENTICATED, which PageShell renders as the sign-in state.
 */
export function useQuery<R, V>(doc: TypedDocument<R, V>, variables: V, options: QueryOptions<R> = {}): QueryResult<R> {
  const { token } = useSession();
  const [state, setState] = useState<{ data: R | null; error: ApiError | null; loading: boolean; refreshing: boolean; stale: boolean }>({
    data: null,
    error: null,
    loading: true,
    refreshing: false,
    stale: false,
  });
  const seq = useRef(0);
  const opts = useRef(options);
  opts.current = options;
  const varsKey = JSON.stringify(variables ?? {});
  const vars = useRef(variables);
  vars.current = variables;
  const active = !options.skip && (!!token || !!options.anonymous);

  const run = useCallback(
    async (refresh: boolean) => {
      const id = ++seq.current;
      setState((s) => ({ ...s, loading: !refresh || s.data === null, refreshing: refresh && s.data !== null, error: refresh ? s.error : null }));
      try {
        const data = await request(doc, vars.current);
        if (id !== seq.current) return;
        opts.current.onData?.(data);
        setState({ data, error: null, loading: false, refreshing: false, stale: false });
      } catch (e) {
        if (id !== seq.current) return;
        const error = toApiError(e);
        const fallback = opts.current.fallback?.(error) ?? null;
        setState((s) => ({
          data: fallback ?? (refresh ? s.data : null),
          error,
          loading: false,
          refreshing: false,
          stale: fallback !== null || (refresh && s.data !== null),
        }));
      }
    },
    [doc],
  );

  useEffect(() => {
    if (!active) {
      seq.current++;
      // Signed out beats skipped: the page shows its sign-in state.
      const error = !token && !opts.current.anonymous ? apiError('UNAUTHENTICATED') : null;
      setState({ data: null, error, loading: false, refreshing: false, stale: false });
      return;
    }
    void run(false);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active, token, varsKey, run]);

  const refetch = useCallback(() => (active ? run(true) : Promise.resolve()), [active, run]);
  return { ...state, refetch };
}
