import { useCallback, useEffect, useRef, useState } from 'react';
import { LedgerDocument, type LedgerQuery } from '@quanzi/shared/graphql';
import { request } from '../api/client';
import { apiError, toApiError, type ApiError } from '../api/errors';
import { useSession } from './session';

export type LedgerItem = LedgerQuery['me']['ledger']['edges'][number]['node'];
export const LEDGER_PAGE_SIZE = 20;

export interface LedgerState {
  items: LedgerItem[];
  loading: boolean;
  refreshing: boolean;
  loadingMore: boolean;
  hasMore: boolean;
  /** Error of the first page (nothing to show). */
  error: ApiError | null;
  /** Error of a later page (the list stays; a retry row shows). */
  moreError: ApiError | null;
  refetch(): Promise<void>;
  loadMore(): Promise<void>;
}

/** The points history, newest first, a page at a time (infinite scroll). */
export function useLedger(): LedgerState {
  const { token } = useSession();
  const [items, setItems] = useState<LedgerItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [refreshing, setRefreshing] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [moreError, setMoreError] = useState<ApiError | null>(null);
  const seq = useRef(0);
  const busy = useRef(false);

  const loadFirst = useCallback(
    async (refresh: boolean) => {
      const id = ++seq.current;
      if (refresh) setRefreshing(true);
      else setLoading(true);
      try {
        const d = await request(LedgerDocument, { first: LEDGER_PAGE_SIZE, after: null });
        if (id !== seq.current) return;
        const conn = d.me.ledger;
        setItems(conn.edges.map((e) => e.node));
        setCursor(conn.pageInfo.endCursor);
        setHasMore(conn.pageInfo.hasNextPage);
        setError(null);
        setMoreError(null);
      } catch (e) {
        if (id !== seq.current) return;
        setError(toApiError(e));
        if (!refresh) setItems([]);
      } finally {
        if (id === seq.current) {
          setLoading(false);
          setRefreshing(false);
        }
      }
    },
    [],
  );

  useEffect(() => {
    if (!token) {
      seq.current++;
      setItems([]);
      setHasMore(false);
      setLoading(false);
      setError(apiError('UNAUTHENTICATED'));
      return;
    }
    void loadFirst(false);
  }, [token, loadFirst]);

  const loadMore = useCallback(async () => {
    if (busy.current || !hasMore || !cursor || loading) return;
    busy.current = true;
    const id = seq.current;
    setLoadingMore(true);
    try {
      const d = await request(LedgerDocument, { first: LEDGER_PAGE_SIZE, after: cursor });
      if (id !== seq.current) return;
      const conn = d.me.ledger;
      setItems((prev) => {
        const seen = new Set(prev.map((i) => i.id));
        return [...prev, ...conn.edges.map((e) => e.node).filter((n) => !seen.has(n.id))];
      });
      setCursor(conn.pageInfo.endCursor);
      setHasMore(conn.pageInfo.hasNextPage);
      setMoreError(null);
    } catch (e) {
      if (id === seq.current) setMoreError(toApiError(e));
    } finally {
      busy.current = false;
      setLoadingMore(false);
    }
  }, [cursor, hasMore, loading]);

  const refetch = useCallback(() => (token ? loadFirst(true) : Promise.resolve()), [token, loadFirst]);
  return { items, loading, refreshing, loadingMore, hasMore, error, moreError, refetch, loadMore };
}
