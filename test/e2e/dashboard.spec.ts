import { createClient } from '@libsql/client';
import { expect, test, type Page } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { projectRoot, startApp, type RunningApp } from '../helpers/app.ts';

// The demo data is the shared fixture: its NPS is computed here from the CSV, not copied.
const demoRows = parse(readFileSync(join(projectRoot, 'db', 'demo', 'nps-responses.csv')), { columns: true, bom: true }) as { email: string; score: string; responded_at: string }[];
const erasedEmail = 'liga.berzina15@example.com';
const erasedName = 'Līga Bērziņa';
const erasedReviewText = 'Lielisks atbalsts un ļoti vienkārša lietošana.';

/** Files of the published builds whose (decompressed) text holds one of the needles. */
function publishedTraces(siteDir: string, needles: string[]): string[] {
  const builds = join(siteDir, 'builds');
  return readdirSync(builds, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .flatMap((entry) => {
      const path = join(entry.parentPath, entry.name);
      const raw = readFileSync(path);
      const text = (path.endsWith('.gz') ? gunzipSync(raw) : path.endsWith('.br') ? brotliDecompressSync(raw) : raw).toString('utf8').toLowerCase();
      return needles.filter((needle) => text.includes(needle.toLowerCase())).map((needle) => `${needle} in ${path.slice(builds.length)}`);
    });
}
const erasedAnswers = demoRows.filter((row) => row.email === erasedEmail).length;
const answersText = (count: number) => `${count} NPS ${count === 1 ? 'answer' : 'answers'}`;
function npsOf(rows: { score: string }[]): string {
  const promoters = rows.filter((row) => Number(row.score) >= 9).length;
  const detractors = rows.filter((row) => Number(row.score) <= 6).length;
  return (Math.round(((promoters - detractors) / rows.length) * 1000) / 10).toFixed(1);
}

let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp();
});
test.afterAll(async () => {
  await app?.stop();
});

