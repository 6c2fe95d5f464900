import { PageTitle } from './router.tsx';

/**
 * In the cloud the portal's OpenID Connect provider signs people in (authorization code with PKCE);
 * that flow is not built yet (docs/DESIGN.md, "The web app"), so the cloud build says where to sign in.
 */
export function CloudSignIn() {
  return (
    <main id="main">
      <PageTitle>Вход</PageTitle>
      <p>Войдите на портал Госуслуг, чтобы написать обращение или заказать звонок.</p>
    </main>
  );
}
