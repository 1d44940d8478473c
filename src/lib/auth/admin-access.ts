// Which requests need a signed-in marketer, decided from the URL alone so the middleware can
// refuse them before any routing, page or action code runs.

/** The sign-in page: the one admin page open to everyone. */
export const signInPath = '/admin/sign-in';

/** What the guard does with a request that has no valid session. */
export type AdminAccess =
  /** Not an admin request: let it through. */
  | 'public'
  /** An admin page: send the browser to the sign-in page. */
  | 'page'
  /** An admin endpoint, form post or action: answer 401. */
  | 'endpoint';

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Decodes until nothing changes (a few rounds at most), so `%2561dmin` reads as `admin` too. */
function decodeFully(value: string): string {
  let decoded = value;
  for (let round = 0; round < 4; round++) {
    const next = decode(decoded);
    if (next === decoded) break;
    decoded = next;
  }
  return decoded;
}

/**
 * Whether an Astro action name belongs to an admin group. Every action group whose name starts
 * with "admin" (`admin.approve`, `adminPublish.run`, …) needs a session. Astro decodes each dotted
 * part once before looking the action up; the check decodes fully and looks at every
 * slash-separated part, so no spelling that could ever reach an admin action passes as public
 * (one that reaches none is merely refused early).
 */
export function isAdminActionName(name: string): boolean {
  return decodeFully(name)
    .split('/')
    .some((part) => /^admin/i.test((part.split('.')[0] ?? '').trim()));
}

/** The path as the router will see it: decoded, with repeated slashes folded, lower-cased for comparison. */
function routedPath(pathname: string): string {
  return decode(pathname).replace(/\/{2,}/g, '/').toLowerCase();
}

/** Whether a path is under /admin. */
export function isAdminPath(pathname: string): boolean {
  const path = routedPath(pathname);
  return path === '/admin' || path.startsWith('/admin/');
}

/**
 * How the guard treats a request without a session. `action` is the name of the action Astro will
 * run for this request, as Astro itself reads it (`getActionContext(context).action?.name`: the
 * part after the last `/_actions/` of an RPC path, or the `_action` query of a form post), or null
 * when it runs none. It is taken from Astro rather than parsed here, so the guard and the action
 * router can never disagree about which action a request calls.
 */
export function classifyAdminRequest(url: URL, method: string, action: string | null): AdminAccess {
  if (action !== null && isAdminActionName(action)) return 'endpoint';
  if (!isAdminPath(url.pathname)) return 'public';
  const path = routedPath(url.pathname).replace(/\/+$/, '');
  // Signing in needs no session; signing out without one simply lands on the sign-in page.
  if (path === signInPath || path === '/admin/sign-out') return 'public';
  if (method !== 'GET' && method !== 'HEAD') return 'endpoint';
  if (path.startsWith('/admin/api/') || path === '/admin/api' || path.startsWith('/admin/photos/')) return 'endpoint';
  return 'page';
}

/** Where to return after signing in: an admin path on this site, never another origin. */
export function safeNextPath(value: string | null | undefined): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/admin/';
  if (/[\u0000-\u001f]/.test(value)) return '/admin/';
  if (!isAdminPath(value.split(/[?#]/)[0] ?? '')) return '/admin/';
  if (routedPath(value.split(/[?#]/)[0] ?? '').replace(/\/+$/, '') === signInPath) return '/admin/';
  return value;
}

/** The sign-in URL that brings the marketer back to where they were going. */
export function signInUrlFor(url: URL): string {
  return `${signInPath}?next=${encodeURIComponent(safeNextPath(url.pathname + url.search))}`;
}
