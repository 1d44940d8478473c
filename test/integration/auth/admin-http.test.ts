import { eq } from 'drizzle-orm';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../db/client.ts';
import { adminUsers, auditLog, reviews, sessions } from '../../../db/schema.ts';
import { erasedEmailHash } from '../../../src/lib/server/moderate/erased-emails.ts';
import { generateToken, hashToken } from '../../../src/lib/tokens.ts';
import { runScript, startApp, type RunningApp } from '../../helpers/app.ts';
import { createJpeg } from '../../helpers/images.ts';

// The admin through the real server (npm start with the demo data), as a browser without JavaScript would use it.
let app: RunningApp;
let db: Database;
let cookie: string;
beforeAll(async () => {
  app = await startApp();
  db = await openDatabase({ url: app.env.DATABASE_URL! });
  cookie = await signIn(app.adminEmail!, app.adminPassword!);
}, 120_000);
afterAll(async () => {
  db?.$client.close();
  await app?.stop();
});

function postSignIn(email: string, password: string): Promise<Response> {
  return fetch(`${app.url}/admin/sign-in`, {
    method: 'POST',
    body: new URLSearchParams({ email, password }),
    headers: { Origin: app.url },
    redirect: 'manual',
  });
}

/** Signs in and returns the Cookie header value of the new session. */
async function signIn(email: string, password: string): Promise<string> {
  const response = await postSignIn(email, password);
  expect(response.status).toBe(303);
  const setCookie = response.headers.get('set-cookie') ?? '';
  expect(setCookie).toMatch(/HttpOnly/i);
  expect(setCookie).toMatch(/SameSite=Lax/i);
  return setCookie.split(';')[0]!;
}

function get(path: string, sessionCookie?: string): Promise<Response> {
  return fetch(`${app.url}${path}`, { headers: sessionCookie ? { Cookie: sessionCookie } : {}, redirect: 'manual' });
}

function postForm(path: string, fields: Record<string, string>, headers: Record<string, string>): Promise<Response> {
  return fetch(`${app.url}${path}`, { method: 'POST', body: new URLSearchParams(fields), headers, redirect: 'manual' });
}

/** The version of a review as the queue shows it (reviews.updated_at in ms). */
const versionOf = async (id: number) => String((await db.select().from(reviews).where(eq(reviews.id, id)))[0]!.updatedAt.getTime());

/** The author edits their pending review after the moderator loaded the page. */
async function authorEdits(id: number, body: string): Promise<void> {
  const [review] = await db.select().from(reviews).where(eq(reviews.id, id));
  await db.update(reviews).set({ body, updatedAt: new Date(review!.updatedAt.getTime() + 1) }).where(eq(reviews.id, id));
}

const adminPages = ['/admin/', '/admin', '/admin/dashboard/', '/admin/publish/', '/admin/incentives/', '/admin/no-such-page/', '/admin/?status=pending'];

