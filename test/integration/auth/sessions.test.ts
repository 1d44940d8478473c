import { eq } from 'drizzle-orm';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminUsers, rateLimits, sessions } from '../../../db/schema.ts';
import {
  createAdminUser,
  deleteAdminUser,
  listAdminUsers,
  resetAdminPassword,
  signIn,
  signInRefusedUnread,
  unknownAccountHash,
  type SignInLimits,
} from '../../../src/lib/server/auth/admin-users.ts';
import { hashPassword } from '../../../src/lib/server/auth/password.ts';
import {
  createSession,
  invalidateSession,
  invalidateUserSessions,
  sessionLifetimeMs,
  validateSessionToken,
} from '../../../src/lib/server/auth/session.ts';
import { hashToken } from '../../../src/lib/tokens.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';

let temporary: TemporaryDatabase;
let userId: number;
const email = 'marketer@example.com';
const password = 'correct horse battery staple';
beforeEach(async () => {
  temporary = await createTemporaryDatabase();
  userId = (await createAdminUser(temporary.db, email, password))!.id;
});
afterEach(() => temporary.cleanup());

const day = 24 * 60 * 60 * 1000;

describe('sessions', () => {
  it('store only the SHA-256 of the cookie token and find the user by the token', async () => {
    const { token, session } = await createSession(temporary.db, userId);
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    const rows = await temporary.db.select().from(sessions);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    const validated = await validateSessionToken(temporary.db, token);
    expect(validated?.user).toEqual({ id: userId, email });
    expect(validated?.session.id).toBe(session.id);
    // The stored id itself is not a key: presenting the hash as a token finds nothing.
    expect(await validateSessionToken(temporary.db, rows[0]!.id)).toBeNull();
  });

  it('refuse forged and malformed tokens', async () => {
    await createSession(temporary.db, userId);
    for (const forged of ['a'.repeat(32), 'not a token', '', "' or 1=1 --", 'A'.repeat(32)]) {
      expect(await validateSessionToken(temporary.db, forged), forged).toBeNull();
    }
  });

  it('expire after the lifetime, and the expired row is deleted when it is presented', async () => {
    const start = Date.now();
    const { token, session } = await createSession(temporary.db, userId, start);
    expect(await validateSessionToken(temporary.db, token, start + sessionLifetimeMs + 1)).toBeNull();
    expect(await temporary.db.select().from(sessions).where(eq(sessions.id, session.id))).toHaveLength(0);
  });

  it('slide: used in its second half a session is extended to a full lifetime, used early it is not', async () => {
    // An absolute lifetime longer than the sliding one (SESSION_MAX_AGE_DAYS=90), so sliding shows.
    const maxAge = 90 * day;
    const start = Date.now();
    const { token, session } = await createSession(temporary.db, userId, start, maxAge);
    const early = await validateSessionToken(temporary.db, token, start + 5 * day, maxAge);
    expect(early?.renewed).toBe(false);
    expect(early?.session.expiresAt.getTime()).toBe(session.expiresAt.getTime());
    const late = await validateSessionToken(temporary.db, token, start + 20 * day, maxAge);
    expect(late?.renewed).toBe(true);
    expect(late?.session.expiresAt.getTime()).toBe(start + 20 * day + sessionLifetimeMs);
    // Still valid after the original expiry, because it was extended.
    expect(await validateSessionToken(temporary.db, token, start + 40 * day, maxAge)).not.toBeNull();
  });

  it('end 30 days after sign-in however often they are used, and are never extended past that', async () => {
    const start = Date.now();
    const { token, session } = await createSession(temporary.db, userId, start);
    expect(session.expiresAt.getTime()).toBe(start + 30 * day);
    // Used every few days: each use is fine, and none moves the end.
    for (const at of [1, 8, 16, 22, 27, 29]) {
      const used = await validateSessionToken(temporary.db, token, start + at * day);
      expect(used, `day ${at}`).not.toBeNull();
      expect(used!.session.expiresAt.getTime(), `day ${at}`).toBe(start + 30 * day);
    }
    expect(await validateSessionToken(temporary.db, token, start + 30 * day)).toBeNull();
    expect(await temporary.db.select().from(sessions).where(eq(sessions.id, session.id))).toHaveLength(0);
  });

  it('end at the absolute lifetime even while sliding: with 45 days, a session used daily ends on day 45', async () => {
    const maxAge = 45 * day;
    const start = Date.now();
    const { token } = await createSession(temporary.db, userId, start, maxAge);
    let last = null;
    for (let at = 1; at < 45; at++) {
      last = await validateSessionToken(temporary.db, token, start + at * day, maxAge);
      expect(last, `day ${at}`).not.toBeNull();
    }
    // The cookie follows the session, so the browser forgets it at the same moment.
    expect(last!.session.expiresAt.getTime()).toBe(start + 45 * day);
    expect(await validateSessionToken(temporary.db, token, start + 45 * day, maxAge)).toBeNull();
  });

  it('sweep abandoned expired sessions of any user, and sessions past the absolute lifetime, when a session is renewed', async () => {
    const maxAge = 90 * day;
    const start = Date.now();
    const abandoned = await createSession(temporary.db, userId, start - 40 * day, maxAge);
    // Kept alive by use (its expiry moved), but signed in longer ago than the absolute lifetime.
    const tooOld = await createSession(temporary.db, userId, start - 100 * day, maxAge);
    await temporary.db.update(sessions).set({ expiresAt: new Date(start + 5 * day) }).where(eq(sessions.id, tooOld.session.id));
    const { token } = await createSession(temporary.db, userId, start - 20 * day, maxAge);
    expect(await validateSessionToken(temporary.db, token, start, maxAge)).toMatchObject({ renewed: true });
    const ids = (await temporary.db.select({ id: sessions.id }).from(sessions)).map((row) => row.id);
    expect(ids).toEqual([hashToken(token)]);
    expect(ids).not.toContain(abandoned.session.id);
  });

  it('end one session on sign-out and every session of the user on sign-out-everywhere', async () => {
    const first = await createSession(temporary.db, userId);
    const second = await createSession(temporary.db, userId);
    const other = (await createAdminUser(temporary.db, 'other@example.com', password))!;
    const others = await createSession(temporary.db, other.id);
    await invalidateSession(temporary.db, first.session.id);
    expect(await validateSessionToken(temporary.db, first.token)).toBeNull();
    expect(await validateSessionToken(temporary.db, second.token)).not.toBeNull();
    await createSession(temporary.db, userId);
    expect(await invalidateUserSessions(temporary.db, userId)).toBe(2);
    expect(await validateSessionToken(temporary.db, second.token)).toBeNull();
    expect(await validateSessionToken(temporary.db, others.token)).not.toBeNull();
  });
});

