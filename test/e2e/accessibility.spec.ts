import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyProject, startApp, type RunningApp } from '../helpers/app.ts';

// axe-core's WCAG 2.0/2.1/2.2 A and AA rules on every kind of page, in light and dark mode.
// Automated checks find about a third of real problems (keyboard use and reading order still
// need a person), but a page that fails them fails people.
const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp();
});
test.afterAll(async () => {
  await app?.stop();
});

async function expectNoViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).withTags(wcagTags).analyze();
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
      const paths = ['/testimonials/', '/testimonials/lang/pl/', '/how-we-collect-reviews/', firstTestimonial!];
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

    test('admin pages', async ({ page }) => {
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
      for (const path of ['/admin/', '/admin/?status=approved', '/admin/dashboard/', '/admin/publish/', '/admin/incentives/', '/admin/erase/']) {
        await page.goto(`${app.url}${path}`);
        await expectNoViolations(page, path);
      }
    });
  });
}

// A business whose brand colours are pale yellow: the pages shade them until they are readable.
test.describe('a pale brand colour', () => {
  let pale: RunningApp;
  let copy: string;
  test.beforeAll(async () => {
    copy = copyProject();
    const configFile = join(copy, 'review-wall.config.ts');
    const original = readFileSync(configFile, 'utf8');
    const changed = original.replace(/colors: \{[^}]*\}/, "colors: { primary: '#ffd400', accent: '#fff3b0' }");
    expect(changed).not.toBe(original);
    writeFileSync(configFile, changed);
    pale = await startApp({ cwd: copy });
  });
  test.afterAll(async () => {
    await pale?.stop();
    rmSync(copy, { recursive: true, force: true });
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
