import { createClient, type Client } from '@libsql/client';
import { expect, test, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyProject, projectRoot, startApp, type RunningApp } from '../helpers/app.ts';
import { readEml } from '../helpers/eml.ts';

// What the wall says about how its reviews were collected must follow the invitations actually
// sent, whatever review-wall.config.ts says. Each test is one business over time, in its own copy
// of the project with its own config: CSV answers in March, an invitation run, reviews (1★ from
// detractors included) written through the emailed links, approval in the admin, `npm run
// publish`, then the words, the title, the how-we-collect page and the JSON-LD; then the same in
// June with another audience. Time is not waited for: after each run the test moves the new
// requests' sent (and created) times to the month the story needs, straight in the database.

const march = join(projectRoot, 'test', 'fixtures', 'audience-mix-march.csv');
const june = join(projectRoot, 'test', 'fixtures', 'audience-mix-june.csv');
const adminEmail = 'keeper@bees.example';
const adminPassword = 'correct horse battery staple';
const selectedRule = 'These are selected testimonials: we invited only customers who said they would recommend us (9 or 10 out of 10).';
const everyoneRule = 'We invited every customer who answered our survey, whatever their score.';

/** A business's own config (not the shipped one), with the default audience under test. */
function writeConfig(root: string, options: { audience: 'promoters' | 'all'; incentive: string }): string {
  const file = join(root, 'review-wall.config.ts');
  writeFileSync(
    file,
    `import { defineReviewWallConfig } from './src/lib/config-schema.ts';
export default defineReviewWallConfig({
  business: { name: 'Honest Bees', website: 'https://bees.example' },
  itemReviewed: { type: 'Service', name: 'Beekeeping lessons' },
  locales: { default: 'en', enabled: ['en'] },
  invite: { audience: '${options.audience}' },
  incentive: { text: '${options.incentive}' },
});
`,
  );
  return file;
}

interface Business {
  app: RunningApp;
  root: string;
  db: Client;
}

async function openBusiness(options: { audience: 'promoters' | 'all'; incentive: string }): Promise<Business> {
  const root = copyProject();
  // Every command of this business reads its own file, as REVIEW_WALL_CONFIG (tests default to the fixture).
  const app = await startApp({ cwd: root, args: ['--no-demo'], env: { REVIEW_WALL_CONFIG: writeConfig(root, options) } });
  const business = { app, root, db: createClient({ url: app.env.DATABASE_URL! }) };
  const created = await npmRun(business, 'admin', ['create', adminEmail], { ADMIN_PASSWORD: adminPassword });
  expect(created.code, created.stderr).toBe(0);
  return business;
}

async function closeBusiness(business: Business | undefined): Promise<void> {
  if (!business) return;
  business.db.close();
  await business.app.stop();
  rmSync(business.root, { recursive: true, force: true });
}

