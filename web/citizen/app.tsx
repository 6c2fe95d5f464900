import { useEffect, useState } from 'preact/hooks';
import { CloudCallback, CloudSignIn, isCallback } from '../shared/cloud-sign-in.tsx';
import { Layout } from '../shared/layout.tsx';
import { matchPath, navigate, usePath } from '../shared/router.tsx';
import { type Session, clearSession, readSession } from '../shared/session.ts';
import { LocalSignIn } from '../shared/sign-in-page.tsx';
import { CallbackPage } from './callback-page.tsx';
import { SIGNED_OUT } from './client.ts';
import { HelpPage } from './help-page.tsx';
import { NotificationsPage } from './notifications-page.tsx';
import { useUnread } from './notifications.ts';
import { RequestPage } from './request-page.tsx';
import { RequestsPage } from './requests-page.tsx';
import { WritePage } from './write-page.tsx';

/**
 * The citizen's "Помощь и поддержка": the help page is public; the forms, "Мои обращения" and
 * "Уведомления" need a signed-in citizen. The unread count stands in the navigation's link.
 */
const NAV = [
  { href: '/', label: 'Помощь и поддержка' },
  { href: '/write', label: 'Написать обращение' },
  { href: '/callback', label: 'Заказать обратный звонок' },
  { href: '/requests', label: 'Мои обращения' },
];
const NOTIFICATIONS = '/notifications';

export function App() {
  const path = usePath();
  const [session, setSession] = useState<Session | undefined>(() => readSession('citizen'));
  useEffect(() => {
    const out = () => setSession(undefined);
    window.addEventListener(SIGNED_OUT, out);
    return () => window.removeEventListener(SIGNED_OUT, out);
  }, []);
  const unread = useUnread(session !== undefined, path);
  const links = session ? [...NAV, { href: NOTIFICATIONS, label: unread > 0 ? `Уведомления (${unread})` : 'Уведомления' }] : NAV;
  const nav = links.map((n) => ({ ...n, current: n.href === '/' ? path === '/' : path.startsWith(n.href) }));
  const signOut = () => {
    clearSession('citizen');
    setSession(undefined);
    navigate('/');
  };
  let page;
  const request = matchPath('/requests/:id', path);
  if (!__LOCAL_SIGN_IN__ && isCallback('citizen', path)) page = <CloudCallback face="citizen" onSignedIn={setSession} />;
  else if (path === '/') page = <HelpPage signedIn={session !== undefined} />;
  else if (!session) page = __LOCAL_SIGN_IN__ ? <LocalSignIn face="citizen" onSignedIn={setSession} /> : <CloudSignIn face="citizen" />;
  else if (path === '/write') page = <WritePage session={session} />;
  else if (path === '/callback') page = <CallbackPage session={session} />;
  else if (path === '/requests') page = <RequestsPage />;
  else if (path === NOTIFICATIONS) page = <NotificationsPage session={session} />;
  else if (request) page = <RequestPage id={request.id as string} session={session} />;
  else page = <NotFound />;
  return (
    <Layout title="Госуслуги · Помощь и поддержка" nav={nav} user={session?.identity?.fullName ?? session?.user} onSignOut={signOut}>
      {page}
    </Layout>
  );
}

function NotFound() {
  return (
    <main id="main">
      <h1 tabIndex={-1}>Страница не найдена</h1>
    </main>
  );
}