async function signIn(page: Page, next = '/admin/dashboard/') {
  await page.goto(`${app.url}${next}`);
  await expect(page).toHaveURL(/\/admin\/sign-in/);
  await page.getByLabel('Email').fill(app.adminEmail!);
  await page.getByLabel('Password').fill(app.adminPassword!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in-email')).toHaveText(app.adminEmail!);
}

test('the dashboard, the exports and erasing need a session', async ({ request }) => {
  for (const path of ['/admin/export/nps.csv', '/admin/export/reviews.csv', '/admin/dashboard/', '/admin/erase/']) {
    const response = await request.get(`${app.url}${path}`, { maxRedirects: 0 });
    expect(response.status(), path).toBe(303);
    expect(response.headers().location, path).toContain('/admin/sign-in');
  }
  for (const action of ['adminErasure.preview', 'adminErasure.erase']) {
    const response = await request.post(`${app.url}/admin/erase/?_action=${action}`, {
      form: { email: 'sofia.rossi@example.org', confirm: 'yes' },
      headers: { Origin: app.url },
      maxRedirects: 0,
    });
    expect(response.status(), action).toBe(401);
  }
  const database = createClient({ url: app.env.DATABASE_URL! });
  try {
    const { rows } = await database.execute("select count(*) from contacts where email = 'sofia.rossi@example.org'");
    expect(Number(rows[0]![0])).toBe(1);
  } finally {
    database.close();
  }
});

test('a signed-in admin sees the demo NPS with its chart, downloads the exports and erases a customer', async ({ page }) => {
  expect(npsOf(demoRows)).toBe('38.1');
  await signIn(page);

  // NPS now, with the chart as an accessible image and the monthly figures in a table.
  await expect(page.getByTestId('nps-overall')).toHaveText(npsOf(demoRows));
  await expect(page.getByTestId('nps-counts')).toContainText('over 63 answers: 38 promoters (9–10), 11 passives (7–8), 14 detractors (0–6)');
  const chart = page.getByRole('img', { name: /NPS by month/ });
  await expect(chart).toBeVisible();
  expect(await chart.evaluate((svg) => svg.tagName.toLowerCase())).toBe('svg');
  await expect(chart.locator('circle')).toHaveCount(new Set(demoRows.map((row) => row.responded_at.slice(0, 7))).size);
  const may = demoRows.filter((row) => row.responded_at.startsWith('2026-05'));
  await expect(page.locator('[data-testid="nps-monthly-table"] tr[data-month="2026-05"] td').last()).toHaveText(npsOf(may));
  await expect(page.getByRole('img', { name: /Answers per score/ })).toBeVisible();
  // Approval by star rating is shown; the demo's five approved reviews are all published at start.
  await expect(page.getByRole('heading', { name: 'Approval rate by star rating' })).toBeVisible();
  await expect(page.locator('[data-testid="review-funnel"] tr[data-step="published"] td').first()).toHaveText('5');

  // Downloads: real CSV files with every answer, in the import format.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'NPS answers (CSV)' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^nps-answers-\d{4}-\d{2}-\d{2}\.csv$/);
  const exported = parse(readFileSync(await download.path()), { columns: true, bom: true }) as { email: string; score: string }[];
  expect(exported).toHaveLength(63);
  expect(npsOf(exported)).toBe('38.1');
  expect(exported.some((row) => row.email === erasedEmail)).toBe(true);
  const [reviewsDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'reviews (CSV)' }).click()]);
  expect(parse(readFileSync(await reviewsDownload.path()), { columns: true, bom: true })).toHaveLength(8);

  // Erase a customer whose review is on the wall (and so in the published build on disk).
  const needles = [erasedEmail, erasedName, erasedReviewText];
  expect(publishedTraces(app.env.SITE_DIR!, needles).length).toBeGreaterThan(3);
  await page.goto(`${app.url}/`);
  await expect(page.getByText('Līga Bērziņa')).toBeVisible();
  const ownPage = await page.getByRole('link', { name: 'Līga Bērziņa' }).getAttribute('href');
  expect(ownPage).toMatch(/^\/testimonials\/[0-9a-f]{16}\/?$/);
  await page.goto(`${app.url}/admin/dashboard/`);
  await page.getByRole('link', { name: /Erase a customer/ }).click();
  await page.getByLabel('Customer email').fill('Liga.Berzina15@example.com');
  await page.getByRole('button', { name: 'Show what would be erased' }).click();
  await expect(page.getByTestId('erasure-preview')).toContainText(answersText(erasedAnswers));
  await expect(page.getByTestId('erasure-preview')).toContainText('1 review (one is on the public pages');
  // Erasing needs the confirmation box ticked, checked by the server too (here without the browser's check).
  await page.locator('input[name="confirm"]').evaluate((box) => box.removeAttribute('required'));
  await page.getByRole('button', { name: 'Erase permanently' }).click();
  await expect(page.getByTestId('erasure-refused')).toContainText('Nothing was erased: Tick the box to confirm');
  await page.getByLabel('Customer email').fill(erasedEmail);
  await page.getByRole('button', { name: 'Show what would be erased' }).click();
  await page.getByLabel('I understand that this cannot be undone.').check();
  await page.getByRole('button', { name: 'Erase permanently' }).click();
  await expect(page).toHaveURL(/\/admin\/erase\/\?erased=\d+&publishing=1/);
  await expect(page.getByTestId('erasure-done')).toContainText(`${answersText(erasedAnswers)}, 1 review`);
  await expect(page.getByTestId('erasure-done')).toContainText('being republished now');

  // The republish takes their review off the wall.
  await page.getByRole('link', { name: 'Publish', exact: true }).last().click();
  const latest = page.locator('tbody tr').first();
  await expect(latest).toHaveAttribute('data-status', 'succeeded', { timeout: 150_000 });
  // No build on disk keeps them: not the new live one, not the one live until now (the server's).
  await expect.poll(() => publishedTraces(app.env.SITE_DIR!, needles), { timeout: 10_000 }).toEqual([]);
  await page.goto(`${app.url}/`);
  await expect(page.locator('article.review')).toHaveCount(4);
  await expect(page.getByText('Līga Bērziņa')).toHaveCount(0);
  // Their own testimonial page is gone too, not served from an older build.
  const stale = await page.request.get(`${app.url}${ownPage}`);
  expect(stale.status()).toBe(404);
  expect(await stale.text()).not.toContain('Līga');

  // The dashboard counts without them, and the database file holds no trace of them.
  await page.goto(`${app.url}/admin/dashboard/`);
  await expect(page.getByTestId('nps-counts')).toContainText(`over ${63 - erasedAnswers} answers`);
  const databaseFile = app.env.DATABASE_URL!.slice('file:'.length);
  for (const file of [databaseFile, `${databaseFile}-wal`].filter(existsSync)) {
    const bytes = readFileSync(file);
    expect(bytes.includes(erasedEmail), file).toBe(false);
    expect(bytes.includes(Buffer.from('Līga Bērziņa', 'utf8')), file).toBe(false);
  }
});
