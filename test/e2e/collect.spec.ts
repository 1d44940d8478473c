import { expect, test } from '@playwright/test';
import { eq } from 'drizzle-orm';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { openDatabase } from '../../db/client.ts';
import { contacts, incentives, reviewRequests, reviews } from '../../db/schema.ts';
import { projectRoot, runScript, startApp, type RunningApp } from '../helpers/app.ts';
import { createJpegWithGps, hasGpsDirectory } from '../helpers/images.ts';

// A customer reads the invitation, follows its link with JavaScript off, and writes a review in Ukrainian.
test.use({ javaScriptEnabled: false });

let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp({ args: ['--no-demo'] });
});
test.afterAll(async () => {
  await app?.stop();
});

/** The review link in the invitation sent to `email`, read from the outbox `.eml`. */
function invitationLink(email: string): string {
  const outbox = app.env.OUTBOX_DIR!;
  for (const file of readdirSync(outbox).filter((name) => name.endsWith('.eml'))) {
    // Undo quoted-printable soft line breaks so a long link is whole again.
    const raw = readFileSync(join(outbox, file), 'utf8').replace(/=\r?\n/g, '');
    const [headers = ''] = raw.split(/\r?\n\r?\n/);
    if (!new RegExp(`^To:.*${email.replace(/\./g, '\\.')}`, 'im').test(headers)) continue;
    const link = raw.match(new RegExp(`${app.url.replace(/\./g, '\\.')}/r/[a-z2-7]{32}`))?.[0];
    if (link) return link;
  }
  throw new Error(`no invitation with a review link for ${email} in ${outbox}`);
}

test('a promoter imported from CSV and invited by email writes a review with a photo in Ukrainian, without JavaScript', async ({ page }) => {
  const imported = await runScript('import', [join(projectRoot, 'test', 'fixtures', 'nps-responses.csv')], app.env);
  expect(imported.code, imported.stderr).toBe(0);
  const invited = await runScript('invite', [], app.env);
  expect(invited.code, invited.stderr).toBe(0);

  const link = invitationLink('customer12@example.com');
  await page.setViewportSize({ width: 360, height: 800 });
  await page.goto(link);
  await expect(page.locator('html')).toHaveAttribute('lang', 'uk');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Як вам співпраця з Acme Support Desk?');
  await expect(page.getByText('На подяку за ваш час ви отримаєте подарункову картку на 10 $.')).toBeVisible();
  await expect(page.getByText('не залежить ні від вашої оцінки, ні від того, що ви напишете')).toBeVisible();
  // Good on a phone: nothing wider than the screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  // The switcher works without JavaScript, and back.
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('How was your experience with Acme Support Desk?');
  await page.getByRole('link', { name: 'Українська' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'uk');

  const photo = { name: 'me.jpg', mimeType: 'image/jpeg', buffer: await createJpegWithGps() };
  const text = 'Підтримка відповіла за п’ять хвилин і все пояснила. Дуже зручно!';
  await page.getByRole('radio', { name: '4 зірки' }).check();
  await page.getByLabel('Ваш відгук').fill(text);
  await page.getByRole('radio', { name: /Ім'я та ініціал прізвища/ }).check();
  // Each choice previews how the name will be shown.
  await expect(page.locator('#name-preview-first_initial')).toHaveText(/Підпис:\s*Ірина К\./);
  await expect(page.locator('#name-preview-full')).toHaveText(/Ірина Коваленко/);
  await expect(page.locator('#name-preview-anonymous')).toHaveText(/Перевірений клієнт/);
  await page.getByLabel('Посада').fill('Бухгалтерка');
  await page.locator('#photo').setInputFiles(photo);

  // Forgetting the consent: the form comes back with everything typed, and says why.
  await page.getByRole('button', { name: 'Надіслати відгук' }).click();
  await expect(page.getByRole('alert')).toContainText('Позначте згоду на публікацію відгуку.');
  await expect(page.getByLabel('Ваш відгук')).toHaveValue(text);
  await expect(page.getByRole('radio', { name: '4 зірки' })).toBeChecked();
  await expect(page.getByLabel('Посада')).toHaveValue('Бухгалтерка');
  await expect(page.getByText('виберіть його ще раз')).toBeVisible();
  await page.getByRole('alert').getByRole('link').click();
  await expect(page.locator('#consent')).toBeFocused();

  await page.locator('#photo').setInputFiles(photo);
  await page.getByLabel(/Я даю згоду/).check();
  await page.getByRole('button', { name: 'Надіслати відгук' }).click();
  await expect(page.getByRole('status')).toContainText('Дякуємо! Ваш відгук збережено.');
  expect(page.url()).toMatch(/\?lang=uk&saved=1$/);
  await expect(page.getByRole('button', { name: 'Зберегти зміни' })).toBeVisible();

  const db = await openDatabase({ url: app.env.DATABASE_URL! });
  try {
    const [stored] = await db
      .select({ review: reviews, requestSubmittedAt: reviewRequests.submittedAt })
      .from(reviews)
      .innerJoin(contacts, eq(contacts.id, reviews.contactId))
      .innerJoin(reviewRequests, eq(reviewRequests.id, reviews.requestId))
      .where(eq(contacts.email, 'customer12@example.com'));
    expect(stored?.review).toMatchObject({ status: 'pending', locale: 'uk', rating: 4, body: text, nameDisplay: 'first_initial', role: 'Бухгалтерка' });
    expect(stored?.requestSubmittedAt).toBeInstanceOf(Date);
    const ledger = await db.select().from(incentives).where(eq(incentives.reviewId, stored!.review.id));
    expect(ledger).toEqual([expect.objectContaining({ state: 'pending' })]);

    const photoFile = join(app.env.UPLOAD_DIR!, stored!.review.photoPath!);
    expect(existsSync(photoFile)).toBe(true);
    const metadata = await sharp(photoFile).metadata();
    expect(metadata).toMatchObject({ format: 'webp', width: 256, height: 256 });
    expect(metadata.exif).toBeUndefined();
    expect(hasGpsDirectory(readFileSync(photoFile))).toBe(false);
  } finally {
    db.$client.close();
  }
});
