import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../../../db/client.ts';
import { adminUsers } from '../../../../db/schema.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { addressForLimits, consumeRateLimit, resetRateLimit, type RateLimitRule } from '../platform/rate-limit.ts';
import { invalidateUserSessions } from './session.ts';

/** Shortest password an admin account accepts. */
export const minimumPasswordLength = 12;

/** Longest password accepted (argon2 would take anything; a cap keeps a request cheap). */
export const maximumPasswordLength = 256;

/** A marketer account as listed by `npm run admin -- list`. */
export interface AdminAccount {
  id: number;
  email: string;
  isDemo: boolean;
  createdAt: Date;
}

/** Lower-cases and trims an email; null when it does not look like one. */
export function normalizeAdminEmail(value: string): string | null {
  const email = value.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) && email.length <= 254 ? email : null;
}

/** Why a password is not acceptable, or null when it is. */
export function describePasswordProblem(password: string): string | null {
  if (password.length < minimumPasswordLength) return `the password must have at least ${minimumPasswordLength} characters`;
  if (password.length > maximumPasswordLength) return `the password must have at most ${maximumPasswordLength} characters`;
  return null;
}

/** Creates an account; null when the email is already taken. */
export async function createAdminUser(db: Database, email: string, password: string): Promise<AdminAccount | null> {
  const [row] = await db
    .insert(adminUsers)
    .values({ email, passwordHash: await hashPassword(password) })
    .onConflictDoNothing()
    .returning({ id: adminUsers.id, email: adminUsers.email, isDemo: adminUsers.isDemo, createdAt: adminUsers.createdAt });
  return row ?? null;
}

/** Every account, oldest first. */
export function listAdminUsers(db: Database): Promise<AdminAccount[]> {
  return db
    .select({ id: adminUsers.id, email: adminUsers.email, isDemo: adminUsers.isDemo, createdAt: adminUsers.createdAt })
    .from(adminUsers)
    .orderBy(asc(adminUsers.id));
}

/** Deletes an account and its sessions; false when there is none with that email. */
export async function deleteAdminUser(db: Database, email: string): Promise<boolean> {
  const [user] = await db.select({ id: adminUsers.id }).from(adminUsers).where(eq(adminUsers.email, email));
  if (!user) return false;
  // Sessions first: a remote server may not enforce the cascade.
  await invalidateUserSessions(db, user.id);
  await db.delete(adminUsers).where(eq(adminUsers.id, user.id));
  return true;
}

/** Sets a new password and ends every session of the account; false when there is no such account. */
export async function resetAdminPassword(db: Database, email: string, password: string): Promise<{ sessionsEnded: number } | false> {
  const passwordHash = await hashPassword(password);
  const [user] = await db.update(adminUsers).set({ passwordHash }).where(eq(adminUsers.email, email)).returning({ id: adminUsers.id });
  if (!user) return false;
  return { sessionsEnded: await invalidateUserSessions(db, user.id) };
}

/** Sign-in attempts allowed per client address and per account. */
export interface SignInLimits {
  perAddress: RateLimitRule;
  perAccount: RateLimitRule;
}

/** Defaults: 20 attempts per address and 5 per account in 15 minutes. */
export const defaultSignInLimits: SignInLimits = {
  perAddress: { limit: 20, windowMs: 15 * 60 * 1000 },
  perAccount: { limit: 5, windowMs: 15 * 60 * 1000 },
};

/** The outcome of a sign-in attempt. Wrong email and wrong password are one outcome on purpose. */
export type SignInOutcome =
  | { kind: 'signed-in'; user: { id: number; email: string } }
  | { kind: 'invalid' }
  | { kind: 'rate-limited'; retryAfterSeconds: number };

// An argon2id hash (same parameters as real ones) of a random string nobody knows: an unknown
// email is verified against it, so it costs the same time as a wrong password.
export const unknownAccountHash = '$argon2id$v=19$m=19456,t=2,p=1$giwiq6LgUUrZL4BzUvauHg$auXNu4+w3MFpM5AonSzB87o1dSidwfe+FGcFvHvItUE';

/**
 * Checks an email and password. The rate limits are counted before any password work; an
 * unknown email verifies against a throw-away hash so it takes as long as a wrong password.
 */
export async function signIn(
  db: Database,
  input: { email: string; password: string; clientAddress: string },
  options: { limits?: SignInLimits; now?: number } = {},
): Promise<SignInOutcome> {
  const limits = options.limits ?? defaultSignInLimits;
  const email = input.email.trim().toLowerCase().slice(0, 320);
  const byAddress = await consumeRateLimit(db, `signin:ip:${addressForLimits(input.clientAddress)}`, limits.perAddress, options.now);
  const byAccount = await consumeRateLimit(db, `signin:account:${email}`, limits.perAccount, options.now);
  if (!byAddress.allowed || !byAccount.allowed) {
    return { kind: 'rate-limited', retryAfterSeconds: Math.max(byAddress.retryAfterSeconds, byAccount.retryAfterSeconds) };
  }
  const password = input.password.slice(0, maximumPasswordLength + 1);
  const [user] = await db.select({ id: adminUsers.id, email: adminUsers.email, passwordHash: adminUsers.passwordHash }).from(adminUsers).where(eq(adminUsers.email, email));
  const valid = await verifyPassword(user?.passwordHash ?? unknownAccountHash, password);
  if (!user || !valid) return { kind: 'invalid' };
  await resetRateLimit(db, `signin:account:${email}`);
  return { kind: 'signed-in', user: { id: user.id, email: user.email } };
}
