import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase } from '../../db/client.ts';
import { reviews } from '../../db/schema.ts';
import { startApp, type RunningApp } from '../helpers/app.ts';
import { writeConfigVariant } from '../helpers/config.ts';
import { createReviewLink } from '../helpers/review-links.ts';
import { createSurveyLink } from '../helpers/surveys.ts';

// axe-core's WCAG 2.0/2.1/2.2 A and AA rules on every kind of page, in light and dark mode.
// Automated rules find only part of real problems (hence the keyboard-only test below), but a
// page that fails them fails people.
const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp();
});
test.afterAll(async () => {
  await app?.stop();
});

async function expectNoViolations(page: Page, what: string) {
  // The email preview is a sandboxed iframe (no scripts), into which axe cannot be injected: it
  // would wait for it until the test times out. The email's own HTML is checked on its own page.
  const results = await new AxeBuilder({ page }).withTags(wcagTags).exclude('iframe[sandbox]').analyze();
  const found = results.violations.map((violation) => ({
    rule: violation.id,
    impact: violation.impact,
    help: violation.help,
    nodes: violation.nodes.slice(0, 5).map((node) => `${node.target.join(' ')}: ${node.failureSummary?.replace(/\s+/g, ' ')}`),
  }));
  expect(found, `${what}: ${JSON.stringify(found, null, 2)}`).toEqual([]);
}

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} mode`, () => {
    test.use({ colorScheme });

    test('public pages: wall, lists, a testimonial, how we collect', async ({ page }) => {
      await page.goto(`${app.url}/`);
      await expectNoViolations(page, '/');
      const firstTestimonial = await page.locator('article.review a[href*="/testimonials/"]').first().getAttribute('href');
      const paths = ['/testimonials/', '/testimonials/page/1/', '/testimonials/lang/pl/', '/how-we-collect-reviews/', firstTestimonial!];
      for (const path of paths) {
        await page.goto(new URL(path, app.url).href);
        await expectNoViolations(page, path);
      }
    });

    test('review form: empty, with errors, and for a link that is not valid', async ({ page }) => {
      await page.goto(app.reviewLink!);
      await expectNoViolations(page, 'review form');
      // A text too short, past the browser's own checks, so the server answers with its errors.
      await page.locator('textarea#body').fill('Too short');
      await page.locator('form:has(textarea#body)').evaluate((form: HTMLFormElement) => (form.noValidate = true));
      await page.locator('form:has(textarea#body) button[type="submit"]').click();
      await expect(page.locator('[aria-invalid="true"]').first()).toBeVisible();
      await expectNoViolations(page, 'review form with errors');
      await page.goto(`${app.url}/r/${'a'.repeat(32)}`);
      await expectNoViolations(page, 'unknown link');
    });

    test('survey pages: confirm, thank-you with the reason and the review, errors, unsubscribe', async ({ page }) => {
      const db = await openDatabase({ url: app.env.DATABASE_URL! });
      try {
        const link = await createSurveyLink(db, { locale: 'ru' });
        await page.goto(`${app.url}/s/${link.token}/9`);
        await expectNoViolations(page, 'survey confirm page');
        await page.locator('form button[type="submit"]').click();
        await expect(page.locator('#reason')).toBeVisible();
        await expectNoViolations(page, 'survey thank-you page with the review offer');
        // A reason past the limit, past the browser's own check, so the server answers with its error.
        await page.locator('#reason').evaluate((box: HTMLTextAreaElement) => box.removeAttribute('maxlength'));
        await page.locator('#reason').fill('x'.repeat(2001));
        await page.locator('form.reason button[type="submit"]').click();
        await expect(page.locator('#reason-error')).toBeVisible();
        await expectNoViolations(page, 'survey reason too long');
        await page.goto(`${app.url}/s/${link.token}/unsubscribe`);
        await expectNoViolations(page, 'survey unsubscribe');
        const expired = await createSurveyLink(db, { expired: true });
        await page.goto(`${app.url}/s/${expired.token}/5`);
        await expectNoViolations(page, 'expired survey link');
        await page.goto(`${app.url}/s/${'a'.repeat(32)}/5`);
        await expectNoViolations(page, 'unknown survey link');
        // A CSAT link: a score off its scale, then its five-point confirm and thank-you pages.
        const csat = await createSurveyLink(db, { kind: 'csat', locale: 'pl' });
        await page.goto(`${app.url}/s/${csat.token}/9`);
        await expect(page.getByTestId('out-of-range')).toBeVisible();
        await expectNoViolations(page, 'CSAT score off the scale');
        await page.goto(`${app.url}/s/${csat.token}/4`);
        await expectNoViolations(page, 'CSAT confirm page');
        await page.locator('form button[type="submit"]').click();
        await expect(page.locator('#reason')).toBeVisible();
        await expectNoViolations(page, 'CSAT thank-you page');
      } finally {
        db.$client.close();
      }
    });

    test('admin pages', async ({ page }) => {
      // Fifteen pages, each analysed by axe: slow on a busy machine.
      test.slow();
      await page.goto(`${app.url}/admin/sign-in`);
      await expectNoViolations(page, 'sign-in');
      await page.getByLabel('Email').fill(app.adminEmail!);
      await page.getByLabel('Password').fill('wrong password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expectNoViolations(page, 'sign-in with an error');
      await page.getByLabel('Email').fill(app.adminEmail!);
      await page.getByLabel('Password').fill(app.adminPassword!);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page).toHaveURL(/\/admin\/$/);
      for (const path of ['/admin/', '/admin/?status=approved', '/admin/dashboard/', '/admin/dashboard/?from=2026-01-01&to=2026-12-31&email=nobody@example.com', '/admin/publish/', '/admin/incentives/', '/admin/erase/', '/admin/surveys/', '/admin/surveys/?kind=ces', '/admin/scheduled/', '/admin/campaign/', '/admin/campaign/?audience=all', '/admin/emails/', '/admin/emails/?email=survey&locale=uk']) {
        await page.goto(`${app.url}${path}`);
        await expectNoViolations(page, path);
        if (path.startsWith('/admin/emails/')) {
          const emailHtml = (await page.locator('iframe[sandbox]').getAttribute('srcdoc'))!;
          const email = await page.context().newPage();
          await email.setContent(emailHtml);
          await expectNoViolations(email, `the email previewed on ${path}`);
          await email.close();
        }
      }
    });
  });
}

test.describe('with the keyboard only', () => {
  test.use({ javaScriptEnabled: false });

  test('a customer writes and sends a review without a mouse, seeing where the focus is', async ({ page }) => {
    const db = await openDatabase({ url: app.env.DATABASE_URL! });
    try {
      const link = await createReviewLink(db, { name: 'Ilze Bērziņa', locale: 'lv' });
      await page.goto(`${app.url}/r/${link.token}`);
      const focused = () => page.evaluate(() => {
        const element = document.activeElement as HTMLElement | null;
        return element ? `${element.tagName.toLowerCase()}#${element.id}` : '';
      });
      /** Presses Tab until the element is focused (at most 40 times), as a keyboard user would. */
      const tabTo = async (target: string | RegExp) => {
        const reached = async () => (typeof target === 'string' ? (await focused()) === target : target.test(await focused()));
        for (let presses = 0; presses < 40 && !(await reached()); presses++) await page.keyboard.press('Tab');
        expect(await focused()).toMatch(typeof target === 'string' ? new RegExp(`^${target}$`) : target);
      };
      // The first Tab reaches the skip link, and it shows.
      await page.keyboard.press('Tab');
      await expect(page.locator(':focus')).toBeVisible();

      await tabTo('input#rating-1');
      // Arrow keys move through the stars and choose one.
      for (let step = 0; step < 3; step++) await page.keyboard.press('ArrowRight');
      expect(await focused()).toBe('input#rating-4');
      await expect(page.locator('#rating-4')).toBeChecked();
      // The focused star is outlined (its label carries the focus ring).
      const ring = await page.locator('label[for="rating-4"]').evaluate((label) => getComputedStyle(label).outlineStyle);
      expect(ring).not.toBe('none');

      await tabTo('textarea#body');
      await page.keyboard.type('Pieteikumu izskatīja vienā dienā, un atbalsts visu paskaidroja saprotami.');
      // Tab lands on the chosen way to show the name; an arrow key picks the next one.
      await tabTo(/^input#name-display-/);
      const before = await focused();
      await page.keyboard.press('ArrowDown');
      const chosen = await focused();
      expect(chosen).not.toBe(before);
      await expect(page.locator(chosen)).toBeChecked();
      const nameDisplay = (await page.locator(chosen).getAttribute('value'))!;
      await tabTo('input#consent');
      await page.keyboard.press('Space');
      await expect(page.locator('#consent')).toBeChecked();
      await page.keyboard.press('Tab');
      expect(await focused()).toMatch(/^button#/);
      const outline = await page.locator(':focus').evaluate((button) => getComputedStyle(button).outlineStyle);
      expect(outline).not.toBe('none');
      await page.keyboard.press('Enter');

      await expect(page).toHaveURL(/saved=1/);
      const [stored] = await db.select().from(reviews).where(eq(reviews.requestId, link.requestId));
      expect(stored).toMatchObject({ rating: 4, nameDisplay, locale: 'lv', status: 'pending' });
    } finally {
      db.$client.close();
    }
  });
});

