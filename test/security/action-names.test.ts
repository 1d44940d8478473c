import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client.ts';
import { reviews } from '../../db/schema.ts';
import { startApp, type RunningApp } from '../helpers/app.ts';
import { createReviewLink } from '../helpers/review-links.ts';

// Admin actions called without a session under every spelling an attacker might try, against the
// real server (npm start with the demo data). The guard must refuse each before the action's body
// is read, so each post here sends a body that never ends: an answer that comes at all came from
// the guard; one that only comes when the body ends came from the action, past the guard.
let app: RunningApp;
let db: Database;
let target: { id: number; version: string };
beforeAll(async () => {
  app = await startApp();
  db = await openDatabase({ url: app.env.DATABASE_URL! });
  const [approved] = await db.select().from(reviews).where(eq(reviews.status, 'approved'));
  target = { id: approved!.id, version: String(approved!.updatedAt.getTime()) };
}, 120_000);
afterAll(async () => {
  db?.$client.close();
  await app?.stop();
});

/** Everything an admin action could change, as a comparable snapshot. */
async function databaseState(): Promise<unknown[]> {
  const tables = ['reviews', 'audit_log', 'publish_runs', 'email_log', 'contacts', 'erased_emails'];
  return Promise.all(tables.map(async (table) => (await db.$client.execute(`select * from ${table} order by rowid`)).rows));
}

/** Posts an admin form to `path` with a body that never ends; the status, or null when no answer came before the body would have ended. */
async function postWithoutSession(path: string): Promise<number | null> {
  const controller = new AbortController();
  const neverEnding = new ReadableStream<Uint8Array>({
    start(stream) {
      stream.enqueue(new TextEncoder().encode(`reviewId=${target.id}&version=${target.version}&featured=false&reason=spam&email=x%40example.com&`));
    },
  });
  // Past the guard, Astro would wait for the rest of the form forever; give up well before the test does.
  const timer = setTimeout(() => controller.abort(), 15_000);
  try {
    const response = await fetch(`${app.url}${path}`, {
      method: 'POST',
      body: neverEnding,
      duplex: 'half',
      headers: { Origin: app.url, 'Content-Type': 'application/x-www-form-urlencoded' },
      redirect: 'manual',
      signal: controller.signal,
    } as RequestInit);
    await response.body?.cancel();
    return response.status;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

// Each names an admin action to Astro: Astro runs the action after the last /_actions/, decodes each
// dotted part once, and takes a form's action from its first ?_action=.
const adminSpellings = [
  '/_actions/admin.hide',
  '/_actions/review.submit/_actions/admin.hide',
  '/_actions/review.submit/_actions/admin.setFeatured',
  '/_actions/review.submit/_actions/adminPublish.start',
  '/_actions/review.submit/_actions/adminErasure.erase',
  '/_actions/review.submit/x/_actions/admin.hide',
  '/_actions/review.submit/_actions/%61dmin.hide',
  '/_actions/review.submit%2F_actions%2Fadmin.hide',
  '/_actions/review.submit%252F_actions%252Fadmin.hide',
  '/_actions/%61dmin.hide',
  '/_actions/%2561dmin.hide',
  '/_actions/admin%2Ehide',
  '/_actions/admin%252Ehide',
  '/_actions/review.submit/%2E%2E/admin.hide',
  '/_actions/admin.hide/',
  '/_actions/review.submit/_actions/admin.hide/',
  '//_actions/admin.hide',
  '/_actions//admin.hide',
  '/admin/sign-in?_action=admin.hide',
  '/admin/sign-in/?_action=adminPublish.start',
  '/r/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa?_action=admin.hide',
  '/r/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa?_action=admin.hide&_action=review.submit',
  '/r/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa?%5Faction=admin.hide&_action=review.submit',
];

// Posted to a public page (rendered by the publish, which answers visitors 404), an admin action
// name meets the guard first, like anywhere else.
const onStaticPages = ['/?_action=admin.hide', '/?_action=%61dmin.hide', '/testimonials/?_action=admin.hide', '/testimonials/page/2/?_action=adminPublish.start'];

describe('admin actions under other names, without a session', () => {
  it('are refused by the guard before their body is read, and change nothing', async () => {
    const before = await databaseState();
    for (const path of adminSpellings) {
      const status = await postWithoutSession(path);
      expect(status, `${path} answered ${status ?? 'nothing while its body was open'}`).toBe(401);
    }
    for (const path of onStaticPages) expect(await postWithoutSession(path), path).toBe(401);
    expect(await databaseState()).toEqual(before);
  });

  it('are refused with complete bodies too, and the review stays as it was', async () => {
    const [before] = await db.select().from(reviews).where(eq(reviews.id, target.id));
    for (const path of adminSpellings) {
      const response = await fetch(`${app.url}${path}`, {
        method: 'POST',
        body: new URLSearchParams({ reviewId: String(target.id), version: target.version, featured: 'false' }),
        headers: { Origin: app.url },
        redirect: 'manual',
      });
      expect(response.status, path).toBe(401);
    }
    for (const path of onStaticPages) {
      const response = await fetch(`${app.url}${path}`, { method: 'POST', body: new URLSearchParams({ reviewId: String(target.id) }), headers: { Origin: app.url } });
      expect(response.status, path).toBe(401);
    }
    const [after] = await db.select().from(reviews).where(eq(reviews.id, target.id));
    expect(after).toEqual(before);
  });
});

describe('the public review action', () => {
  it('still takes a review, as the RPC endpoint and as the form', async () => {
    const form = (token: string, body: string) =>
      new URLSearchParams({ token, lang: 'en', rating: '5', body, nameDisplay: 'first_initial', consent: 'on' });
    const rpcLink = await createReviewLink(db, { locale: 'en' });
    const rpcBody = 'Called through the action endpoint, the way a script would.';
    const rpc = await fetch(`${app.url}/_actions/review.submit`, { method: 'POST', body: form(rpcLink.token, rpcBody), headers: { Origin: app.url } });
    expect(rpc.status).toBe(200);
    const formLink = await createReviewLink(db, { locale: 'en' });
    const formBody = 'Posted from the review page, as a browser without JavaScript does.';
    const posted = await fetch(`${app.url}/r/${formLink.token}?_action=review.submit`, { method: 'POST', body: form(formLink.token, formBody), headers: { Origin: app.url }, redirect: 'manual' });
    expect(posted.status).toBe(303);
    for (const body of [rpcBody, formBody]) {
      const [stored] = await db.select().from(reviews).where(eq(reviews.body, body));
      expect(stored?.status, body).toBe('pending');
    }
  });
});
