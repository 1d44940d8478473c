import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../db/client.ts';
import { publishRuns, reviews } from '../../../db/schema.ts';
import { signInAdmin, startApp, type RunningApp } from '../../helpers/app.ts';

// Taking a review off the wall or removing personal data from it must reach the public pages
// without waiting for anyone to press Publish, whatever publish.automaticallyAfterApproval says
// (the project's config leaves it off). Through the real server, as the admin's forms post.
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

async function post(action: string, fields: Record<string, string | string[]>): Promise<void> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) body.append(name, one);
  const response = await fetch(`${app.url}/admin/?_action=admin.${action}`, { method: 'POST', body, headers: { Origin: app.url, Cookie: cookie }, redirect: 'manual' });
  expect(response.status, `${action}: ${await response.text()}`).toBe(303);
}

async function wall(): Promise<string> {
  return (await fetch(`${app.url}/`)).text();
}

/** Waits until the admin's publishes after run `afterId` (and any request queued meanwhile) have finished; returns them. */
async function publishesAfter(afterId: number) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const runs = await db.select().from(publishRuns);
    const mine = runs.filter((run) => run.id > afterId && run.startedBy === app.adminEmail);
    const busy = runs.some((run) => run.status === 'running' || run.status === 'queued');
    if (mine.length > 0 && !busy) return mine;
    if (Date.now() > deadline) throw new Error(`no publish followed the moderation: ${JSON.stringify(runs.slice(-4))}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function lastRunId(): Promise<number> {
  const runs = await db.select({ id: publishRuns.id }).from(publishRuns);
  return Math.max(0, ...runs.map((run) => run.id));
}

/** A phrase of a review's text that HTML shows unescaped. */
function phraseOf(body: string): string {
  const phrase = body.match(/\p{L}[\p{L} ]{18,}\p{L}/u)?.[0];
  if (!phrase) throw new Error(`no plain phrase in: ${body}`);
  return phrase;
}

describe('moderation that changes the public pages publishes them', () => {
  it('hides a review and removes personal data from another: both leave the wall, the second via a queued request', async () => {
    const approved = await db.select().from(reviews).where(eq(reviews.status, 'approved'));
    expect(approved.length).toBeGreaterThanOrEqual(3);
    const [hidden, redacted] = approved;
    const hiddenPhrase = phraseOf(hidden!.body);
    const redactedPhrase = phraseOf(redacted!.body);
    const before = await wall();
    expect(before).toContain(hiddenPhrase);
    expect(before).toContain(redactedPhrase);

    const after = await lastRunId();
    await post('hide', { reviewId: String(hidden!.id) });
    // Right away, while the publish the hide started is building: it waits in the database and runs next.
    await post('redact', { reviewId: String(redacted!.id), version: String(redacted!.updatedAt.getTime()), snippet: redactedPhrase });
    const runs = await publishesAfter(after);
    expect(runs.at(-1)).toMatchObject({ status: 'succeeded' });

    const page = await wall();
    expect(page).not.toContain(hiddenPhrase);
    expect(page).not.toContain(redactedPhrase);
  }, 120_000);

  it('rejects an approved review and takes it off the wall; rejecting a pending one does not publish', async () => {
    const approved = (await db.select().from(reviews).where(eq(reviews.status, 'approved'))).find((review) => !review.redactedAt);
    const phrase = phraseOf(approved!.body);
    expect(await wall()).toContain(phrase);

    const after = await lastRunId();
    await post('reject', { reviewId: String(approved!.id), version: String(approved!.updatedAt.getTime()), reason: 'off_topic' });
    const runs = await publishesAfter(after);
    expect(runs.at(-1)).toMatchObject({ status: 'succeeded' });
    expect(await wall()).not.toContain(phrase);

    const [pending] = await db.select().from(reviews).where(eq(reviews.status, 'pending'));
    const quiet = await lastRunId();
    await post('reject', { reviewId: String(pending!.id), version: String(pending!.updatedAt.getTime()), reason: 'spam' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await db.select().from(publishRuns).where(inArray(publishRuns.status, ['running', 'queued']))).toEqual([]);
    expect(await lastRunId()).toBe(quiet);
  }, 120_000);
});

describe('a publish request waiting in the database', () => {
  it('shows on the admin publish page, while another process publishes and after', async () => {
    // Another process's run, and a request made meanwhile (as moderation in this server records it).
    const [running] = await db.insert(publishRuns).values({ startedBy: 'cli' }).returning();
    const [queued] = await db.insert(publishRuns).values({ startedBy: 'hider@example.com', status: 'queued' }).returning();
    try {
      const page = await (await fetch(`${app.url}/admin/publish/`, { headers: { Cookie: cookie } })).text();
      expect(page).toContain(`Run ${running!.id}, started by cli`);
      expect(page).toMatch(/data-testid="publish-queued"[^>]*>Another publish, asked for by hider@example\.com, starts when this one ends/);
      expect(page).toMatch(new RegExp(`data-run-id="${queued!.id}" data-status="queued"`));

      // That process died: nobody will serve the request; the page says so and offers Publish.
      await db.update(publishRuns).set({ status: 'failed', error: 'killed', finishedAt: new Date() }).where(eq(publishRuns.id, running!.id));
      const after = await (await fetch(`${app.url}/admin/publish/`, { headers: { Cookie: cookie } })).text();
      expect(after).toContain('A publish asked for by hider@example.com');
      expect(after).toContain('has not run yet; Publish runs it now.');
    } finally {
      await db.update(publishRuns).set({ status: 'failed', error: 'test', finishedAt: new Date() }).where(eq(publishRuns.id, running!.id));
    }
  });

  it('records the Publish button pressed during another run as a request, instead of refusing it', async () => {
    await db.delete(publishRuns).where(eq(publishRuns.status, 'queued'));
    const [running] = await db.insert(publishRuns).values({ startedBy: 'cli' }).returning();
    try {
      const response = await fetch(`${app.url}/admin/publish/?_action=adminPublish.start`, {
        method: 'POST',
        body: new URLSearchParams(),
        headers: { Origin: app.url, Cookie: cookie },
        redirect: 'manual',
      });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(`/admin/publish/?started=${running!.id}`);
      const queued = await db.select().from(publishRuns).where(eq(publishRuns.status, 'queued'));
      expect(queued.map((run) => run.startedBy)).toEqual([app.adminEmail]);
    } finally {
      await db.update(publishRuns).set({ status: 'failed', error: 'test', finishedAt: new Date() }).where(eq(publishRuns.id, running!.id));
    }
  });

  it('is served by npm start on boot, even with --skip-publish', async () => {
    const [queued] = await db.select().from(publishRuns).where(eq(publishRuns.status, 'queued'));
    expect(queued).toBeDefined();
    const second = await startApp({
      env: { DATABASE_URL: app.env.DATABASE_URL!, SITE_DIR: app.env.SITE_DIR!, UPLOAD_DIR: app.env.UPLOAD_DIR!, OUTBOX_DIR: app.env.OUTBOX_DIR! },
      args: ['--skip-publish'],
    });
    try {
      expect(second.output()).toMatch(/Publishing the public pages… done/);
      const [request] = await db.select().from(publishRuns).where(eq(publishRuns.id, queued!.id));
      expect(request!.status).toBe('superseded');
      const runs = await db.select().from(publishRuns).where(eq(publishRuns.startedBy, 'start'));
      expect(runs.at(-1)).toMatchObject({ status: 'succeeded' });
      expect(runs.at(-1)!.id).toBeGreaterThan(queued!.id);
    } finally {
      await second.stop();
    }
  }, 120_000);
});