test.describe('a marketer with the keyboard only', () => {
  test.use({ javaScriptEnabled: false });

  test('signs in, approves one review and rejects another with a reason, without a mouse', async ({ page }) => {
    const db = await openDatabase({ url: app.env.DATABASE_URL! });
    try {
      const pending = await db.select().from(reviews).where(eq(reviews.status, 'pending'));
      expect(pending.length).toBeGreaterThanOrEqual(2);
      const [toApprove, toReject] = [pending[0]!.id, pending[1]!.id];
      const focused = () =>
        page.evaluate(() => {
          const element = document.activeElement as HTMLElement | null;
          const review = element?.closest('article')?.getAttribute('data-review-id') ?? '';
          return `${element?.tagName.toLowerCase()}|${element?.textContent?.trim() ?? ''}|${element?.getAttribute('name') ?? ''}|${review}`;
        });
      const tabTo = async (matches: (description: string) => boolean, limit = 250) => {
        for (let presses = 0; presses < limit && !matches(await focused()); presses++) await page.keyboard.press('Tab');
        expect(matches(await focused()), await focused()).toBe(true);
        await expect(page.locator(':focus')).toBeVisible();
      };

      await page.goto(`${app.url}/admin/sign-in`);
      await tabTo((d) => d.startsWith('input||email'));
      await page.keyboard.type(app.adminEmail!);
      await tabTo((d) => d.startsWith('input||password'));
      await page.keyboard.type(app.adminPassword!);
      await page.keyboard.press('Enter');
      await expect(page).toHaveURL(/\/admin\/$/);

      await tabTo((d) => d === `button|Approve||${toApprove}`);
      await page.keyboard.press('Enter');
      await expect(page).toHaveURL(new RegExp(`done=approve&review=${toApprove}`));

      await tabTo((d) => d.startsWith('select|') && d.endsWith(`|reason|${toReject}`));
      await page.keyboard.press('ArrowDown');
      await tabTo((d) => d === `button|Reject||${toReject}`, 3);
      await page.keyboard.press('Enter');
      await expect(page).toHaveURL(new RegExp(`done=reject&review=${toReject}`));

      const [approved] = await db.select().from(reviews).where(eq(reviews.id, toApprove));
      const [rejected] = await db.select().from(reviews).where(eq(reviews.id, toReject));
      expect(approved!.status).toBe('approved');
      expect(rejected).toMatchObject({ status: 'rejected', rejectionReason: 'spam' });
    } finally {
      db.$client.close();
    }
  });
});

// A business whose brand colours are pale yellow: the pages shade them until they are readable.
test.describe('a pale brand colour', () => {
  let pale: RunningApp;
  let directory: string;
  test.beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'review-wall-config-'));
    const configFile = writeConfigVariant(directory, (config) => ({ ...config, business: { ...config.business, colors: { primary: '#ffd400', accent: '#fff3b0' } } }));
    pale = await startApp({ env: { REVIEW_WALL_CONFIG: configFile } });
  });
  test.afterAll(async () => {
    await pale?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    test(`wall, review form and sign-in in ${colorScheme} mode`, async ({ browser }) => {
      const context = await browser.newContext({ colorScheme });
      const page = await context.newPage();
      for (const url of [`${pale.url}/`, pale.reviewLink!, `${pale.url}/admin/sign-in`]) {
        await page.goto(url);
        await expectNoViolations(page, url);
      }
      await context.close();
    });
  }
});
