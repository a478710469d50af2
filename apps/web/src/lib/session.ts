import { create } from 'zustand';
import { api, ApiError } from './api';
import { live } from './live';
import type { Me, Role } from './types';

interface SessionState {
  phase: 'loading' | 'signedOut' | 'signedIn';
  me: Me | null;
  /** Why the last session ended, shown on the login page (an expired token, a password changed elsewhere). */
  ended: string | null;
  load: () => Promise<void>;
  signIn: (username: string, password: string) => Promise<void>;
  signOut: () => void;
}

export const useSession = create<SessionState>((set, get) => ({
  phase: 'loading',
  me: null,
  ended: null,
  async load() {
    if (!api.bearer) {
      set({ phase: 'signedOut', me: null });
      return;
    }
    try {
      const me = await api.get<Me>('/api/auth/me');
      set({ phase: 'signedIn', me, ended: null });
      live.start();
    } catch {
      set({ phase: 'signedOut', me: null });
    }
  },
  async signIn(username, password) {
    const { token } = await api.post<{ token: string }>('/api/auth/login', { username, password });
    api.signIn(token);
    await get().load();
  },
  signOut() {
    // Signing out on purpose (a shared PC): the drafts go too. A session that merely ended keeps them.
    for (const key of Object.keys(localStorage)) if (key.startsWith('switchboard.draft.')) localStorage.removeItem(key);
    live.stop();
    api.signOut();
    set({ phase: 'signedOut', me: null, ended: null });
  },
}));

// A 401 anywhere (expired or revoked token): back to the login page, saying why; drafts stay in localStorage.
api.onSignedOut(() => {
  if (useSession.getState().phase !== 'signedIn') return;
  live.stop();
  useSession.setState({ phase: 'signedOut', me: null, ended: 'Your session has ended. Sign in again to go on.' });
});

export function hasRole(me: Me | null, ...roles: Role[]): boolean {
  return !!me && roles.some((role) => me.roles.includes(role));
}

export { ApiError };
