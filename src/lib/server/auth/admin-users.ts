import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../../../db/client.ts';
import { adminUsers } from '../../../../db/schema.ts';
import { hashPassword, verifyPassword } from './password.ts';
import {
  addressForLimits,
  consumeRateLimit,
  isCounting,
  rateLimitStatement,
  readRateLimits,
  refundRateLimit,
  resetRateLimit,
  waitBeforeNextEvent,
  type RateLimitRule,
} from '../platform/rate-limit.ts';
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
  /** Attempts from one address, whatever the accounts: what stops guessing and credential stuffing from one place. */
  perAddress: RateLimitRule;
  /**
   * Wrong passwords for one account, from every address. Past it, an address that gave one of
   * them waits for the window to end; an address that gave none may still try, so addresses an
   * attacker owns cannot lock the account's owner out.
   */
  perAccount: RateLimitRule;
}

/** Defaults: 20 attempts per address, and 5 wrong passwords per account, in 15 minutes. */
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
 * The counters of sign-in: attempts per address, wrong passwords per account, and wrong passwords
 * per account from one address. Distinct prefixes, and the address (which holds no `|`) first in
 * the pair, so no email can name another key's counter.
 */
export function signInCounterKeys(email: string, clientAddress: string): { address: string; account: string; accountFromAddress: string } {
  const address = addressForLimits(clientAddress);
  return { address: `signin:ip:${address}`, account: `signin:account:${email}`, accountFromAddress: `signin:pair:${address}|${email}` };
}

/**
 * Seconds an address must wait before it may try to sign in at all, or null: read without
 * counting, so the sign-in page can turn a refused address away before it reads the form.
 */
export async function signInRefusedUnread(db: Database, clientAddress: string, options: { limits?: SignInLimits; now?: number } = {}): Promise<number | null> {
  const limits = options.limits ?? defaultSignInLimits;
  const key = signInCounterKeys('', clientAddress).address;
  return waitBeforeNextEvent((await readRateLimits(db, [key])).get(key), limits.perAddress, options.now ?? Date.now());
}

/**
 * Checks an email and password. A refused caller is turned away on one read, before anything is
 * written or any password is hashed: first the address limit, then the account's (an account past
 * its wrong passwords refuses the addresses that gave them). Then the attempt counts against the
 * address, the password is verified (an unknown email against a throw-away hash, so it takes as
 * long as a wrong password), and a wrong one counts against the account and the pair.
 */
export async function signIn(
  db: Database,
  input: { email: string; password: string; clientAddress: string },
  options: { limits?: SignInLimits; now?: number } = {},
): Promise<SignInOutcome> {
  const limits = options.limits ?? defaultSignInLimits;
  const now = options.now ?? Date.now();
  const email = input.email.trim().toLowerCase().slice(0, 320);
  const keys = signInCounterKeys(email, input.clientAddress);
  const counters = await readRateLimits(db, [keys.address, keys.account, keys.accountFromAddress]);

  const addressWait = waitBeforeNextEvent(counters.get(keys.address), limits.perAddress, now);
  if (addressWait !== null) return { kind: 'rate-limited', retryAfterSeconds: addressWait };
  const account = counters.get(keys.account);
  const pair = counters.get(keys.accountFromAddress);
  if (isCounting(account, limits.perAccount, now) && account.count >= limits.perAccount.limit && isCounting(pair, limits.perAccount, now)) {
    const endsAt = Math.min(account.windowStartsAt, pair.windowStartsAt) + limits.perAccount.windowMs;
    return { kind: 'rate-limited', retryAfterSeconds: Math.max(1, Math.ceil((endsAt - now) / 1000)) };
  }

  // Counted before the verify, so parallel attempts cannot slip past the address limit.
  const byAddress = await consumeRateLimit(db, keys.address, limits.perAddress, now);
  if (!byAddress.allowed) return { kind: 'rate-limited', retryAfterSeconds: byAddress.retryAfterSeconds };
  const password = input.password.slice(0, maximumPasswordLength + 1);
  const [user] = await db.select({ id: adminUsers.id, email: adminUsers.email, passwordHash: adminUsers.passwordHash }).from(adminUsers).where(eq(adminUsers.email, email));
  const valid = await verifyPassword(user?.passwordHash ?? unknownAccountHash, password);
  if (!user || !valid) {
    // Unknown emails count too, so the counters say nothing about which accounts exist.
    await db.$client.batch(
      [rateLimitStatement(keys.account, limits.perAccount, now), rateLimitStatement(keys.accountFromAddress, limits.perAccount, now)],
      'write',
    );
    return { kind: 'invalid' };
  }
  // This address proved itself; the account's count stays, so the addresses that guessed stay refused.
  // A successful sign-in gives back its attempt, so an office behind one address (NAT) signing
  // in all morning is not refused; only failures use up the address's budget.
  await resetRateLimit(db, keys.accountFromAddress);
  await refundRateLimit(db, keys.address);
  return { kind: 'signed-in', user: { id: user.id, email: user.email } };
}
