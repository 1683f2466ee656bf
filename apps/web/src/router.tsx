import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type AnchorHTMLAttributes,
  type MouseEvent,
  type ReactNode,
} from 'react';

/**
 * The app's few pages need paths, history and links, not a routing framework: this is that,
 * on the History API. A navigation moves focus to the new page's heading, so a screen reader
 * announces it as a page load would.
 */
interface Route {
  readonly path: string;
  readonly search: URLSearchParams;
  readonly navigate: (to: string, options?: { replace?: boolean }) => void;
}

const RouterContext = createContext<Route | undefined>(undefined);

/**
 * Set by a navigation: the next page title to appear takes focus (once its data has loaded, so
 * not at once), and a screen reader announces the new page.
 */
let focusNextTitle = false;

/** For the page title: whether it is the first since a navigation, and so takes focus. */
export function takeTitleFocus(): boolean {
  const take = focusNextTitle;
  focusNextTitle = false;
  return take;
}

const current = () => ({ path: window.location.pathname, search: window.location.search });

export function Router({ children }: { children: ReactNode }) {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const onPop = () => setLocation(current());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((to: string, options?: { replace?: boolean }) => {
    if (options?.replace) window.history.replaceState(null, '', to);
    else window.history.pushState(null, '', to);
    setLocation(current());
    window.scrollTo(0, 0);
    focusNextTitle = true;
  }, []);
  const value = useMemo<Route>(
    () => ({ path: location.path, search: new URLSearchParams(location.search), navigate }),
    [location, navigate],
  );
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRoute(): Route {
  const route = useContext(RouterContext);
  if (!route) throw new Error('useRoute outside Router');
  return route;
}

/** `/promises/:id` against a path: the named parts, or undefined when it does not match. */
export function match(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const part = want[i]!;
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(have[i]!);
    else if (part !== have[i]) return undefined;
  }
  return params;
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { readonly to: string };

/** A link within the app: a real `<a href>` (open in a new tab works), navigated in place. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const { navigate, path } = useRoute();
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  const here = path === to || (to !== '/' && path.startsWith(`${to}/`));
  return <a href={to} onClick={handle} aria-current={here ? 'page' : undefined} {...rest} />;
}
