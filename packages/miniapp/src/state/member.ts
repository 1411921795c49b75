import { MeDocument, TiersDocument, type MeQuery } from '@quanzi/shared/graphql';
import type { ApiError } from '../api/errors';
import { session } from './session';
import { readStorage, StorageKey, writeStorage } from './storage';
import { useQuery } from './use-query';

export type Member = MeQuery['me'];

interface CachedCard {
  token: string;
  me: Member;
}

/** The offline copy of the member (card + secret), only for the token that fetched it. */
function cachedMe(): MeQuery | null {
  const c = readStorage<CachedCard>(StorageKey.card);
  const token = session.get().token;
  return c && token && c.token === token ? { me: c.me } : null;
}

/**
 * The signed-in member. Keeps an offline copy so the card (and its rotating code, computed on the phone from
 * `codeSecret`) still shows without network.
 */
export function useMe() {
  return useQuery(
    MeDocument,
    {},
    {
      onData(d) {
        const token = session.get().token;
        if (token) writeStorage(StorageKey.card, { token, me: d.me } satisfies CachedCard);
      },
      fallback: (e: ApiError) => (e.code === 'NETWORK' ? cachedMe() : null),
    },
  );
}

export function useTiers() {
  return useQuery(TiersDocument, {}, { anonymous: true });
}