/** `npm run SCRIPT -- ARGS` in the business's project folder, with the app's environment. */
function npmRun(business: Business, script: string, args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // npm_* variables of the npm that started the tests would leak npm's own settings into the child.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
  return new Promise((done) => {
    const child = spawn('npm', ['run', '--silent', script, '--', ...args], {
      cwd: business.root,
      env: { ...inherited, ...business.app.env, ...extraEnv, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/**
 * Imports `csv`, runs `npm run invite` with `args`, and dates the requests that run made to `sentAt`
 * (instead of waiting months). Returns the review links it emailed, by recipient.
 */
async function inviteAt(business: Business, csv: string, args: string[], sentAt: string): Promise<Map<string, string>> {
  const imported = await npmRun(business, 'import', [csv]);
  expect(imported.code, imported.stderr).toBe(0);
  const startedAt = Date.now();
  const before = new Set(outboxFiles(business));
  const invited = await npmRun(business, 'invite', args);
  expect(invited.code, invited.stderr).toBe(0);
  await business.db.execute({ sql: 'update review_requests set sent_at = ?1, created_at = ?1 where created_at >= ?2', args: [Date.parse(sentAt), startedAt] });
  const links = new Map<string, string>();
  for (const file of outboxFiles(business).filter((name) => !before.has(name))) {
    const email = readEml(join(business.app.env.OUTBOX_DIR!, file));
    const link = email.text.match(/http:\/\/127\.0\.0\.1:\d+\/r\/[a-z2-7]{32}/)?.[0];
    if (link) links.set(email.headers.get('to')!.replace(/^.*<|>$/g, ''), link);
  }
  return links;
}

function outboxFiles(business: Business): string[] {
  try {
    return readdirSync(business.app.env.OUTBOX_DIR!).filter((name) => name.endsWith('.eml'));
  } catch {
    return [];
  }
}

/** The customer opens the emailed link and sends a review. */
async function writeReview(page: Page, link: string | undefined, rating: number, text: string): Promise<void> {
  expect(link, 'an invitation with a review link').toBeTruthy();
  await page.goto(link!);
  await page.locator(`input[name="rating"][value="${rating}"]`).check();
  await page.locator('#body').fill(text);
  await page.locator('input[name="nameDisplay"][value="full"]').check();
  await page.locator('#consent').check();
  await page.locator('form button[type="submit"]').click();
  await expect(page).toHaveURL(/[?&]saved=1$/);
}

/** A marketer signs in and approves every pending review with "Approve selected". */
async function approveAllPending(page: Page, business: Business, count: number): Promise<void> {
  await page.goto(`${business.app.url}/admin/?status=pending`);
  if (new URL(page.url()).pathname === '/admin/sign-in') {
    await page.getByLabel('Email').fill(adminEmail);
    await page.getByLabel('Password').fill(adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('signed-in-email')).toHaveText(adminEmail);
    await page.goto(`${business.app.url}/admin/?status=pending`);
  }
  const boxes = page.locator('input[name="reviewIds"]');
  await expect(boxes).toHaveCount(count);
  for (const box of await boxes.all()) await box.check();
  await page.getByRole('button', { name: 'Approve selected' }).click();
  await expect(page.getByText(`${count} review${count === 1 ? '' : 's'} approved.`)).toBeVisible();
}

async function publish(business: Business): Promise<void> {
  const published = await npmRun(business, 'publish', []);
  expect(published.code, published.stderr).toBe(0);
}

interface PublicClaims {
  heading: string;
  note: string;
  average: string | null;
  aggregateRating: unknown;
  listingHeading: string;
  /** The whole text of the "How we collect reviews" page. */
  howWeCollect: string;
  feed: { collection: string; collectionStatement: string; aggregateRating?: unknown };
}

/** What the published pages say about collection, read in Chromium (and the feed over HTTP). */
async function readClaims(page: Page, business: Business): Promise<PublicClaims> {
  const { url } = business.app;
  await page.goto(`${url}/`);
  const heading = (await page.getByRole('heading', { level: 1 }).textContent())!.trim();
  const note = (await page.locator('p.how').textContent())!.replace(/\s+/g, ' ').trim();
  const average = (await page.locator('.average').count()) > 0 ? (await page.locator('.average').textContent())!.replace(/\s+/g, ' ').trim() : null;
  const nodes = (await page.locator('script[type="application/ld+json"]').allTextContents()).flatMap((block) => {
    const value = JSON.parse(block) as Record<string, unknown> & { '@graph'?: Record<string, unknown>[] };
    return value['@graph'] ?? [value];
  });
  const aggregateRating = nodes.find((node) => 'aggregateRating' in node)?.aggregateRating ?? null;
  await page.goto(`${url}/testimonials/`);
  const listingHeading = (await page.getByRole('heading', { level: 1 }).textContent())!.trim();
  await page.goto(`${url}/how-we-collect-reviews/`);
  const howWeCollect = (await page.locator('main').textContent())!.replace(/\s+/g, ' ').trim();
  const feed = (await (await fetch(`${url}/testimonials.json`)).json()) as PublicClaims['feed'];
  return { heading, note, average, aggregateRating, listingHeading, howWeCollect, feed };
}

/** The incentive line on the card of the review whose text is `text`. */
async function disclosureOf(page: Page, business: Business, text: string): Promise<string> {
  await page.goto(`${business.app.url}/`);
  return (await page.locator('article.review', { hasText: text }).locator('.disclosure').textContent())!.trim();
}

test.describe.configure({ timeout: 600_000 });

test('config "promoters": everyone invited in March (--audience all), then promoters in June', async ({ page }) => {
  let business: Business | undefined;
  try {
    business = await openBusiness({ audience: 'promoters', incentive: 'a pot of honey' });
    const empty = await readClaims(page, business);
    expect(empty.heading).toBe('Testimonials for Beekeeping lessons');
    expect(empty.note).toContain('No reviews are published yet.');

    // March: the business runs `npm run invite -- --audience all` although its config says promoters.
    const marchLinks = await inviteAt(business, march, ['--audience', 'all'], '2026-03-10T09:00:00Z');
    expect([...marchLinks.keys()].sort()).toEqual(['ada.promoter@example.com', 'ben.promoter@example.com', 'cat.passive@example.com', 'dan.detractor@example.com']);
    await writeReview(page, marchLinks.get('ada.promoter@example.com'), 5, 'The hive tour was wonderful and the teacher patient.');
    await writeReview(page, marchLinks.get('cat.passive@example.com'), 3, 'Good lessons, but the booking page kept failing.');
    await writeReview(page, marchLinks.get('dan.detractor@example.com'), 1, 'Stung twice and nobody answered my emails afterwards.');
    await approveAllPending(page, business, 3);
    await publish(business);

    const allOnly = await readClaims(page, business);
    expect(allOnly.heading).toBe('Reviews of Beekeeping lessons');
    expect(allOnly.note).toContain(everyoneRule);
    expect(allOnly.note).not.toContain('selected');
    expect(allOnly.note).toContain('every reviewer was offered a pot of honey whatever their rating');
    expect(allOnly.average).toBe('3.0 out of 5, average of 3 reviews');
    expect(allOnly.aggregateRating).toEqual({ '@type': 'AggregateRating', ratingValue: 3, reviewCount: 3, bestRating: 5, worstRating: 1 });
    expect(allOnly.listingHeading).toBe('All reviews');
    expect(allOnly.howWeCollect).toContain('we invited every customer who answered, whatever their score');
    expect(allOnly.howWeCollect).toContain('Every reviewer was offered a pot of honey whatever their rating.');
    expect(allOnly.feed).toMatchObject({ collection: 'all', collectionStatement: everyoneRule, aggregateRating: { ratingValue: 3, reviewCount: 3 } });

    // June: a plain `npm run invite` follows the config: only the new promoter is asked.
    const juneLinks = await inviteAt(business, june, [], '2026-06-05T09:00:00Z');
    expect([...juneLinks.keys()]).toEqual(['eve.promoter@example.com']);
    await writeReview(page, juneLinks.get('eve.promoter@example.com'), 4, 'Calm, clear teaching; I have my own hive now.');
    await approveAllPending(page, business, 1);
    await publish(business);

    const rule = 'all respondents invited in March 2026, promoters since June 2026';
    const allThenPromoters = await readClaims(page, business);
    expect(allThenPromoters.heading).toBe('Selected testimonials for Beekeeping lessons');
    expect(allThenPromoters.note).toContain(`These are selected testimonials: ${rule}.`);
    expect(allThenPromoters.average).toBeNull();
    expect(allThenPromoters.aggregateRating).toBeNull();
    expect(allThenPromoters.listingHeading).toBe('All selected testimonials');
    expect(allThenPromoters.howWeCollect).toContain(rule);
    expect(allThenPromoters.feed.collection).toBe('selected');
    expect(allThenPromoters.feed.collectionStatement).toContain(rule);
    expect(allThenPromoters.feed).not.toHaveProperty('aggregateRating');
  } finally {
    await closeBusiness(business);
  }
});

test('config "all": nothing published, then promoters invited in March (--audience promoters), then everyone in June with a new gift', async ({ page }) => {
  let business: Business | undefined;
  try {
    business = await openBusiness({ audience: 'all', incentive: 'a pot of honey' });

    // Nothing published yet: no claim about whom we invited, whatever the config says.
    const empty = await readClaims(page, business);
    expect(empty.heading).toBe('Testimonials for Beekeeping lessons');
    expect(empty.note).toContain('No reviews are published yet.');
    expect(empty.note).not.toContain('invited');
    expect(empty.average).toBeNull();
    expect(empty.aggregateRating).toBeNull();
    expect(empty.howWeCollect).toContain('No reviews are published yet');

    // March: `npm run invite -- --audience promoters` although the config says all.
    const marchLinks = await inviteAt(business, march, ['--audience', 'promoters'], '2026-03-10T09:00:00Z');
    expect([...marchLinks.keys()].sort()).toEqual(['ada.promoter@example.com', 'ben.promoter@example.com']);
    await writeReview(page, marchLinks.get('ada.promoter@example.com'), 5, 'The hive tour was wonderful and the teacher patient.');
    await writeReview(page, marchLinks.get('ben.promoter@example.com'), 4, 'Honey harvest day was the best part of the course.');
    await approveAllPending(page, business, 2);
    await publish(business);

    const promotersOnly = await readClaims(page, business);
    expect(promotersOnly.heading).toBe('Selected testimonials for Beekeeping lessons');
    expect(promotersOnly.note).toContain(selectedRule);
    expect(promotersOnly.note).not.toContain('every customer');
    expect(promotersOnly.average).toBeNull();
    expect(promotersOnly.aggregateRating).toBeNull();
    expect(promotersOnly.listingHeading).toBe('All selected testimonials');
    expect(promotersOnly.howWeCollect).toContain('only those who answered 9 or 10');
    expect(promotersOnly.feed).toMatchObject({ collection: 'selected', collectionStatement: selectedRule });
    expect(promotersOnly.feed).not.toHaveProperty('aggregateRating');

    // June: the gift changes, and a plain `npm run invite` follows the config: everyone not asked yet.
    writeConfig(business.root, { audience: 'all', incentive: 'a beeswax candle' });
    const juneLinks = await inviteAt(business, june, [], '2026-06-05T09:00:00Z');
    expect([...juneLinks.keys()].sort()).toEqual(['cat.passive@example.com', 'dan.detractor@example.com', 'eve.promoter@example.com', 'fay.detractor@example.com']);
    await writeReview(page, juneLinks.get('dan.detractor@example.com'), 1, 'Stung twice and nobody answered my emails afterwards.');
    await writeReview(page, juneLinks.get('fay.detractor@example.com'), 2, 'The course was cancelled twice without notice.');
    await approveAllPending(page, business, 2);
    await publish(business);

    const rule = 'promoters invited in March 2026, all respondents since June 2026';
    const promotersThenAll = await readClaims(page, business);
    expect(promotersThenAll.heading).toBe('Selected testimonials for Beekeeping lessons');
    expect(promotersThenAll.note).toContain(`These are selected testimonials: ${rule}.`);
    expect(promotersThenAll.average).toBeNull();
    expect(promotersThenAll.aggregateRating).toBeNull();
    expect(promotersThenAll.howWeCollect).toContain(rule);
    expect(promotersThenAll.feed.collectionStatement).toContain(rule);
    expect(promotersThenAll.feed).not.toHaveProperty('aggregateRating');
    // Each reviewer is said to have been offered what their own invitation promised.
    const gifts = 'a pot of honey if invited in March 2026, a beeswax candle if invited since June 2026';
    expect(promotersThenAll.note).toContain(gifts);
    expect(promotersThenAll.howWeCollect).toContain(gifts);
    expect(await disclosureOf(page, business, 'Honey harvest day')).toBe('Offered a pot of honey for writing an honest review, regardless of rating.');
    expect(await disclosureOf(page, business, 'Stung twice')).toBe('Offered a beeswax candle for writing an honest review, regardless of rating.');
  } finally {
    await closeBusiness(business);
  }
});
