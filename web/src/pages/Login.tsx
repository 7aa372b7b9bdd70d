// The sign-in page: POST /api/v1/login sets the session cookie.

import { useState } from 'preact/hooks';
import { api, ApiError, type Session } from '../lib/api';
import { Logo } from '../components/Icon';
import { ErrorBanner } from '../components/ui';

export function LoginPage({ onSignedIn, notice }: { onSignedIn: (s: Session) => void; notice?: string }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!name.trim() || !password) {
      setError(new ApiError(400, 'Enter your name and password.', !name.trim() ? 'name' : 'password'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const s = await api.login(name.trim(), password);
      onSignedIn({ name: s.name, role: s.role, agent: s.agent });
    } catch (err) {
      setError(err as ApiError);
      setBusy(false);
    }
  };

  return (
    <div class="login-page">
      <form class="login-card" onSubmit={submit} noValidate aria-labelledby="login-title">
        <div class="login-brand">
          <Logo size={40} />
          <div>
            <h1 id="login-title">callq</h1>
            <p>Call queues, live.</p>
          </div>
        </div>
        {notice && !error && <div class="banner banner-info" role="status">{notice}</div>}
        {error && <ErrorBanner error={error.status === 401 ? 'Wrong name or password.' : error} />}
        <div class="field">
          <label for="login-name">Name</label>
          <input id="login-name" name="username" autoComplete="username" value={name}
            aria-invalid={error?.field === 'name' ? 'true' : undefined}
            onInput={(e) => setName(e.currentTarget.value)} autoFocus />
          <p class="field-hint">A manager account, or your agent id (e.g. alice).</p>
        </div>
        <div class="field">
          <label for="login-password">Password</label>
          <input id="login-password" name="password" type="password" autoComplete="current-password" value={password}
            aria-invalid={error?.field === 'password' ? 'true' : undefined}
            onInput={(e) => setPassword(e.currentTarget.value)} />
          <p class="field-hint">Agents use the password of their SIP account.</p>
        </div>
        <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p class="login-foot">callq · open-source call queues · Apache-2.0</p>
    </div>
  );
}
