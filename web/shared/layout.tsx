import type { ComponentChildren } from 'preact';
import { Link } from './router.tsx';

/** The page frame: a skip link, the service name, the face's navigation, and who is signed in. */
export function Layout(props: {
  title: string;
  nav: { href: string; label: string; current: boolean }[];
  user?: string | undefined;
  onSignOut?: (() => void) | undefined;
  children: ComponentChildren;
}) {
  return (
    <>
      <a class="skip" href="#main">
        К содержанию
      </a>
      <header class="top">
        <div class="top-inner">
          <p class="brand">{props.title}</p>
          {props.user ? (
            <p class="who">
              <span>{props.user}</span>{' '}
              <button type="button" class="link-button" onClick={props.onSignOut}>
                Выйти
              </button>
            </p>
          ) : null}
        </div>
        {props.nav.length > 0 ? (
          <nav aria-label="Разделы">
            <ul>
              {props.nav.map((item) => (
                <li key={item.href}>
                  <Link href={item.href} aria-current={item.current ? 'page' : undefined}>
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
      </header>
      {props.children}
    </>
  );
}