describe('sign-in', () => {
  it('answers a wrong password and an unknown email alike: same status, same page', async () => {
    const wrongPassword = await postSignIn(app.adminEmail!, 'not-the-password-at-all');
    const unknownEmail = await postSignIn('nobody-here@example.com', app.adminPassword!);
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(wrongPassword.status);
    const body = await wrongPassword.text();
    expect(body).toContain('That email and password do not match an account.');
    expect(await unknownEmail.text()).toBe(body);
    expect(wrongPassword.headers.get('set-cookie')).toBeNull();
  });

  it('stops a burst of guesses at one account with 429, before checking the password', async () => {
    const email = 'burst-target@example.com';
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await postSignIn(email, `guess-${i}-long-enough`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const limited = await postSignIn(email, 'another-guess-here');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.text()).toContain('Too many sign-in attempts');
  });

  it('returns to the page asked for, but never to another site', async () => {
    const response = await fetch(`${app.url}/admin/sign-in?next=${encodeURIComponent('//evil.example/admin/')}`, {
      method: 'POST',
      body: new URLSearchParams({ email: app.adminEmail!, password: app.adminPassword! }),
      headers: { Origin: app.url },
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin/');
  });
});

describe('the session guard', () => {
  it('redirects every admin page to sign-in without a session, unknown ones included', async () => {
    for (const path of adminPages) {
      const response = await get(path);
      expect(response.status, path).toBe(303);
      const location = new URL(response.headers.get('location')!, app.url);
      expect(location.pathname, path).toBe('/admin/sign-in');
      expect(location.searchParams.get('next'), path).toBe(path);
    }
  });

  it('answers 401 to admin endpoints and admin actions without a session, and changes nothing', async () => {
    const before = await db.select().from(reviews).where(eq(reviews.id, 6));
    const sameOrigin = { Origin: app.url };
    const responses = await Promise.all([
      get('/admin/photos/review-photos/abc.webp'),
      get('/admin/api/export.csv'),
      postForm('/admin/?_action=admin.approve', { reviewId: '6' }, sameOrigin),
      postForm('/_actions/admin.approve', { reviewId: '6' }, sameOrigin),
      postForm('/_actions/%61dmin.approve', { reviewId: '6' }, sameOrigin),
      postForm(`/r/${generateToken()}?_action=admin.approve`, { reviewId: '6' }, sameOrigin),
      postForm('/_actions/adminPublish.start', {}, sameOrigin),
      postForm('/admin/dashboard/', {}, sameOrigin),
    ]);
    expect(responses.map((response) => response.status)).toEqual([401, 401, 401, 401, 401, 401, 401, 401]);
    expect(await db.select().from(reviews).where(eq(reviews.id, 6))).toEqual(before);
  });

  it('refuses a forged session cookie and clears it', async () => {
    const response = await get('/admin/', `review_wall_session=${generateToken()}`);
    expect(response.status).toBe(303);
    expect(response.headers.get('set-cookie')).toMatch(/review_wall_session=;.*Max-Age=0/i);
    expect((await postForm('/_actions/admin.approve', { reviewId: '6' }, { Origin: app.url, Cookie: `review_wall_session=${generateToken()}` })).status).toBe(401);
  });

  it('refuses an expired session and deletes it', async () => {
    const token = generateToken();
    const [admin] = await db.select().from(adminUsers).where(eq(adminUsers.email, app.adminEmail!));
    await db.insert(sessions).values({ id: hashToken(token), userId: admin!.id, expiresAt: new Date(Date.now() - 1000) });
    const response = await get('/admin/', `review_wall_session=${token}`);
    expect(response.status).toBe(303);
    expect(await db.select().from(sessions).where(eq(sessions.id, hashToken(token)))).toHaveLength(0);
  });

  it('extends a session used in its second half, and sends the cookie again', async () => {
    const token = generateToken();
    const [admin] = await db.select().from(adminUsers).where(eq(adminUsers.email, app.adminEmail!));
    const soon = new Date(Date.now() + 10 * 24 * 60 * 60 * 1000);
    await db.insert(sessions).values({ id: hashToken(token), userId: admin!.id, expiresAt: soon });
    const response = await get('/admin/', `review_wall_session=${token}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toContain(`review_wall_session=${token}`);
    const [row] = await db.select().from(sessions).where(eq(sessions.id, hashToken(token)));
    expect(row!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 60 * 60 * 1000);
  });

  it('lets a signed-in marketer in, with security headers and no caching', async () => {
    const response = await get('/admin/', cookie);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(app.adminEmail!);
    for (const path of ['/admin/', '/admin/sign-in']) {
      const page = await get(path, path === '/admin/' ? cookie : undefined);
      expect(page.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
      expect(page.headers.get('x-frame-options'), path).toBe('DENY');
      expect(page.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(page.headers.get('cache-control'), path).toBe('no-store');
    }
    // Only pages behind the session cut other windows' handles; the sign-in page, like the public
    // pages, holds nothing for one to reach (adminPageHeaders).
    for (const path of ['/admin/', '/admin/deliveries/', '/admin/export/reviews.csv']) {
      const answer = await fetch(`${app.url}${path}`, { headers: { Cookie: cookie, 'Accept-Encoding': 'br, gzip' }, redirect: 'manual' });
      expect(answer.headers.get('cross-origin-opener-policy'), path).toBe('same-origin');
      // Pages with customers' data next to text a request chooses are never compressed (page-compression.ts).
      expect(answer.headers.get('content-encoding'), path).toBeNull();
    }
    const signIn = await get('/admin/sign-in');
    expect(signIn.headers.get('cross-origin-opener-policy')).toBeNull();
    expect(await signIn.text()).toContain('<meta name="robots" content="noindex, nofollow">');
    const signInRedirect = await get('/admin/dashboard/');
    expect(signInRedirect.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(signInRedirect.headers.get('cross-origin-opener-policy')).toBe('same-origin');
  });

  it('refuses a cross-origin form post even with a valid session cookie (403), and accepts the same post from the site', async () => {
    const evil = await postForm('/admin/?_action=admin.approve', { reviewId: '6' }, { Origin: 'https://evil.example', Cookie: cookie });
    expect(evil.status).toBe(403);
    expect((await db.select().from(reviews).where(eq(reviews.id, 6)))[0]!.status).toBe('pending');
    const evilSignOut = await postForm('/admin/sign-out', { everywhere: '1' }, { Origin: 'https://evil.example', Cookie: cookie });
    expect(evilSignOut.status).toBe(403);
    const own = await postForm('/admin/?_action=admin.approve', { reviewId: '6', version: await versionOf(6) }, { Origin: app.url, Cookie: cookie });
    expect(own.status).toBe(303);
    expect(own.headers.get('location')).toBe('/admin/?done=approve&review=6#review-6');
    expect((await db.select().from(reviews).where(eq(reviews.id, 6)))[0]!.status).toBe('approved');
    const audit = await db.select().from(auditLog).where(eq(auditLog.subjectId, 6));
    expect(audit.map((entry) => [entry.action, entry.actorLabel])).toEqual([['review.approve', app.adminEmail]]);
  });

  it('records an address nobody has yet as erased, after confirmation, so imports leave it out', async () => {
    const email = 'asked-before-import@example.com';
    const preview = await postForm('/admin/erase/?_action=adminErasure.preview', { email }, { Origin: app.url, Cookie: cookie });
    const page = await preview.text();
    expect(page).toContain(`No customer has ${email}`);
    expect(page).toContain('Record as erased');
    const hashes = async () => (await db.$client.execute({ sql: 'select count(*) as n from erased_emails where email_hash = ?', args: [erasedEmailHash(email)] })).rows[0]?.n;
    // The preview alone records nothing.
    expect(await hashes()).toBe(0);
    const recorded = await postForm('/admin/erase/?_action=adminErasure.erase', { email, confirm: 'yes' }, { Origin: app.url, Cookie: cookie });
    expect(recorded.status).toBe(303);
    expect(recorded.headers.get('location')).toBe('/admin/erase/?recorded=1');
    expect(await (await get('/admin/erase/?recorded=1', cookie)).text()).toContain('Recorded as erased');
    expect(await hashes()).toBe(1);
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, 'contact.erasure-recorded'));
    expect(entry).toMatchObject({ actorLabel: app.adminEmail, detail: null, subjectId: null });
  });

  it('refuses a rejection reason outside the content policy', async () => {
    const response = await postForm('/admin/?_action=admin.reject', { reviewId: '7', version: await versionOf(7), reason: 'negative' }, { Origin: app.url, Cookie: cookie });
    expect(response.status).toBe(400);
    expect((await db.select().from(reviews).where(eq(reviews.id, 7)))[0]!.status).toBe('pending');
  });

  it('refuses to approve a review that changed after the page was loaded, and says so; it stays pending', async () => {
    const html = await (await get('/admin/?status=pending', cookie)).text();
    const seen = html.match(/<article[^>]*id="review-7"[\s\S]*?name="version" value="(\d+)"/)?.[1];
    expect(seen).toBe(await versionOf(7));
    await authorEdits(7, 'Edited through the review link after the moderator opened the queue.');
    const stale = await postForm('/admin/?_action=admin.approve', { reviewId: '7', version: seen! }, { Origin: app.url, Cookie: cookie });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain('Review 7 has changed since you loaded the page — please read it again.');
    expect((await db.select().from(reviews).where(eq(reviews.id, 7)))[0]!.status).toBe('pending');
    expect(await db.select().from(auditLog).where(eq(auditLog.subjectId, 7))).toHaveLength(0);
    const missing = await postForm('/admin/?_action=admin.approve', { reviewId: '7' }, { Origin: app.url, Cookie: cookie });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('Reload the queue and try again.');
    expect((await db.select().from(reviews).where(eq(reviews.id, 7)))[0]!.status).toBe('pending');
  });
});

describe('bulk approve', () => {
  it('approves the ticked pending reviews in one post, each with its own audit entry', async () => {
    await db.update(reviews).set({ status: 'pending' }).where(eq(reviews.id, 2));
    const form = new URLSearchParams();
    form.append('reviewIds', `2:${await versionOf(2)}`);
    form.append('reviewIds', `8:${await versionOf(8)}`);
    const response = await fetch(`${app.url}/admin/?status=pending&_action=admin.approveSelected`, {
      method: 'POST',
      body: form,
      headers: { Origin: app.url, Cookie: cookie },
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin/?status=pending&done=approveSelected&review=2&count=2#review-2');
    for (const id of [2, 8]) {
      expect((await db.select().from(reviews).where(eq(reviews.id, id)))[0]!.status, String(id)).toBe('approved');
      expect(await db.select().from(auditLog).where(eq(auditLog.subjectId, id)), String(id)).toHaveLength(1);
    }
    const page = await get('/admin/?status=pending&done=approveSelected&review=2&count=2', cookie);
    expect(await page.text()).toContain('2 reviews approved.');
    const none = await postForm('/admin/?_action=admin.approveSelected', {}, { Origin: app.url, Cookie: cookie });
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('Select at least one review.');
  });

  it('skips a ticked review that changed after the page was loaded, and names it', async () => {
    await db.update(reviews).set({ status: 'pending' }).where(eq(reviews.id, 3));
    await db.update(reviews).set({ status: 'pending' }).where(eq(reviews.id, 4));
    const html = await (await get('/admin/?status=pending', cookie)).text();
    const ticked = [3, 4].map((id) => html.match(new RegExp(`name="reviewIds" value="(${id}:\\d+)"`))?.[1]);
    expect(ticked).toEqual([`3:${await versionOf(3)}`, `4:${await versionOf(4)}`]);
    await authorEdits(4, 'A different text, written after the moderator ticked the box.');
    const form = new URLSearchParams();
    for (const value of ticked) form.append('reviewIds', value!);
    const response = await fetch(`${app.url}/admin/?status=pending&_action=admin.approveSelected`, {
      method: 'POST',
      body: form,
      headers: { Origin: app.url, Cookie: cookie },
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    const location = response.headers.get('location')!;
    expect(location).toBe('/admin/?status=pending&done=approveSelected&review=3&count=1&changed=4#review-3');
    expect((await db.select().from(reviews).where(eq(reviews.id, 3)))[0]!.status).toBe('approved');
    expect((await db.select().from(reviews).where(eq(reviews.id, 4)))[0]!.status).toBe('pending');
    const page = await (await get(location.split('#')[0]!, cookie)).text();
    expect(page).toContain('1 review approved. Review 4 was not approved: it has changed since you loaded the page — please read it again.');
  });
});

describe('review photos', () => {
  it('are served to signed-in marketers only, and never outside the upload folder', async () => {
    const folder = join(app.env.UPLOAD_DIR!, 'review-photos');
    mkdirSync(folder, { recursive: true });
    const name = `${generateToken()}.webp`;
    writeFileSync(join(folder, name), await createJpeg());
    writeFileSync(join(app.directory, 'secret.webp'), 'not for you');
    expect((await get(`/admin/photos/review-photos/${name}`)).status).toBe(401);
    const photo = await get(`/admin/photos/review-photos/${name}`, cookie);
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/webp');
    expect(photo.headers.get('cache-control')).toContain('no-store');
    await db.update(reviews).set({ photoPath: `review-photos/${name}` }).where(eq(reviews.id, 3));
    expect(await (await get('/admin/?status=approved', cookie)).text()).toContain(`src="/admin/photos/review-photos/${name}"`);
    for (const path of ['/admin/photos/..%2Fsecret.webp', '/admin/photos/review-photos/..%2F..%2Fsecret.webp', '/admin/photos/%2e%2e/secret.webp', '/admin/photos/review-photos/missing.webp']) {
      expect((await get(path, cookie)).status, path).toBe(404);
    }
  });
});

describe('npm run admin and sessions', () => {
  it('creates an account that can sign in; reset-password signs it out everywhere; sign out ends the session', { timeout: 90_000 }, async () => {
    const email = `marketer-${Date.now()}@example.com`;
    const created = await runScript('admin', ['create', email], app.env, { input: 'a-sufficiently-long-password\n' });
    expect(created.code, created.stderr).toBe(0);
    const session = await signIn(email, 'a-sufficiently-long-password');
    expect((await get('/admin/', session)).status).toBe(200);
    const reset = await runScript('admin', ['reset-password', email], { ...app.env, ADMIN_PASSWORD: 'another-long-password' });
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toContain('ended 1 session');
    expect((await get('/admin/', session)).status).toBe(303);

    const fresh = await signIn(email, 'another-long-password');
    const signOut = await postForm('/admin/sign-out', {}, { Origin: app.url, Cookie: fresh });
    expect(signOut.status).toBe(303);
    expect((await get('/admin/', fresh)).status).toBe(303);

    const short = await runScript('admin', ['create', 'x@example.com'], { ...app.env, ADMIN_PASSWORD: 'short' });
    expect(short.code).toBe(2);
    expect(short.stderr.trim().split('\n')).toHaveLength(1);
    const listed = await runScript('admin', ['list'], app.env);
    expect(listed.stdout).toContain(email);
    expect(listed.stdout).not.toContain('argon2');
  });
});
