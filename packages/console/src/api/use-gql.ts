import { useCallback, useEffect, useRef, useState } from 'react';
import type { TypedDocument } from '../graphql/typed-document';
import { ApiError, request } from './client';

/** Runs a query on mount and whenever the variables change; `reload` runs it again. */
export function useGql<R, V>(doc: TypedDocument<R, V>, variables: V, opts: { skip?: boolean } = {}) {
  const [data, setData] = useState<R | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(!opts.skip);
  const key = JSON.stringify(variables);
  const seq = useRef(0);
  const run = useCallback(async () => {
    if (opts.skip) return;
    const n = ++seq.current;
    setLoading(true);
    try {
      const d = await request(doc, JSON.parse(key) as V);
      if (n === seq.current) (setData(d), setError(null));
    } catch (e) {
      if (n === seq.current) setError(e instanceof ApiError ? e : new ApiError('INTERNAL', String(e)));
    } finally {
      if (n === seq.current) setLoading(false);
    }
  }, [doc, key, opts.skip]);
  useEffect(() => {
    void run();
  }, [run]);
  return { data, error, loading, reload: run };
}
