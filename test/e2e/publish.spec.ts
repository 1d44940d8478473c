import { createClient } from '@libsql/client';
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type RunningApp } from '../helpers/app.ts';
import { writeConfigVariant } from '../helpers/config.ts';

// Each test runs its own app; the failure test runs on a configuration file of its own, so it can
// break it after start without touching the one other tests use.

async function signIn(page: Page, app: RunningApp) {
  await page.goto(`${app.url}/admin/sign-in`);
  await page.getByLabel('Email').fill(app.adminEmail!);
  await page.getByLabel('Password').fill(app.adminPassword!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in-email')).toHaveText(app.adminEmail!);
}

/** Presses Publish and waits (the page refreshes itself) until that run has finished. */
async function publish(page: Page, app: RunningApp): Promise<string> {
  await page.goto(`${app.url}/admin/publish/`);
  await page.getByRole('button', { name: 'Publish' }).click();
  await expect(page).toHaveURL(/\/admin\/publish\/\?started=\d+/);
  const runId = new URL(page.url()).searchParams.get('started')!;
  const row = page.locator(`tr[data-run-id="${runId}"]`);
  if ((await row.getAttribute('data-status')) === 'running') {
    // While the build runs, the page says so and refreshes itself (no JavaScript needed).
    await expect(page.getByTestId('publish-running')).toContainText(`Run ${runId}, started by ${app.adminEmail}`);
    await expect(page.locator('meta[http-equiv="refresh"]')).toHaveAttribute('content', '2');
  }
  await expect(row).toHaveAttribute('data-status', /succeeded|failed/, { timeout: 150_000 });
  await expect(row).toContainText(app.adminEmail!);
  return (await row.getAttribute('data-status'))!;
}

/** A page on another origin that embeds the widget, as a customer's website would. */
async function startEmbeddingSite(appUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const html = `<!doctype html><html lang="en"><head><title>Our customers</title><style>p{color:red}</style></head>
<body><h1>Customer stories</h1><div data-review-wall></div><script src="${appUrl}/widget.js" async></script></body></html>`;
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test('an approved review appears on the wall, its own page and the widget only after Publish', async ({ page }) => {
  const app = await startApp();
  const embedding = await startEmbeddingSite(app.url);
  const database = createClient({ url: app.env.DATABASE_URL! });
  try {
    const text = 'Support fixed my issue in minutes, and the follow-up';
    const pending = await database.execute({ sql: "select id from reviews where status = 'pending' and body like ?", args: [`${text}%`] });
    const reviewId = Number(pending.rows[0]![0]);
    // Without a session the Publish action is refused before anything starts.
    const anonymous = await fetch(`${app.url}/_actions/adminPublish.start`, { method: 'POST', headers: { origin: app.url } });
    expect(anonymous.status).toBe(401);
    // A second review, approved straight in the database, tries to run markup in the widget.
    const hostile = '<img src=x onerror="window.pwned=1"><b>bold?</b>';
    await database.execute({ sql: "update reviews set body = ?, status = 'approved' where body like 'Екипът%'", args: [hostile] });
    await signIn(page, app);

    // Approve it in the moderation queue: the public pages do not change until Publish.
    await page.goto(`${app.url}/admin/`);
    await page.locator(`article#review-${reviewId}`).getByRole('button', { name: 'Approve', exact: true }).click();
    await expect(page.getByText(`Review ${reviewId} approved.`)).toBeVisible();
    const status = await database.execute({ sql: 'select status from reviews where id = ?', args: [reviewId] });
    expect(status.rows[0]![0]).toBe('approved');
    await page.goto(`${app.url}/`);
    await expect(page.getByText(text)).toHaveCount(0);

    expect(await publish(page, app)).toBe('succeeded');
    // The history says how many reviews went out: the five demo ones and these two.
    await expect(page.locator('tr[data-run-id]').first().locator('td').nth(3)).toHaveText('7');

    // Approval gave it a public id, which its address uses instead of the row id.
    const publicId = String((await database.execute({ sql: 'select public_id from reviews where id = ?', args: [reviewId] })).rows[0]![0]);
    expect(publicId).toMatch(/^[0-9a-f]{16}$/);
    await page.goto(`${app.url}/`);
    const card = page.locator(`article.review[data-review-id="${publicId}"]`);
    await expect(card).toContainText(text);
    await expect(card).toContainText('Sofia Rossi');
    await expect(card).toContainText('regardless of rating');
    expect(await page.locator('script:not([type="application/ld+json"])').count()).toBe(0);

    await card.getByRole('link', { name: 'Sofia Rossi' }).click();
    await expect(page).toHaveURL(`${app.url}/testimonials/${publicId}/`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Sofia Rossi');
    const jsonLd = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent())!) as { reviewBody: string };
    expect(jsonLd.reviewBody).toContain(text);

    await page.goto(embedding.url);
    const widget = page.locator('[data-review-wall]');
    await expect(widget.getByRole('listitem')).toHaveCount(6);
    await expect(widget.getByRole('listitem').first()).toContainText('Aisha Bello');
    const runs = await database.execute('select count(*) from publish_runs');
    expect(Number(runs.rows[0]![0])).toBe(2);
    await expect(widget).toContainText(text);
    await expect(widget.getByText(hostile)).toBeVisible();
    expect(await page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
    await expect(widget.locator('img[src="x"], b')).toHaveCount(0);
    await expect(widget).toContainText('Offered a $10 gift card for writing an honest review, regardless of rating.');
    await expect(widget.getByRole('link', { name: 'How we collect reviews' })).toHaveAttribute('href', `${app.url}/how-we-collect-reviews/`);
    // Styles stay inside the widget's shadow root, both ways: the host page's red paragraphs do not leak in.
    const hasShadowRoot = await page.locator('[data-review-wall]').evaluate((element) => element.shadowRoot !== null);
    expect(hasShadowRoot).toBe(true);
    const disclosureColor = await widget.getByText('regardless of rating').first().evaluate((element) => getComputedStyle(element).color);
    expect(disclosureColor).not.toBe('rgb(255, 0, 0)');

    await page.goto(`${app.url}/admin/publish/`);
    await expect(page.getByTestId('widget-snippet')).toContainText(`<script src="${app.url}/widget.js" async></script>`);
  } finally {
    database.close();
    await embedding.close();
    await app.stop();
  }
});

test('a build that fails leaves the old wall serving and the admin says why', async ({ page }) => {
  const directory = mkdtempSync(join(tmpdir(), 'review-wall-config-'));
  const configFile = writeConfigVariant(directory, (config) => config);
  const app = await startApp({ env: { REVIEW_WALL_CONFIG: configFile } });
  try {
    const before = await (await fetch(`${app.url}/`)).text();
    expect(before).toContain('Aisha Bello');
    writeConfigVariant(directory, (config) => ({ ...config, itemReviewed: { type: 'Gadget', name: 'Gadget' } }));

    await signIn(page, app);
    expect(await publish(page, app)).toBe('failed');
    const failed = page.locator('tr[data-status="failed"]').first();
    await expect(failed).toContainText('itemReviewed.type: expected one of');
    await expect(failed).toContainText('the previous pages stayed live');

    // A syntax error (a comma left out): the admin sees the file, the line and the column.
    const good = readFileSync(writeConfigVariant(directory, (config) => config), 'utf8');
    writeFileSync(configFile, good.replace(/},\n(\s*)"locales"/, '}\n$1"locales"'));
    const line = good.split('\n').findIndex((text) => text.includes('"locales"')) + 1;
    expect(await publish(page, app)).toBe('failed');
    await expect(page.locator('tr[data-status="failed"]').first()).toContainText(
      `${configFile}:${line}:3: syntax error: Expected ',', got 'string literal' (is a comma missing at the end of line ${line - 1}?)`,
    );

    await page.goto(`${app.url}/`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Selected testimonials');
    await expect(page.locator('article.review')).toHaveCount(5);
  } finally {
    await app.stop();
    rmSync(directory, { recursive: true, force: true });
  }
});
