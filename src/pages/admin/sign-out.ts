import type { APIRoute } from 'astro';
import { getDatabase } from '../../lib/server/platform/database.ts';
import { getEnvironment } from '../../lib/server/platform/env.ts';
import { deleteSessionCookie, invalidateSession, invalidateUserSessions, useSecureCookies } from '../../lib/server/auth/session.ts';

export const prerender = false;

/** Signs out: ends this session, or with `everywhere=1` every session of the account. */
export const POST: APIRoute = async (context) => {
  const { session } = context.locals;
  if (session) {
    const db = await getDatabase();
    const form = await context.request.formData().catch(() => null);
    if (form?.get('everywhere') === '1') await invalidateUserSessions(db, session.userId);
    else await invalidateSession(db, session.id);
  }
  deleteSessionCookie(context.cookies, useSecureCookies(getEnvironment().SITE_URL));
  return context.redirect('/admin/sign-in?signed-out=1', 303);
};

/** A bookmarked sign-out link changes nothing: signing out needs a POST. */
export const GET: APIRoute = (context) => context.redirect('/admin/', 303);
