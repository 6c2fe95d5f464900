import { useEffect, useState } from 'preact/hooks';
import { CloudCallback, CloudSignIn, isCallback } from '../shared/cloud-sign-in.tsx';
import { Layout } from '../shared/layout.tsx';
import { matchPath, navigate, usePath } from '../shared/router.tsx';
import { type Session, clearSession, readSession } from '../shared/session.ts';
import { LocalSignIn } from '../shared/sign-in-page.tsx';
import { SIGNED_OUT } from './client.ts';
import { InboxPage } from './inbox-page.tsx';
import { QueuePage } from './queue-page.tsx';
import { RequestPage } from './request-page.tsx';
import { SearchPage } from './search-page.tsx';
import { SECTIONS } from './sections.ts';

/** The operator's workspace at /ops/: every page needs a signed-in operator. */
export function App() {
  const path = usePath();
  const [session, setSession] = useState<Session | undefined>(() => readSession('operator'));
  useEffect(() => {
    const out = () => setSession(undefined);
    window.addEventListener(SIGNED_OUT, out);
    return () => window.removeEventListener(SIGNED_OUT, out);
  }, []);
  const signOut = () => {
    clearSession('operator');
    setSession(undefined);
    navigate('/ops/');
  };
  const request = matchPath('/ops/requests/:id', path);
  let page;
  if (!__LOCAL_SIGN_IN__ && isCallback('operator', path)) page = <CloudCallback face="operator" onSignedIn={setSession} />;
  else if (!session) page = __LOCAL_SIGN_IN__ ? <LocalSignIn face="operator" onSignedIn={setSession} /> : <CloudSignIn face="operator" />;
  else if (request) page = <RequestPage id={request.id as string} operatorId={session.user} />;
  else if (path === '/ops' || path === '/ops/') page = <QueuePage session={session} />;
  else if (path === '/ops/inbox') page = <InboxPage session={session} />;
  else if (path === '/ops/search') page = <SearchPage />;
  else
    page = (
      <main id="main">
        <h1 tabIndex={-1}>Страница не найдена</h1>
      </main>
    );
  const nav = session ? SECTIONS.map((s) => ({ href: s.path, label: s.label, current: s.path === path || (s.path === '/ops/inbox' && request !== undefined) || (s.path === '/ops/' && path === '/ops') })) : [];
  return (
    <Layout title="Поддержка Госуслуг · Рабочее место оператора" nav={nav} user={session?.user} onSignOut={signOut}>
      {page}
    </Layout>
  );
}
