import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../db/client.ts';
import { adminUsers, npsResponses } from '../../../db/schema.ts';
import { signInAdmin, startApp, type RunningApp } from '../../helpers/app.ts';

// The follow-up page through the real server (npm start with the demo data), as a browser without JavaScript would use it.
let app: RunningApp;
let db: Database;
let cookie: string;
beforeAll(async () => {
  app = await startApp();
  db = await openDatabase({ url: app.env.DATABASE_URL! });
  cookie = await signInAdmin(app);
}, 120_000);
afterAll(async () => {
  db?.$client.close();
  await app?.stop();
});

const get = (path: string) => fetch(`${app.url}${path}`, { headers: { Cookie: cookie }, redirect: 'manual' });
const post = (action: string, fields: Record<string, string>, headers: Record<string, string> = { Cookie: cookie, Origin: app.url }) =>
  fetch(`${app.url}/admin/follow-up/?_action=${action}`, { method: 'POST', body: new URLSearchParams(fields), headers, redirect: 'manual' });

/** The waiting answers as the database has them: score 0–8, not followed up, newest first. */
async function waitingIds(): Promise<number[]> {
  const { rows } = await db.$client.execute(
    'select r.id from nps_responses r join contacts c on c.id = r.contact_id where r.score <= 8 and r.followed_up_at is null order by r.responded_at desc, r.id desc',
  );
  return rows.map((row) => Number(row.id));
}
const listed = (html: string, list: string) => [...(html.split(`data-testid="${list}"`)[1]?.split('</ol>')[0] ?? '').matchAll(/data-response="(\d+)"/g)].map((match) => Number(match[1]));

describe('/admin/follow-up/', () => {
  it('is in the admin nav and lists every waiting detractor and passive, newest first, with a reply link', async () => {
    const expected = await waitingIds();
    expect(expected.length).toBeGreaterThan(3);
    const response = await get('/admin/follow-up/');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<a href="/admin/follow-up/" aria-current="page">Follow-up</a>');
    expect(listed(html, 'follow-up-waiting')).toEqual(expected.slice(0, 100));
    expect(html).toContain(`(${expected.length})`);
    const [first] = (await db.$client.execute({ sql: 'select c.email from nps_responses r join contacts c on c.id = r.contact_id where r.id = ?', args: [expected[0]!] })).rows;
    expect(html).toContain(`href="mailto:${String(first!.email)}?subject=`);
    // Promoters never wait.
    const promoter = (await db.select({ id: npsResponses.id, score: npsResponses.score }).from(npsResponses)).find((row) => row.score >= 9)!;
    expect(listed(html, 'follow-up-waiting')).not.toContain(promoter.id);
  });

  it('marks followed up with a plain form post (who, when, note), redirects, and undoes', async () => {
    const [target] = await waitingIds();
    const before = Date.now();
    const marked = await post('adminFollowUp.mark', { responseId: String(target), note: 'Phoned, sent a refund' });
    expect(marked.status).toBe(303);
    expect(marked.headers.get('location')).toBe(`/admin/follow-up/?marked=${target}`);
    const [row] = await db.select().from(npsResponses).where(eq(npsResponses.id, target!));
    const [demoAdmin] = await db.select().from(adminUsers).where(eq(adminUsers.email, app.adminEmail!));
    expect(row!.followedUpBy).toBe(demoAdmin!.id);
    expect(row!.followUpNote).toBe('Phoned, sent a refund');
    expect(row!.followedUpAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);

    const page = await (await get(`/admin/follow-up/?marked=${target}`)).text();
    expect(page).toContain(`Answer ${target} marked followed up.`);
    expect(listed(page, 'follow-up-waiting')).not.toContain(target);
    expect(listed(page, 'follow-up-done')).toEqual([target]);
    expect(page.replace(/ data-astro-cid-\w+/g, '')).toMatch(new RegExp(`UTC</time> by <span data-testid="followed-up-by">${app.adminEmail}</span>: <q>Phoned, sent a refund</q>`));

    // Marking twice is refused with a message, not a second record.
    const again = await post('adminFollowUp.mark', { responseId: String(target) });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('Someone marked that answer followed up already');

    const undone = await post('adminFollowUp.undo', { responseId: String(target) });
    expect(undone.status).toBe(303);
    expect(undone.headers.get('location')).toBe(`/admin/follow-up/?undone=${target}`);
    expect((await waitingIds())[0]).toBe(target);
  });

  it('refuses a post from another site (CSRF) and without a session, changing nothing', async () => {
    const [target] = await waitingIds();
    const crossSite = await post('adminFollowUp.mark', { responseId: String(target) }, { Cookie: cookie, Origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    const signedOut = await post('adminFollowUp.mark', { responseId: String(target) }, { Origin: app.url });
    expect(signedOut.status).toBe(401);
    expect((await get('/admin/follow-up/').then(() => waitingIds()))[0]).toBe(target);
    const [row] = await db.select().from(npsResponses).where(eq(npsResponses.id, target!));
    expect(row!.followedUpAt).toBeNull();
    const page = await fetch(`${app.url}/admin/follow-up/`, { redirect: 'manual' });
    expect(page.status).toBe(303);
  });

  it('shows on the dashboard how many wait and how long follow-ups took', async () => {
    const waiting = await waitingIds();
    const [target] = waiting;
    const [answer] = await db.select().from(npsResponses).where(eq(npsResponses.id, target!));
    // Followed up 12 h after the answer, recorded directly so the time is known.
    await db.update(npsResponses).set({ followedUpAt: new Date(answer!.respondedAt.getTime() + 12 * 3_600_000) }).where(eq(npsResponses.id, target!));
    const html = await (await get('/admin/dashboard/')).text();
    const figure = (id: string) => html.match(new RegExp(`data-testid="${id}"[^>]*>(?:<a [^>]*>)?([^<]*)<`))?.[1];
    expect(figure('follow-up-waiting')).toBe(String(waiting.length - 1));
    expect(figure('follow-up-median')).toBe('12 h');
    await db.update(npsResponses).set({ followedUpAt: null }).where(eq(npsResponses.id, target!));
  });
});
