import { useState, type FormEvent } from 'react';
import { ApiError, useSession } from './lib/session';

export function LoginPage() {
  const { signIn, ended } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(username.trim(), password);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 429) {
        setError('Too many failed attempts. Wait a few minutes, or ask an administrator to reset your password.');
      } else if (failure instanceof ApiError && failure.status === 401) {
        setError('Wrong user name or password.');
      } else {
        setError('Switchboard did not answer. Try again in a moment.');
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="login">
      <form className="login-card" onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
        <h1 id="login-title">Sign in to Switchboard</h1>
        {ended && (
          <p className="notice" role="status">
            {ended}
          </p>
        )}
        <label htmlFor="username">User name</label>
        <input
          id="username"
          name="username"
          autoComplete="username"
          autoFocus
          required
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
