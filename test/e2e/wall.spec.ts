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

test('the wall, a testimonial, the review form and the admin sign-in load without a console error or a failed request, each with its icon', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
  page.on('requestfailed', (request) => problems.push(`failed ${request.url()}`));
  await page.goto(`${app.url}/`);
  const testimonial = await page.locator('article.review .author a').first().getAttribute('href');
  for (const url of [`${app.url}/`, `${app.url}${testimonial}`, app.reviewLink!, `${app.url}/admin/sign-in`]) {
    await page.goto(url);
    // Chromium asks for the page's icon (or /favicon.ico when none is linked) after the load.
    await page.waitForLoadState('networkidle');
    const icon = await page.locator('link[rel="icon"]').getAttribute('href');
    expect(icon, url).toBe('/favicon.svg');
    const served = await page.request.get(`${app.url}${icon}`);
    expect(served.headers()['content-type'], url).toContain('image/svg+xml');
  }
  expect(problems).toEqual([]);
});
