import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../db/client.ts';
import { startApp, type RunningApp } from '../helpers/app.ts';
import { writeConfigVariant } from '../helpers/config.ts';
import { createReviewLink } from '../helpers/review-links.ts';

// After sending a review, the reviewer's own text waits in a read-only box to copy onto the
// business's public profiles: with JavaScript a button copies it, without it the text is selectable.

let app: RunningApp;
let configDirectory: string;
test.beforeAll(async () => {
  configDirectory = mkdtempSync(join(tmpdir(), 'review-wall-sharing-'));
  const config = writeConfigVariant(configDirectory, (config) => ({ ...config, sharing: { profiles: [{ site: 'Capterra', url: 'https://www.capterra.com/p/1/acme/' }] } }));
  app = await startApp({ args: ['--no-demo'], env: { REVIEW_WALL_CONFIG: config } });
});
test.afterAll(async () => {
  await app?.stop();
  rmSync(configDirectory, { recursive: true, force: true });
});

async function newLink(locale: string): Promise<string> {
  const db = await openDatabase({ url: app.env.DATABASE_URL! });
  try {
    return (await createReviewLink(db, { locale })).token;
  } finally {
    db.$client.close();
  }
}

const text = 'The app is slow on my phone, but support always answers the same day.';

for (const javaScriptEnabled of [true, false]) {
  test.describe(`with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled });

    test('the thank-you page offers the profiles with the review ready to copy', async ({ page, context }) => {
      const token = await newLink('pl');
      await page.goto(`${app.url}/r/${token}`);
      await page.getByRole('radio', { name: '2 gwiazdki' }).check();
      await page.locator('#body').fill(text);
      await page.locator('#consent').check();
      await page.getByRole('button', { name: 'Wyślij opinię' }).click();
      await expect(page.getByText('Dziękujemy! Twoja opinia została zapisana.')).toBeVisible();

      const section = page.getByRole('region', { name: 'Udostępnij opinię w innych serwisach (opcjonalnie)' });
      const box = section.getByLabel('Twoja opinia, gotowa do skopiowania');
      await expect(box).toHaveValue(text);
      await expect(box).toHaveAttribute('readonly', '');
      await expect(section.getByRole('link', { name: /Opublikuj w serwisie Capterra/ })).toHaveAttribute('href', 'https://www.capterra.com/p/1/acme/');

      // axe runs as a script in the page, so only where scripts run.
      if (javaScriptEnabled) {
        const axe = await new AxeBuilder({ page }).include('[data-share]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
        expect(axe.violations.map((violation) => violation.id)).toEqual([]);
      }

      const copy = section.getByRole('button', { name: 'Kopiuj tekst' });
      if (!javaScriptEnabled) {
        await expect(copy).toBeHidden();
        // Selectable by hand: a read-only box still takes focus and a selection.
        await box.selectText();
        expect(await box.evaluate((element: HTMLTextAreaElement) => element.value.slice(element.selectionStart, element.selectionEnd))).toBe(text);
        return;
      }
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
      await copy.click();
      await expect(section.getByRole('status')).toHaveText('Skopiowano');
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(text);
    });
  });
}
