import { useEffect, useState } from 'preact/hooks';
import { FormMessage } from './fields.tsx';
import type { OidcConfig } from './oidc.ts';
import { PageTitle, navigate } from './router.tsx';
import { type Face, type Session, saveSession } from './session.ts';

/**
 * In the cloud the portal's OpenID Connect provider signs people in (authorization code with PKCE,
 * web/shared/oidc.ts, loaded only when needed). /config.json (written by the CDK stack from
 * context) names the provider and the client id. The provider sends the browser back to
 * `<face>/auth/callback`.
 */
const callbackPath = (face: Face) => (face === 'operator' ? '/ops/auth/callback' : '/auth/callback');
const redirectUri = (face: Face) => `${location.origin}${callbackPath(face)}`;

async function loadConfig(): Promise<OidcConfig> {
  const res = await fetch('/config.json', { cache: 'no-cache' });
  if (!res.ok) throw new Error('config');
  return ((await res.json()) as { oidc: OidcConfig }).oidc;
}

export function isCallback(face: Face, path: string): boolean {
  return path === callbackPath(face);
}

export function CloudSignIn({ face }: { face: Face }) {
  const [error, setError] = useState<string>();
  async function start() {
    try {
      const { beginSignIn } = await import('./oidc.ts');
      location.assign(await beginSignIn(await loadConfig(), redirectUri(face), location.pathname, sessionStorage));
    } catch {
      setError('Вход сейчас недоступен. Попробуйте позже.');
    }
  }
  return (
    <main id="main">
      <PageTitle>Вход</PageTitle>
      <p>{face === 'citizen' ? 'Войдите через портал Госуслуг, чтобы написать обращение или заказать звонок.' : 'Войдите учётной записью сотрудника.'}</p>
      <button type="button" onClick={start}>
        Войти через портал
      </button>
      <FormMessage message={error} />
    </main>
  );
}

/** Back from the provider: trade the code for tokens, keep the session, go where the person was. */
export function CloudCallback({ face, onSignedIn }: { face: Face; onSignedIn: (session: Session) => void }) {
  const [error, setError] = useState<string>();
  useEffect(() => {
    void (async () => {
      try {
        const { completeSignIn } = await import('./oidc.ts');
        const result = await completeSignIn(await loadConfig(), new URL(location.href), redirectUri(face), sessionStorage);
        if (face === 'operator' && !result.roles.includes('operator')) throw new Error('not an operator');
        const session: Session = { token: result.token, user: result.user, role: face, ...(result.queues ? { queues: result.queues } : {}) };
        saveSession(session);
        onSignedIn(session);
        navigate(result.returnTo, { replace: true });
      } catch {
        setError('Войти не получилось. Попробуйте ещё раз.');
      }
    })();
  }, []);
  return (
    <main id="main">
      <PageTitle>Вход</PageTitle>
      {error ? <FormMessage message={error} /> : <p aria-busy="true">Входим…</p>}
    </main>
  );
}