describe('sign-in', () => {
  const generous: SignInLimits = { perAddress: { limit: 1000, windowMs: 60_000 }, perAccount: { limit: 1000, windowMs: 60_000 } };

  it('accepts the right password, with the email in any case', async () => {
    const outcome = await signIn(temporary.db, { email: ' Marketer@Example.com ', password, clientAddress: '10.0.0.1' }, { limits: generous });
    expect(outcome).toEqual({ kind: 'signed-in', user: { id: userId, email } });
  });

  it('answers a wrong password and an unknown email alike, in similar time', async () => {
    const wrongPassword = await signIn(temporary.db, { email, password: 'wrong password!!', clientAddress: '10.0.0.1' }, { limits: generous });
    const unknownEmail = await signIn(temporary.db, { email: 'nobody@example.com', password, clientAddress: '10.0.0.1' }, { limits: generous });
    expect(wrongPassword).toEqual({ kind: 'invalid' });
    expect(unknownEmail).toEqual(wrongPassword);
    // Both run one argon2id verification: compare medians of a few attempts.
    const time = async (input: { email: string; password: string }) => {
      const samples: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        await signIn(temporary.db, { ...input, clientAddress: '10.0.0.2' }, { limits: generous });
        samples.push(performance.now() - started);
      }
      return samples.sort((a, b) => a - b)[2]!;
    };
    const known = await time({ email, password: 'wrong password!!' });
    const unknown = await time({ email: 'nobody@example.com', password: 'wrong password!!' });
    // Loose bounds (a shared CI machine is noisy); skipping the verify would be ~100× faster.
    expect(unknown).toBeGreaterThan(known * 0.3);
    expect(unknown).toBeLessThan(known * 3.5);
    // The stand-in hash costs what a real one costs: same algorithm and parameters.
    const parameters = (hash: string) => hash.split('$').slice(1, 4).join('$');
    expect(parameters(unknownAccountHash)).toBe(parameters(await hashPassword('anything at all')));
  });

  it('refuses the addresses that gave an account its wrong passwords, and still lets its owner in from a clean address', async () => {
    const limits: SignInLimits = { perAddress: { limit: 100, windowMs: 60_000 }, perAccount: { limit: 3, windowMs: 60_000 } };
    const start = Date.now();
    const attempt = (clientAddress: string, guess: string, at: number) => signIn(temporary.db, { email, password: guess, clientAddress }, { limits, now: start + at });
    // Three addresses of a botnet, one wrong password each: the account reaches its limit.
    for (let i = 0; i < 3; i++) expect((await attempt(`10.0.1.${i}`, `guess number ${i}`, i)).kind).toBe('invalid');
    // Each of them is refused from now on, even with the right password, before it is checked.
    const refused = await attempt('10.0.1.0', password, 10);
    expect(refused).toMatchObject({ kind: 'rate-limited' });
    expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
    // A new address of the botnet gets one guess, then it is refused too.
    expect((await attempt('10.0.1.3', 'guess number 3', 11)).kind).toBe('invalid');
    expect((await attempt('10.0.1.3', 'guess number 4', 12)).kind).toBe('rate-limited');
    // The owner, from an address that gave no wrong password, signs in.
    expect((await attempt('192.0.2.50', password, 13)).kind).toBe('signed-in');
    // After the window the refused addresses may try again.
    expect((await attempt('10.0.1.0', password, 60_000)).kind).toBe('signed-in');
  });

  it('lets one address give an account as many wrong passwords as the account limit, then refuses it', async () => {
    const limits: SignInLimits = { perAddress: { limit: 100, windowMs: 60_000 }, perAccount: { limit: 3, windowMs: 60_000 } };
    const kinds = [];
    for (let i = 0; i < 4; i++) kinds.push((await signIn(temporary.db, { email, password: `guess ${i}`, clientAddress: '198.51.100.4' }, { limits })).kind);
    expect(kinds).toEqual(['invalid', 'invalid', 'invalid', 'rate-limited']);
    expect((await signIn(temporary.db, { email, password, clientAddress: '198.51.100.4' }, { limits })).kind).toBe('rate-limited');
    // A success forgets only its own address's wrong passwords.
    expect((await signIn(temporary.db, { email, password: 'guess 9', clientAddress: '198.51.100.5' }, { limits })).kind).toBe('invalid');
    expect((await signIn(temporary.db, { email, password, clientAddress: '198.51.100.6' }, { limits })).kind).toBe('signed-in');
    const keys = (await temporary.db.select({ key: rateLimits.key }).from(rateLimits)).map((row) => row.key).sort();
    expect(keys).toEqual([
      `signin:account:${email}`,
      'signin:ip:198.51.100.4',
      'signin:ip:198.51.100.5',
      'signin:ip:198.51.100.6',
      `signin:pair:198.51.100.4|${email}`,
      `signin:pair:198.51.100.5|${email}`,
    ]);
  });

  it('turns a refused address away without writing: 100 new emails leave the counters and the WAL as they were', async () => {
    const limits: SignInLimits = { perAddress: { limit: 3, windowMs: 60_000 }, perAccount: { limit: 5, windowMs: 60_000 } };
    for (let i = 0; i < 3; i++) await signIn(temporary.db, { email: `guess${i}@example.com`, password, clientAddress: '203.0.113.9' }, { limits });
    const path = join(temporary.directory, 'test.db');
    const countRows = async () => Number((await temporary.db.$client.execute('select count(*) as n from rate_limits')).rows[0]!.n);
    const rowsBefore = await countRows();
    const walBefore = statSync(`${path}-wal`).size;
    const databaseBefore = statSync(path).size;
    for (let i = 0; i < 100; i++) {
      const outcome = await signIn(temporary.db, { email: `new-${i}@example.com`, password, clientAddress: '203.0.113.9' }, { limits });
      expect(outcome.kind).toBe('rate-limited');
    }
    expect(await countRows()).toBe(rowsBefore);
    expect(statSync(`${path}-wal`).size).toBe(walBefore);
    expect(statSync(path).size).toBe(databaseBefore);
    expect(await signInRefusedUnread(temporary.db, '203.0.113.9', { limits })).toBeGreaterThan(0);
    expect(await signInRefusedUnread(temporary.db, '203.0.113.10', { limits })).toBeNull();
  });

  it('counts only failed sign-ins against an address: an office behind one NAT signs in all day', async () => {
    const limits: SignInLimits = { perAddress: { limit: 3, windowMs: 60_000 }, perAccount: { limit: 100, windowMs: 60_000 } };
    const office = '198.51.100.200';
    // Ten colleagues' sign-ins from the office address, far past the limit of three.
    for (let i = 0; i < 10; i++) expect((await signIn(temporary.db, { email, password, clientAddress: office }, { limits })).kind).toBe('signed-in');
    // Failures still count: three wrong passwords, then the address is refused, the right password included.
    for (let i = 0; i < 3; i++) expect((await signIn(temporary.db, { email: `guess${i}@example.com`, password, clientAddress: office }, { limits })).kind).toBe('invalid');
    expect((await signIn(temporary.db, { email, password, clientAddress: office }, { limits })).kind).toBe('rate-limited');
  });

  it('blocks a burst per address across accounts', async () => {
    const limits: SignInLimits = { perAddress: { limit: 3, windowMs: 60_000 }, perAccount: { limit: 100, windowMs: 60_000 } };
    const kinds = [];
    for (let i = 0; i < 5; i++) {
      kinds.push((await signIn(temporary.db, { email: `guess${i}@example.com`, password, clientAddress: '192.0.2.7' }, { limits })).kind);
    }
    expect(kinds).toEqual(['invalid', 'invalid', 'invalid', 'rate-limited', 'rate-limited']);
    expect((await signIn(temporary.db, { email, password, clientAddress: '192.0.2.8' }, { limits })).kind).toBe('signed-in');
  });
});

