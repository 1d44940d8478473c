import type { APIContext } from 'astro';
import { ActionError } from 'astro:actions';
import type { SessionUser } from './session.ts';

/**
 * The signed-in marketer, for actions and endpoints to call themselves even though the
 * middleware already refused requests without a session (defence in depth). Throws a 401
 * ActionError when nobody is signed in.
 */
export function requireAdmin(context: Pick<APIContext, 'locals'>): SessionUser {
  const user = context.locals.user;
  if (!user) throw new ActionError({ code: 'UNAUTHORIZED', message: 'Sign in to continue.' });
  return user;
}

/** The 401 answer for admin endpoints and actions called without a session. */
export function unauthorizedResponse(): Response {
  return new Response('Sign in to continue.', {
    status: 401,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}
