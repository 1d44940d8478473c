import { chromium, type Browser, type Page } from '@playwright/test';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import sirv from 'sirv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishRuns } from '../../../db/schema.ts';
import { publishSite, readPointer, siteLayout } from '../../../src/lib/server/publish/publish.ts';
import { startSiteServer, type SiteServer } from '../../../src/lib/server/publish/site-server.ts';
import { projectRoot } from '../../helpers/app.ts';
import { writeConfigVariant } from '../../helpers/config.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';
import { publicIdsOf, seedReviews, writeStoredPhoto } from '../../helpers/reviews.ts';

// Publishes real builds (astro build) from a temp database with approved reviews, serves them
// with the real site server, and reads them in Chromium.

const attack = '</script><script>alert(1)</script><!-- "&" -->';
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface Built {
  database: TemporaryDatabase;
  siteDir: string;
  server: SiteServer;
  /** Public ids of the published reviews. */
  ids: Record<'featured' | 'attack' | 'redacted' | 'anonymous' | 'withPhoto' | 'polish', string>;
  /** Row ids: the pending review's, and every published review's with its public id. */
  rowIds: { pending: number; published: Map<number, string> };
  /** A review published before public ids existed: its row id (its former address) and public id. */
  legacy: { rowId: number; publicId: string };
  emails: string[];
}

/** A published site whose reviews all came from invitations of `audience` (whatever the config says). */
async function buildSite(options: { audience: 'promoters' | 'all' }): Promise<Built> {
  const database = await createTemporaryDatabase();
  const uploadDir = join(database.directory, 'uploads');
  const siteDir = join(database.directory, 'site');
  const photo = await writeStoredPhoto(uploadDir);
  const anonymousPhoto = await writeStoredPhoto(uploadDir, '#e76f51');
  const { audience } = options;
  const special = await seedReviews(database.db, [
    { name: 'Featured Person', email: 'featured.person@example.com', rating: 4, featured: true, body: 'The featured one.', role: 'CTO', company: 'Initech', audience },
    { name: 'Mallory Script', email: 'mallory@example.com', rating: 2, body: attack, audience },
    { name: 'Rita Redacted', email: 'rita@example.com', rating: 3, redacted: true, body: 'Great help from [removed].', audience },
    { name: 'Hidden Face', email: 'hidden.face@example.com', rating: 5, nameDisplay: 'anonymous', photoPath: anonymousPhoto, body: 'I prefer not to be named.', audience },
    { name: 'Paula Photo', email: 'paula@example.com', rating: 5, nameDisplay: 'first_initial', photoPath: photo, body: 'A face to the name.', audience },
    { name: 'Jan Kowalski', email: 'jan@example.com', rating: 5, locale: 'pl', body: 'Świetna obsługa, polecam.', audience },
    // A pending review from an invitation of promoters must not make the 'all' wall "selected": only published reviews count.
    { name: 'Pending Pete', email: 'pete@example.com', status: 'pending', body: 'PENDING-TEXT-MUST-NOT-APPEAR', audience: 'promoters' },
  ]);
  // Enough ordinary approved reviews for a second page.
  const ordinary = await seedReviews(database.db, Array.from({ length: 24 }, (_, index) => ({ rating: (index % 5) + 1, submittedAt: new Date(Date.UTC(2025, 0, 1 + index)), audience })));
  // One review as the public-ids migration leaves a review that was published under its row id before.
  const legacyRowId = ordinary[3]!;
  await database.db.$client.execute({ sql: 'update reviews set legacy_numeric_url = 1 where id = ?', args: [legacyRowId] });
  const publishedRows = [...special.slice(0, 6), ...ordinary];
  const publicIds = (await publicIdsOf(database.db, publishedRows)) as string[];
  const [featured, attackId, redacted, anonymous, withPhoto, polish] = publicIds as [string, string, string, string, string, string];
  const published = new Map(publishedRows.map((rowId, index) => [rowId, publicIds[index]!]));

  const env = { ...process.env, DATABASE_URL: database.url, UPLOAD_DIR: uploadDir, SITE_DIR: siteDir, SITE_URL: 'https://reviews.example.com' };
  const result = await publishSite({ db: database.db, siteDir, startedBy: 'test', env, projectRoot });
  if (result.status !== 'succeeded') throw new Error(`publish failed: ${JSON.stringify(result)}`);
  const server = await startSiteServer({ siteDir, host: '127.0.0.1', port: 0 });
  const emails = (await database.db.$client.execute('select email from contacts')).rows.map((row) => String(row[0]));
  return {
    database,
    siteDir,
    server,
    ids: { featured, attack: attackId, redacted, anonymous, withPhoto, polish },
    rowIds: { pending: special[6]!, published },
    legacy: { rowId: legacyRowId, publicId: published.get(legacyRowId)! },
    emails,
  };
}