describe('admin accounts', () => {
  it('store passwords as argon2id hashes only, and refuse a second account for the same email', async () => {
    const [row] = await temporary.db.select().from(adminUsers).where(eq(adminUsers.id, userId));
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row!.passwordHash).not.toContain(password);
    expect(await createAdminUser(temporary.db, email, 'another password')).toBeNull();
    expect((await listAdminUsers(temporary.db)).map((account) => account.email)).toEqual([email]);
  });

  it('reset-password changes the password and ends every session; delete removes the account and its sessions', async () => {
    const { token } = await createSession(temporary.db, userId);
    expect(await resetAdminPassword(temporary.db, email, 'a brand new password')).toEqual({ sessionsEnded: 1 });
    expect(await validateSessionToken(temporary.db, token)).toBeNull();
    const limits = { perAddress: { limit: 100, windowMs: 1000 }, perAccount: { limit: 100, windowMs: 1000 } };
    expect((await signIn(temporary.db, { email, password, clientAddress: 'x' }, { limits })).kind).toBe('invalid');
    expect((await signIn(temporary.db, { email, password: 'a brand new password', clientAddress: 'x' }, { limits })).kind).toBe('signed-in');
    expect(await resetAdminPassword(temporary.db, 'nobody@example.com', 'a brand new password')).toBe(false);

    const again = await createSession(temporary.db, userId);
    expect(await deleteAdminUser(temporary.db, email)).toBe(true);
    expect(await validateSessionToken(temporary.db, again.token)).toBeNull();
    expect(await temporary.db.select().from(sessions)).toHaveLength(0);
    expect(await deleteAdminUser(temporary.db, email)).toBe(false);
  });
});
