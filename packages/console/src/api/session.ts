/**
 * The console session: the token from the QR sign-in and when it expires, in sessionStorage (closing the tab signs
 * out). Listeners hear sign-in and sign-out (an expired token answered UNAUTHENTICATED).
 */
export interface Session {
  token: string;
  expiresAt: string;
  userId: string;
}

const KEY = 'quanzi.console.session';
const listeners = new Set<(s: Session | null) => void>();

function read(): Session | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Session | null;
    if (!s || Date.parse(s.expiresAt) <= Date.now()) return null;
    return s;
  } catch {
    return null;
  }
}

export function currentSession(): Session | null {
  return read();
}

export function currentToken(): string | null {
  return read()?.token ?? null;
}

export function saveSession(s: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(s));
  listeners.forEach((l) => l(s));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
  listeners.forEach((l) => l(null));
}

export function onSessionChange(l: (s: Session | null) => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
