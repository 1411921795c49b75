import type { ViewerQuery } from '@quanzi/shared/graphql';
import { createStore, useStore } from './store';
import { readStorage, StorageKey, writeStorage } from './storage';

export type Viewer = NonNullable<ViewerQuery['viewer']>;

export interface SessionState {
  token: string | null;
  viewer: Viewer | null;
}

const store = createStore<SessionState>({
  token: readStorage<string>(StorageKey.token),
  viewer: readStorage<Viewer>(StorageKey.viewer),
});

/** The signed-in user: bearer token (Taro storage) and roles. Pages re-fetch when the token changes. */
export const session = {
  get: store.get,
  subscribe: store.subscribe,
  signIn(token: string, viewer: Viewer): void {
    writeStorage(StorageKey.token, token);
    writeStorage(StorageKey.viewer, viewer);
    store.set({ token, viewer });
  },
  setViewer(viewer: Viewer | null): void {
    writeStorage(StorageKey.viewer, viewer);
    store.set((s) => ({ ...s, viewer }));
  },
  signOut(): void {
    writeStorage(StorageKey.token, null);
    writeStorage(StorageKey.viewer, null);
    writeStorage(StorageKey.card, null);
    store.set({ token: null, viewer: null });
  },
};

export function useSession(): SessionState {
  return useStore(store);
}

/** Managers (HQ, region or store) may use the manager console. */
export function isManager(viewer: Viewer | null | undefined): boolean {
  return !!viewer && viewer.roles.some((r) => r.role === 'MANAGER');
}

/** Staff are users who may operate at least one store's till. */
export function isStaff(viewer: Viewer | null | undefined): boolean {
  return !!viewer && viewer.staffStores.length > 0;
}
