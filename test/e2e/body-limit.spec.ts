import { expect, test } from '@playwright/test';
import { eq } from 'drizzle-orm';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../db/client.ts';
import { reviews } from '../../db/schema.ts';
import { startApp, type RunningApp } from '../helpers/app.ts';
import { createReviewLink } from '../helpers/review-links.ts';

// A reviewer picks a photo far over the limit: the server refuses the post from its declared size,
// without reading it, and the browser still shows why instead of a broken connection.
test.use({ javaScriptEnabled: false, locale: 'uk-UA' });

let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp({ args: ['--no-demo'] });
});
test.afterAll(async () => {
  await app?.stop();
});

test('a photo too large for the server gets the form’s message in the reviewer’s language', async ({ page }) => {
  const db = await openDatabase({ url: app.env.DATABASE_URL! });
  try {
    const link = await createReviewLink(db, { locale: 'uk' });
    await page.goto(`${app.url}/r/${link.token}`);
    await page.getByRole('radio', { name: '4 зірки' }).check();
    await page.getByLabel('Ваш відгук').fill('Підтримка відповіла за п’ять хвилин і все пояснила.');
    await page.getByRole('radio', { name: /Ім'я та ініціал прізвища/ }).check();
    await page.getByLabel(/Я даю згоду/).check();
    // From disk: a file this size is slow to hand over as a buffer.
    const photo = join(app.directory, 'panorama.jpg');
    writeFileSync(photo, Buffer.alloc(30 * 1024 * 1024, 1));
    await page.locator('#photo').setInputFiles(photo);
    await page.getByRole('button', { name: 'Надіслати відгук' }).click();
    await expect(page.getByRole('alert')).toContainText('Форма завелика');
    expect(await db.select().from(reviews).where(eq(reviews.requestId, link.requestId))).toHaveLength(0);
  } finally {
    db.$client.close();
  }
});
