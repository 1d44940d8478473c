import type { AstroCookies } from 'astro';
import { eq, lte, or } from 'drizzle-orm';
import type { Database } from '../../../../db/client.ts';
import { adminUsers, sessions } from '../../../../db/schema.ts';
import { generateToken, hashToken, isWellFormedToken } from '../../tokens.ts';
import { getEnvironment } from '../platform/env.ts';

// Sessions follow the Lucia guide (lucia-auth.com/sessions): a random token in an httpOnly
// cookie, only its SHA-256 in the database, sliding expiry up to an absolute lifetime.

const day = 24 * 60 * 60 * 1000;

/** How long a session lasts without use. */
export const sessionLifetimeMs = 30 * day;

/**
 * How long after sign-in a session ends however much it is used (SESSION_MAX_AGE_DAYS, default
 * 30): a stolen cookie cannot be kept alive by using it, and the admin signs in again.
 */
export function sessionMaxAgeMs(): number {
  return getEnvironment().SESSION_MAX_AGE_DAYS * day;
}

/** A session used when less than this remains is extended to a full lifetime again. */
export const sessionRenewalThresholdMs = 15 * day;

/**
 * The cookie that carries the session token. Where cookies are Secure (https) it has the
 * `__Host-` prefix: browsers then keep it only if it is Secure, for Path=/ and without Domain, so
 * neither a plain-http page nor a sibling subdomain can set or shadow it. Plain-http development
 * keeps the bare name, which browsers accept without Secure. Sessions begun under the bare name
 * before the prefix was introduced are not read on https: their admins sign in again.
 */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-review_wall_session' : 'review_wall_session';
}

/** A stored session. Its id is the SHA-256 of the token the browser holds. */
export interface Session {
  id: string;
  userId: number;
  expiresAt: Date;
}

/** The signed-in marketer as pages and actions see them. */
export interface SessionUser {
  id: number;
  email: string;
}

/** A valid session with its user, and whether its expiry was just moved (the cookie must follow). */
export interface ValidatedSession {
  session: Session;
  user: SessionUser;
  renewed: boolean;
}

/** Starts a session for a user. Returns the token for the cookie; only its hash is stored. */
export async function createSession(
  db: Database,
  userId: number,
  now = Date.now(),
  maxAgeMs = sessionMaxAgeMs(),
): Promise<{ token: string; session: Session }> {
  const token = generateToken();
  const session: Session = { id: hashToken(token), userId, expiresAt: new Date(now + Math.min(sessionLifetimeMs, maxAgeMs)) };
  await db.insert(sessions).values({ ...session, createdAt: new Date(now) });
  return { token, session };
}

/**
 * Looks a cookie token up. An unknown, malformed or expired token gives null, and so does a
 * session signed in `maxAgeMs` or longer ago (the row is deleted here in both cases); a session
 * past half its life is extended, never beyond that absolute end. Expired rows of every user are
 * swept now and then, so a table of abandoned sessions does not grow forever.
 */
export async function validateSessionToken(
  db: Database,
  token: string,
  now = Date.now(),
  maxAgeMs = sessionMaxAgeMs(),
): Promise<ValidatedSession | null> {
  if (!isWellFormedToken(token)) return null;
  const sessionId = hashToken(token);
  const [row] = await db
    .select({ id: sessions.id, userId: sessions.userId, expiresAt: sessions.expiresAt, createdAt: sessions.createdAt, email: adminUsers.email })
    .from(sessions)
    .innerJoin(adminUsers, eq(adminUsers.id, sessions.userId))
    .where(eq(sessions.id, sessionId));
  if (!row) return null;
  const absoluteEnd = row.createdAt.getTime() + maxAgeMs;
  if (row.expiresAt.getTime() <= now || absoluteEnd <= now) {
    await db.delete(sessions).where(eq(sessions.id, sessionId));
    return null;
  }
  const session: Session = { id: row.id, userId: row.userId, expiresAt: row.expiresAt };
  let renewed = false;
  const extended = Math.min(now + sessionLifetimeMs, absoluteEnd);
  if (row.expiresAt.getTime() - now < sessionRenewalThresholdMs && extended > row.expiresAt.getTime()) {
    session.expiresAt = new Date(extended);
    await db.update(sessions).set({ expiresAt: session.expiresAt }).where(eq(sessions.id, sessionId));
    await deleteExpiredSessions(db, now, maxAgeMs);
    renewed = true;
  }
  return { session, user: { id: row.userId, email: row.email }, renewed };
}

/** Ends one session (sign out). */
export async function invalidateSession(db: Database, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of a user (sign out everywhere, password reset, account deleted). */
export async function invalidateUserSessions(db: Database, userId: number): Promise<number> {
  const removed = await db.delete(sessions).where(eq(sessions.userId, userId)).returning({ id: sessions.id });
  return removed.length;
}

/** Removes every expired session row, and every session signed in `maxAgeMs` or longer ago. */
export async function deleteExpiredSessions(db: Database, now = Date.now(), maxAgeMs = sessionMaxAgeMs()): Promise<void> {
  await db.delete(sessions).where(or(lte(sessions.expiresAt, new Date(now)), lte(sessions.createdAt, new Date(now - maxAgeMs))));
}

/**
 * Whether cookies must be Secure: the site is served over https, or runs in production anywhere
 * but on this machine (a plain-http production site then cannot keep a session at all, on purpose).
 */
export function useSecureCookies(siteUrl: string, nodeEnv = process.env.NODE_ENV): boolean {
  if (siteUrl.startsWith('https:')) return true;
  const loopback = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/.test(siteUrl);
  return nodeEnv === 'production' && !loopback;
}

/** The session token the browser sent, if any. */
export function readSessionToken(cookies: AstroCookies, secure: boolean): string | undefined {
  return cookies.get(sessionCookieName(secure))?.value;
}

/** Puts the session token in an httpOnly, SameSite=Lax cookie that lives as long as the session (never with a Domain). */
export function setSessionCookie(cookies: AstroCookies, token: string, expiresAt: Date, secure: boolean): void {
  cookies.set(sessionCookieName(secure), token, { httpOnly: true, sameSite: 'lax', secure, path: '/', expires: expiresAt });
}

/** Removes the session cookie from the browser. */
export function deleteSessionCookie(cookies: AstroCookies, secure: boolean): void {
  cookies.set(sessionCookieName(secure), '', { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: 0 });
}
