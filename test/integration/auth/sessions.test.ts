import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminUsers, rateLimits, sessions } from '../../../db/schema.ts';
import {
  createAdminUser,
  deleteAdminUser,
  listAdminUsers,
  resetAdminPassword,
  signIn,
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
    const start = Date.now();
    const { token, session } = await createSession(temporary.db, userId, start);
    const early = await validateSessionToken(temporary.db, token, start + 5 * day);
    expect(early?.renewed).toBe(false);
    expect(early?.session.expiresAt.getTime()).toBe(session.expiresAt.getTime());
    const late = await validateSessionToken(temporary.db, token, start + 20 * day);
    expect(late?.renewed).toBe(true);
    expect(late?.session.expiresAt.getTime()).toBe(start + 20 * day + sessionLifetimeMs);
    // Still valid after the original expiry, because it was extended.
    expect(await validateSessionToken(temporary.db, token, start + 40 * day)).not.toBeNull();
  });

  it('sweep abandoned expired sessions of any user when a session is renewed', async () => {
    const start = Date.now();
    const abandoned = await createSession(temporary.db, userId, start - 40 * day);
    const { token } = await createSession(temporary.db, userId, start - 20 * day);
    expect(await validateSessionToken(temporary.db, token, start)).toMatchObject({ renewed: true });
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

  it('blocks a burst per account before checking the password, and lets through after the window', async () => {
    const limits: SignInLimits = { perAddress: { limit: 100, windowMs: 60_000 }, perAccount: { limit: 3, windowMs: 60_000 } };
    const start = Date.now();
    const outcomes = [];
    for (let i = 0; i < 4; i++) {
      outcomes.push(await signIn(temporary.db, { email, password: 'guess number ' + i, clientAddress: `10.0.1.${i}` }, { limits, now: start + i }));
    }
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['invalid', 'invalid', 'invalid', 'rate-limited']);
    // Even the right password is refused while limited: the limit comes before the verify.
    const blocked = await signIn(temporary.db, { email, password, clientAddress: '10.0.1.9' }, { limits, now: start + 10 });
    expect(blocked).toMatchObject({ kind: 'rate-limited' });
    expect((blocked as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
    const later = await signIn(temporary.db, { email, password, clientAddress: '10.0.1.9' }, { limits, now: start + 60_000 });
    expect(later.kind).toBe('signed-in');
    // A success forgets the account's failures.
    const counters = await temporary.db.select().from(rateLimits).where(eq(rateLimits.key, `signin:account:${email}`));
    expect(counters).toHaveLength(0);
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