type JsonLdNode = Record<string, unknown> & { '@type': string };

/** Every JSON-LD node of the page, parsed (a parse error fails the test). */
async function readJsonLd(page: Page): Promise<JsonLdNode[]> {
  const blocks = await page.locator('script[type="application/ld+json"]').allTextContents();
  return blocks.flatMap((block) => {
    const value = JSON.parse(block) as JsonLdNode & { '@graph'?: JsonLdNode[] };
    expect(value['@context']).toBe('https://schema.org');
    return value['@graph'] ?? [value];
  });
}

/** What a review card shows. */
async function readCard(page: Page, id: string) {
  const card = page.locator(`article.review[data-review-id="${id}"]`);
  return {
    author: (await card.locator('.author').textContent())?.trim(),
    ratingLabel: await card.locator('.stars').getAttribute('aria-label'),
    body: await card.locator('blockquote').textContent(),
    lang: await card.locator('blockquote').getAttribute('lang'),
    date: await card.locator('time').getAttribute('datetime'),
    text: await card.textContent(),
  };
}

function expectCompleteReview(node: JsonLdNode) {
  expect(node['@type']).toBe('Review');
  expect(node.author).toMatchObject({ '@type': 'Person', name: expect.any(String) });
  expect(node.reviewRating).toMatchObject({ '@type': 'Rating', ratingValue: expect.any(Number), bestRating: 5, worstRating: 1 });
  expect(node.datePublished).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(node.reviewBody).toEqual(expect.any(String));
  expect(node.inLanguage).toEqual(expect.any(String));
  expect(node.itemReviewed).toEqual({ '@type': 'SoftwareApplication', name: 'Acme Helpdesk' });
}

let browser: Browser;
let promoters: Built;
let everyone: Built;
const alerts: string[] = [];

beforeAll(async () => {
  // Two builds one after the other: the machine has two cores shared with other work.
  promoters = await buildSite({ audience: 'promoters' });
  everyone = await buildSite({ audience: 'all' });
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const built of [promoters, everyone]) {
    await built?.server.close();
    built?.database.cleanup();
  }
});

async function open(built: Built, path: string): Promise<Page> {
  const page = await browser.newPage();
  page.on('dialog', (dialog) => {
    alerts.push(dialog.message());
    void dialog.dismiss();
  });
  const response = await page.goto(`${built.server.url}${path}`);
  expect(response?.status(), path).toBe(200);
  return page;
}

