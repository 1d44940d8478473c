import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../db/client.ts';
import { auditLog, incentives, reviewRequests } from '../../../db/schema.ts';
import { signInAdmin, startApp, type RunningApp } from '../../helpers/app.ts';

// The incentive ledger in the admin, through the real server (npm start with the demo data).
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

const page = () => fetch(`${app.url}/admin/incentives/`, { headers: { Cookie: cookie } }).then((response) => response.text());
const retry = (headers: Record<string, string>) =>
  fetch(`${app.url}/admin/incentives/?_action=adminIncentives.retryFailed`, {
    method: 'POST',
    body: new FormData(),
    headers: { Origin: app.url, ...headers },
    redirect: 'manual',
  });

describe('/admin/incentives/', () => {
  it('is only for signed-in marketers', async () => {
    const anonymous = await fetch(`${app.url}/admin/incentives/`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toContain('/admin/sign-in');
    expect((await retry({})).status).toBe(401);
  });

  it('shows counts per state and each failure with its reason and attempts, and Retry puts failures back to pending', async () => {
    const rows = await db.select().from(incentives).orderBy(incentives.id);
    expect(rows.length).toBeGreaterThan(3);
    const [first, second, third] = rows;
    await db.update(incentives).set({ state: 'failed', attempts: 5, lastError: 'Resend refused the batch (HTTP 503): overloaded' }).where(eq(incentives.id, first!.id));
    await db.update(incentives).set({ state: 'failed', attempts: 2, lastError: 'Invalid `to` field.' }).where(eq(incentives.id, second!.id));
    await db.update(incentives).set({ state: 'sent', attempts: 1, sentAt: new Date() }).where(eq(incentives.id, third!.id));

    const html = await page();
    const count = (state: string) => html.match(new RegExp(`data-state="${state}"[^]*?class="count"[^>]*>(\\d+)<`))?.[1];
    expect(count('failed')).toBe('2');
    expect(count('sent')).toBe('1');
    expect(count('pending')).toBe(String(rows.length - 3));
    expect(html).toContain('Resend refused the batch (HTTP 503): overloaded');
    expect(html).toContain('Invalid `to` field.');
    expect(html).toContain('5 (limit reached)');
    expect(html).toContain('Retry 2 failed incentives');
    // The words around numbers: a space before the count, and the noun agreeing with it.
    const text = html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('up to 5 attempts; after that it waits here');
    await db.update(incentives).set({ state: 'pending', attempts: 0, lastError: null }).where(eq(incentives.id, second!.id));
    expect(await page()).toContain('Retry 1 failed incentive<');
    await db.update(incentives).set({ state: 'failed', attempts: 2, lastError: 'Invalid `to` field.' }).where(eq(incentives.id, second!.id));

    const response = await retry({ Cookie: cookie });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin/incentives/?retried=2');
    const after = await db.select().from(incentives).orderBy(incentives.id);
    expect(after.filter((row) => row.state === 'failed')).toHaveLength(0);
    expect(after[0]).toMatchObject({ state: 'pending', attempts: 5 });
    const audits = await db.select().from(auditLog).where(eq(auditLog.action, 'incentives.retry'));
    expect(audits).toMatchObject([{ actorLabel: app.adminEmail, subjectType: 'incentive', detail: '{"count":2}' }]);
    expect(await page()).toContain('No failed incentives.');
  });

  it('names what each reviewer was promised, not only what the config promises today', async () => {
    const owed = await db.select({ contactId: incentives.contactId }).from(incentives).orderBy(incentives.id);
    expect(owed.length).toBeGreaterThan(3);
    // Two reviewers invited while the business offered a tote bag, one before promises were recorded.
    await db.update(reviewRequests).set({ incentive: 'a canvas tote bag' }).where(inArray(reviewRequests.contactId, [owed[0]!.contactId, owed[1]!.contactId]));
    await db.update(reviewRequests).set({ incentive: null, incentiveTranslations: null }).where(eq(reviewRequests.contactId, owed[2]!.contactId));
    const html = await page();
    const table = html.slice(html.indexOf('data-testid="incentive-promises"'), html.indexOf('</table>', html.indexOf('data-testid="incentive-promises"')));
    const rows = [...table.matchAll(/<tr[^>]*>([^]*?)<\/tr>/g)].slice(1).map((match) => match[1]!.replace(/<[^>]+>/g, '|').replace(/\|+/g, '|').replace(/\s+/g, ' '));
    const total = (row: string) => row.split('|').filter((cell) => /^\d+$/.test(cell.trim())).reduce((sum, cell) => sum + Number(cell), 0);
    const tote = rows.find((row) => row.includes('a canvas tote bag'));
    expect(tote && total(tote)).toBe(2);
    const before = rows.find((row) => row.includes('before promises were recorded'));
    expect(before && total(before)).toBe(1);
    expect(rows.reduce((sum, row) => sum + total(row), 0)).toBe(owed.length);
    const text = html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('receives what their invitation promised');
    expect(text).not.toMatch(/Every reviewer receives (?!what)/);
  });
});

