/**
 * Who is looking: GET /session gives the tenant and role of the key in use (or of the local
 * operator without API_KEYS). Where the service wants a key, the page asks for one and keeps it
 * for the browser session. Pages ask `useSession().can('operate')` before offering a control.
 */
import { createContext, useCallback, useContext, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, AUTH_REQUIRED, get } from '../api/client';
import { apiKey } from '../api/key';

export type Role = 'read' | 'operate' | 'admin';
const ROLES: readonly Role[] = ['read', 'operate', 'admin'];

export interface Session {
  readonly tenant: string | null;
  readonly role: Role;
  readonly can: (needed: Role) => boolean;
  readonly signOut: () => void;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside <SessionGate>');
  return session;
}

type State =
  | { readonly kind: 'loading' }
  | { readonly kind: 'key'; readonly reason: string | null }
  | { readonly kind: 'ready'; readonly tenant: string | null; readonly role: Role }
  | { readonly kind: 'failed'; readonly message: string };

/** Renders its children once the caller is known, else the key form. */
export function SessionGate({ children }: { readonly children: ReactNode }): ReactNode {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const load = useCallback(() => {
    get<{ tenant: string | null; role: Role }>('/session').then(
      ({ tenant, role }) => setState({ kind: 'ready', tenant, role }),
      (err: unknown) => {
        if (err instanceof ApiError && (err.status === 401 || err.status === 403))
          setState({ kind: 'key', reason: apiKey.get() ? err.message : null });
        else setState({ kind: 'failed', message: err instanceof Error ? err.message : String(err) });
      },
    );
  }, []);
  useEffect(() => {
    load();
    const required = (): void => setState({ kind: 'key', reason: apiKey.get() ? 'the service refused the key' : null });
    window.addEventListener(AUTH_REQUIRED, required);
    return () => window.removeEventListener(AUTH_REQUIRED, required);
  }, [load]);

  if (state.kind === 'loading') return <p className="muted">Loading…</p>;
  if (state.kind === 'failed')
    return (
      <p role="alert" className="error">
        The service did not answer: {state.message}
      </p>
    );
  if (state.kind === 'key') return <KeyForm reason={state.reason} onKey={(key) => (apiKey.set(key), load())} />;
  const session: Session = {
    tenant: state.tenant,
    role: state.role,
    can: (needed) => ROLES.indexOf(state.role) >= ROLES.indexOf(needed),
    signOut: () => {
      apiKey.clear();
      setState({ kind: 'key', reason: null });
    },
  };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

function KeyForm({
  reason,
  onKey,
}: {
  readonly reason: string | null;
  readonly onKey: (key: string) => void;
}): ReactNode {
  const [key, setKey] = useState('');
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (key.trim()) onKey(key.trim());
  };
  return (
    <form className="card narrow" onSubmit={submit} aria-labelledby="key-title">
      <h1 id="key-title">API key</h1>
      <p>This service needs an API key. It is kept for this browser tab only.</p>
      {reason && (
        <p role="alert" className="error">
          {reason}
        </p>
      )}
      <label htmlFor="api-key">Key</label>
      <input id="api-key" type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} />
      <button type="submit">Sign in</button>
    </form>
  );
}
