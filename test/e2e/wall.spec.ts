import { expect, test } from '@playwright/test';
import { startApp, type RunningApp } from '../helpers/app.ts';

let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp();
});
test.afterAll(async () => {
  await app?.stop();
});

test('a newcomer starts the site and sees the demo wall', async ({ page }) => {
  await page.goto(`${app.url}/`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Selected testimonials');
  const reviews = page.locator('article.review');
  await expect(reviews).toHaveCount(5);
  // Featured first, in its own language, with the incentive disclosed.
  await expect(reviews.first()).toContainText('Aisha Bello');
  await expect(page.locator('blockquote[lang="pl"]')).toContainText('Obsługa klienta');
  await expect(reviews.first()).toContainText('regardless of rating');
  // Pending reviews are not public, and neither are emails.
  await expect(page.getByText('Support fixed my issue in minutes, and the follow-up')).toHaveCount(0);
  expect(await page.content()).not.toContain('@example.');
  expect(app.adminPassword).toBeTruthy();
  expect(app.reviewLink).toMatch(/\/r\/[a-z2-7]{32}$/);
});