describe('published pages', () => {
  it('mark up every review on the wall with the properties Google asks for, matching the visible card', async () => {
    const page = await open(promoters, '/');
    const nodes = await readJsonLd(page);
    const cards = await page.locator('article.review').count();
    expect(cards).toBe(24);
    expect(nodes).toHaveLength(24);
    for (const node of nodes) {
      expectCompleteReview(node);
      const id = String(node.url).match(/\/testimonials\/([0-9a-f]{16})\/$/)?.[1] ?? 'no public id in the URL';
      const card = await readCard(page, id);
      expect(card.author).toBe((node.author as { name: string }).name);
      expect(card.ratingLabel).toBe(`Rated ${(node.reviewRating as { ratingValue: number }).ratingValue} out of 5`);
      expect(card.body?.trim()).toBe(node.reviewBody);
      expect(card.lang).toBe(node.inLanguage);
      expect(card.date).toBe(node.datePublished);
    }
    // Featured first, and the disclosure on every card.
    expect(await page.locator('article.review').first().getAttribute('data-review-id')).toBe(promoters.ids.featured);
    expect(await page.getByText('Offered a $10 gift card for writing an honest review, regardless of rating.').count()).toBe(24);
    await page.close();
  });

  it('shows a review whose text is </script><script>alert(1)</script> as text, with valid JSON-LD and no extra script', async () => {
    const page = await open(promoters, `/testimonials/${promoters.ids.attack}/`);
    const [node] = await readJsonLd(page);
    expectCompleteReview(node!);
    expect(node!.reviewBody).toBe(attack);
    expect((await readCard(page, promoters.ids.attack)).body?.trim()).toBe(attack);
    // The only script element is the JSON-LD block: the page runs no JavaScript at all.
    expect(await page.locator('script').count()).toBe(1);
    const html = await (await fetch(`${promoters.server.url}/testimonials/${promoters.ids.attack}/`)).text();
    expect(html).toContain('\\u003c/script\\u003e\\u003cscript\\u003ealert(1)');
    // Elsewhere the text sits in attribute values (description, og:description), where Chromium reads it as text.
    await expect(page.locator('meta[name="description"]').getAttribute('content')).resolves.toBe(attack);
    await page.waitForTimeout(200);
    expect(alerts).toEqual([]);
    await page.close();
  });

  it('says "selected testimonials" and claims no average when only promoters were invited', async () => {
    const page = await open(promoters, '/');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Selected testimonials');
    expect((await readJsonLd(page)).some((node) => 'aggregateRating' in node || node['@type'] === 'AggregateRating')).toBe(false);
    expect(await page.locator('.average').count()).toBe(0);
    await expect(page.getByRole('link', { name: 'How we collect reviews' }).first().getAttribute('href')).resolves.toBe('/how-we-collect-reviews/');
    const feed = (await (await fetch(`${promoters.server.url}/testimonials.json`)).json()) as Record<string, unknown>;
    expect(feed.collection).toBe('selected');
    expect(feed.collectionStatement).toMatch(/^These are selected testimonials: we invited only customers who said they would recommend us/);
    expect(feed).not.toHaveProperty('aggregateRating');
    await expect(page.locator('p.how').textContent()).resolves.toContain('These are selected testimonials');
    await page.close();
  });

  it('shows the average and count, and marks up AggregateRating, when every published review came from an invitation of every respondent', async () => {
    const ratings = (await everyone.database.db.$client.execute("select rating from reviews where status = 'approved'")).rows.map((row) => Number(row[0]));
    const average = Math.round((ratings.reduce((a, b) => a + b, 0) / ratings.length) * 10) / 10;
    const page = await open(everyone, '/');
    const item = (await readJsonLd(page)).find((node) => node['@type'] === 'SoftwareApplication');
    expect(item).toMatchObject({ name: 'Acme Helpdesk', aggregateRating: { '@type': 'AggregateRating', ratingValue: average, reviewCount: ratings.length } });
    await expect(page.locator('.average').textContent()).resolves.toContain(`${average.toFixed(1)} out of 5, average of ${ratings.length} reviews`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.not.toContain('Selected');
    await expect(page.locator('p.how').textContent()).resolves.toContain('We invited every customer who answered our survey, whatever their score.');
    const feed = (await (await fetch(`${everyone.server.url}/testimonials/featured.json`)).json()) as Record<string, unknown>;
    // The widget's feed shows six, but its collection and average cover every published review.
    expect(feed).toMatchObject({ collection: 'all', aggregateRating: { ratingValue: average, reviewCount: ratings.length } });
    await page.close();
  });

  it('shows the redaction mark, the chosen name, and a photo only for reviewers who are not anonymous', async () => {
    const redacted = await open(promoters, `/testimonials/${promoters.ids.redacted}/`);
    expect((await readCard(redacted, promoters.ids.redacted)).text).toContain('[edited to remove personal data]');
    await redacted.close();

    const photo = await open(promoters, `/testimonials/${promoters.ids.withPhoto}/`);
    expect((await readCard(photo, promoters.ids.withPhoto)).author).toBe('Paula P.');
    const image = photo.locator('article.review img');
    await expect(image.getAttribute('loading')).resolves.toBe('lazy');
    await expect(image.getAttribute('width')).resolves.toBe('128');
    await expect(image.getAttribute('height')).resolves.toBe('128');
    expect(await image.evaluate((element: HTMLImageElement) => element.complete && element.naturalWidth > 0)).toBe(true);
    await photo.close();
    for (const width of [64, 128, 256]) {
      const response = await fetch(`${promoters.server.url}/testimonials/photos/${promoters.ids.withPhoto}-${width}.webp`);
      expect(response.status).toBe(200);
      const metadata = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
      expect([metadata.format, metadata.width, metadata.height]).toEqual(['webp', width, width]);
    }

    const anonymous = await open(promoters, `/testimonials/${promoters.ids.anonymous}/`);
    expect((await readCard(anonymous, promoters.ids.anonymous)).author).toBe('Verified customer');
    expect((await readJsonLd(anonymous))[0]!.author).toEqual({ '@type': 'Person', name: 'Verified customer' });
    // No photo of an anonymous reviewer (the header's logo is the business's, not theirs).
    expect(await anonymous.locator('article.review img').count()).toBe(0);
    await anonymous.close();
    expect((await fetch(`${promoters.server.url}/testimonials/photos/${promoters.ids.anonymous}-64.webp`)).status).toBe(404);
  });

  it('pages the list from the oldest review, filters by language, lists every page in the sitemap, and keeps pending reviews out', async () => {
    // 30 reviews: the first page shows them all, newest first; the archive's page 1 holds the
    // oldest 24 and page 2 the newest 6, so later reviews never move them.
    const front = await open(promoters, '/testimonials/');
    const shown = await front.locator('article.review').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-review-id')));
    expect(shown).toHaveLength(30);
    expect(await front.getByRole('link', { name: 'Older reviews →' }).count()).toBe(0);
    await front.close();
    const first = await open(promoters, '/testimonials/page/1/');
    expect(await first.locator('article.review').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-review-id')))).toEqual(shown.slice(6));
    await expect(first.getByRole('link', { name: '← Newer reviews' }).getAttribute('href')).resolves.toBe('/testimonials/page/2/');
    expect(await first.getByRole('link', { name: 'Older reviews →' }).count()).toBe(0);
    await expect(first.locator('link[rel="canonical"]').getAttribute('href')).resolves.toBe('https://reviews.example.com/testimonials/page/1/');
    await first.close();
    const second = await open(promoters, '/testimonials/page/2/');
    expect(await second.locator('article.review').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-review-id')))).toEqual(shown.slice(0, 6));
    await expect(second.getByRole('link', { name: '← Newest reviews' }).getAttribute('href')).resolves.toBe('/testimonials/');
    await expect(second.getByRole('link', { name: 'Older reviews →' }).getAttribute('href')).resolves.toBe('/testimonials/page/1/');
    // The archive shows no average or counts, which would change with every new review.
    expect(await second.locator('.average, .count').count()).toBe(0);
    await second.close();
    const polish = await open(promoters, '/testimonials/lang/pl/');
    expect(await polish.locator('article.review').count()).toBe(1);
    await expect(polish.locator('blockquote').getAttribute('lang')).resolves.toBe('pl');
    await expect(polish.locator('link[rel="canonical"]').getAttribute('href')).resolves.toBe('https://reviews.example.com/testimonials/lang/pl/');
    await expect(polish.locator('meta[property="og:url"]').getAttribute('content')).resolves.toBe('https://reviews.example.com/testimonials/lang/pl/');
    await polish.close();
    const sitemap = await (await fetch(`${promoters.server.url}/sitemap.xml`)).text();
    for (const path of ['/', '/testimonials/', '/testimonials/page/1/', '/testimonials/page/2/', '/testimonials/lang/pl/', '/testimonials/lang/pl/page/1/', `/testimonials/${promoters.ids.polish}/`, '/how-we-collect-reviews/']) {
      expect(sitemap).toContain(`<loc>https://reviews.example.com${path}</loc>`);
    }
    expect(sitemap).not.toContain(`/testimonials/${promoters.rowIds.pending}/`);
    expect((await fetch(`${promoters.server.url}/testimonials/${promoters.rowIds.pending}/`)).status).toBe(404);
  });

  it('publishes a feed with public fields only, readable from any origin', async () => {
    for (const path of ['/testimonials.json', '/testimonials/featured.json']) {
      const response = await fetch(`${promoters.server.url}${path}`);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      const text = await response.text();
      for (const email of promoters.emails) expect(text).not.toContain(email);
      expect(text).not.toMatch(/@example\.|token|contact|request_?id|photo_?path|review-photos/i);
      expect(text).not.toContain('PENDING-TEXT-MUST-NOT-APPEAR');
    }
    const feed = (await (await fetch(`${promoters.server.url}/testimonials.json`)).json()) as { reviews: Record<string, unknown>[] };
    expect(feed.reviews).toHaveLength(30);
    expect(Object.keys(feed.reviews[0]!).sort()).toEqual(
      ['author', 'body', 'byline', 'datePublished', 'disclosure', 'edited', 'featured', 'id', 'incentive', 'language', 'photo', 'rating', 'url'].sort(),
    );
    const featured = (await (await fetch(`${promoters.server.url}/testimonials/featured.json`)).json()) as { reviews: { id: string }[] };
    // Featured first, then the newest: the widget's six.
    const { ids } = promoters;
    expect(featured.reviews.map((review) => review.id)).toEqual([ids.featured, ids.polish, ids.withPhoto, ids.anonymous, ids.redacted, ids.attack]);
    const widget = await fetch(`${promoters.server.url}/widget.js`);
    expect(widget.headers.get('access-control-allow-origin')).toBe('*');
    expect(await widget.text()).not.toContain('innerHTML');
    // The wall itself carries no email either, and goes out precompressed.
    const wallResponse = await fetch(`${promoters.server.url}/`, { headers: { 'accept-encoding': 'br' } });
    expect(wallResponse.headers.get('content-encoding')).toBe('br');
    const wall = await wallResponse.text();
    for (const email of promoters.emails) expect(wall).not.toContain(email);
  });

  it('name every testimonial by its public id, in pages, feeds, photos and the sitemap, and nowhere by its row id', async () => {
    const live = (await readPointer(siteLayout(promoters.siteDir).current))!;
    const client = join(live, 'client');
    const files = readdirSync(client, { recursive: true, encoding: 'utf8' }).filter((file) => /\.(html|json|xml|js)$/.test(file));
    const text = files.map((file) => readFileSync(join(client, file), 'utf8')).join('\n');
    const sitemap = readFileSync(join(client, 'sitemap.xml'), 'utf8');
    for (const [rowId, publicId] of promoters.rowIds.published) {
      expect(publicId).toMatch(/^[0-9a-f]{16}$/);
      expect(sitemap).toContain(`/testimonials/${publicId}/`);
      if (rowId === promoters.legacy.rowId) continue;
      for (const trace of [`/testimonials/${rowId}/`, `"id":${rowId},`, `data-review-id="${rowId}"`, `/photos/${rowId}-`]) expect(text, trace).not.toContain(trace);
      expect((await fetch(`${promoters.server.url}/testimonials/${rowId}/`, { redirect: 'manual' })).status).toBe(404);
    }
    // Photos by public id.
    expect(readdirSync(join(client, 'testimonials', 'photos')).sort()).toEqual([64, 128, 256].map((width) => `${promoters.ids.withPhoto}-${width}.webp`).sort());
  });

  it('send the old numeric address of a review published before public ids on to its new one: 301 from the site server, a redirect page for a CDN', async () => {
    const { rowId, publicId } = promoters.legacy;
    for (const path of [`/testimonials/${rowId}/`, `/testimonials/${rowId}`, `/testimonials/${rowId}/index.html`]) {
      for (const method of ['GET', 'HEAD']) {
        const response = await fetch(`${promoters.server.url}${path}`, { method, redirect: 'manual' });
        expect(response.status, `${method} ${path}`).toBe(301);
        expect(response.headers.get('location')).toBe(`/testimonials/${publicId}/`);
      }
    }
    const withQuery = await fetch(`${promoters.server.url}/testimonials/${rowId}/?utm_source=newsletter`, { redirect: 'manual' });
    expect(withQuery.headers.get('location')).toBe(`/testimonials/${publicId}/?utm_source=newsletter`);
    const sitemap = await (await fetch(`${promoters.server.url}/sitemap.xml`)).text();
    expect(sitemap).not.toContain(`/testimonials/${rowId}/`);

    // A CDN serves the build's files as they are: the page at the old address sends a browser on.
    const live = (await readPointer(siteLayout(promoters.siteDir).current))!;
    const cdn = createServer(sirv(join(live, 'client'), { extensions: ['html'] }));
    await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
    try {
      const cdnUrl = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}`;
      const redirectPage = await (await fetch(`${cdnUrl}/testimonials/${rowId}/`)).text();
      expect(redirectPage).toContain(`<link rel="canonical" href="https://reviews.example.com/testimonials/${publicId}/">`);
      expect(redirectPage).toContain('<meta name="robots" content="noindex">');
      const page = await browser.newPage();
      await page.goto(`${cdnUrl}/testimonials/${rowId}/`);
      await page.waitForURL(`${cdnUrl}/testimonials/${publicId}/`);
      await expect(page.locator(`article.review[data-review-id="${publicId}"]`).count()).resolves.toBe(1);
      await page.close();
    } finally {
      await new Promise((resolve) => cdn.close(resolve));
    }
  });

  it('a failed build leaves the previous pages live and records why', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'review-wall-config-'));
    try {
      // A type the schema does not know, as if typed by hand.
      const configFile = writeConfigVariant(directory, (config) => ({ ...config, itemReviewed: { type: 'Gadget', name: 'Gadget' } }));
      const live = await readPointer(siteLayout(promoters.siteDir).current);
      const env = { ...process.env, DATABASE_URL: promoters.database.url, SITE_DIR: promoters.siteDir, REVIEW_WALL_CONFIG: configFile };
      const result = await publishSite({ db: promoters.database.db, siteDir: promoters.siteDir, startedBy: 'test', env, projectRoot });
      expect(result.status).toBe('failed');
      expect(result.status === 'failed' && result.error).toMatch(/itemReviewed\.type: expected one of/);
      expect(await readPointer(siteLayout(promoters.siteDir).current)).toBe(live);
      const runs = await promoters.database.db.select().from(publishRuns);
      expect(runs.at(-1)).toMatchObject({ status: 'failed', error: expect.stringMatching(/itemReviewed\.type/) });
      expect((await fetch(`${promoters.server.url}/`)).status).toBe(200);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
