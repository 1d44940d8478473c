import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { openDatabase, type Database } from '../../db/client.ts';
import { storeNpsAnswers } from '../../src/lib/server/listen/nps-import.ts';
import { startApp, type RunningApp } from '../helpers/app.ts';

// The follow-up page on a phone (390 px) with JavaScript off: reply, mark followed up with a note, undo.
const longEmail = `maximiliane.theodora.von-hohenzollern-sigmaringen@kundenservice.${'internationale-handelsgesellschaft'}.example`;

let app: RunningApp;
let db: Database;
test.beforeAll(async () => {
  test.setTimeout(240_000);
  app = await startApp();
  db = await openDatabase({ url: app.env.DATABASE_URL! });
  // The newest answer of all, so it heads the list.
  await storeNpsAnswers(
    db,
    [{ email: longEmail, name: 'Maximiliane Theodora von Hohenzollern-Sigmaringen', locale: 'en', score: 2, comment: `Unacceptable. ${'Supercalifragilisticexpialidocious'.repeat(3)}`, responded_at: new Date().toISOString() }],
    { source: 'webhook', defaultLocale: 'en' },
  );
});
test.afterAll(async () => {
  db?.$client.close();
  await app?.stop();
});

test('a marketer follows up from a phone without JavaScript', async ({ browser }) => {
  test.setTimeout(240_000);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false, colorScheme: 'light' });
  const page = await context.newPage();
  await page.goto(`${app.url}/admin/sign-in?next=/admin/follow-up/`);
  await page.getByLabel('Email').fill(app.adminEmail!);
  await page.getByLabel('Password').fill(app.adminPassword!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/admin\/follow-up\/$/);

  const fits = async () => {
    const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
  };
  await fits();

  const first = page.getByTestId('follow-up-waiting').locator('li').first();
  await expect(first).toContainText(longEmail);
  await expect(first.getByRole('link', { name: /Reply by email to answer \d+/ })).toHaveAttribute('href', new RegExp(`^mailto:${longEmail}\\?subject=`));
  await first.getByLabel('Note (optional)').fill('Called back, fixed.');
  await first.getByRole('button', { name: /Mark followed up: answer \d+/ }).click();
  await expect(page.getByTestId('follow-up-notice')).toContainText('marked followed up');
  const done = page.getByTestId('follow-up-done').locator('li').first();
  await expect(done).toContainText(longEmail);
  await expect(done).toContainText('Called back, fixed.');
  await expect(page.getByTestId('follow-up-waiting')).not.toContainText(longEmail);
  await fits();

  await done.getByRole('button', { name: /Undo/ }).click();
  await expect(page.getByTestId('follow-up-notice')).toContainText('is waiting again');
  await expect(page.getByTestId('follow-up-waiting').locator('li').first()).toContainText(longEmail);
  await context.close();
});

test('the follow-up page and the filtered dashboard fit a phone and pass axe', async ({ browser }) => {
  test.setTimeout(240_000);
  // axe runs as a script in the page, so this check needs JavaScript on.
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: 'light' });
  const page = await context.newPage();
  await page.goto(`${app.url}/admin/sign-in?next=/admin/follow-up/`);
  await page.getByLabel('Email').fill(app.adminEmail!);
  await page.getByLabel('Password').fill(app.adminPassword!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/admin\/follow-up\/$/);
  for (const path of ['/admin/follow-up/', '/admin/dashboard/?from=2026-01-01&to=2026-12-31&segment=none&locale=en']) {
    await page.goto(`${app.url}${path}`);
    const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
    expect(scrollWidth, path).toBeLessThanOrEqual(clientWidth);
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
    expect(axe.violations.map((violation) => `${path}: ${violation.id} at ${violation.nodes[0]?.target.join(' ')}`)).toEqual([]);
  }
  await context.close();
});
