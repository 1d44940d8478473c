import { expect, test, type Page, type Request } from '@playwright/test';
import { eq } from 'drizzle-orm';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { openDatabase, type Database } from '../../db/client.ts';
import { reviews } from '../../db/schema.ts';
import { reviewFormLimits } from '../../src/lib/collect/review-submission.ts';
import { projectRoot, startApp, type RunningApp } from '../helpers/app.ts';
import { createPhoneJpeg, topAndBottomColours, webpChunkNames } from '../helpers/images.ts';
import { createReviewLink } from '../helpers/review-links.ts';

// With JavaScript on (Chromium's default), the review form shrinks a chosen photo before sending
// it, and refuses one it cannot send before anything leaves the browser.
const MB = 1024 * 1024;
let app: RunningApp;
let db: Database;
/** 48 MP of noise, sideways with EXIF orientation 6 and a GPS position: 21 MB, too large for the server as it is. */
let bigPhotoPath: string;
test.beforeAll(async () => {
  test.setTimeout(180_000);
  const original = await createPhoneJpeg({ minBytes: 21 * MB });
  expect(original.byteLength).toBeGreaterThan(reviewFormLimits.photoMaxBytes);
  app = await startApp({ args: ['--no-demo'] });
  db = await openDatabase({ url: app.env.DATABASE_URL! });
  bigPhotoPath = join(app.directory, 'IMG_20260412_101500.jpg');
  writeFileSync(bigPhotoPath, original);
});
test.afterAll(async () => {
  db?.$client.close();
  await app?.stop();
});

/** Every form post the page sends, as it sends them. */
function recordPosts(page: Page): Request[] {
  const posts: Request[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST') posts.push(request);
  });
  return posts;
}

async function fillReview(page: Page, text: string): Promise<void> {
  await page.getByRole('radio', { name: '5 stars' }).check();
  await page.getByLabel('Your review').fill(text);
  await page.getByRole('radio', { name: 'First name and initial' }).check();
  await page.getByLabel(/I agree that/).check();
}

test('a 21 MB photo from a phone, over the server’s limit, is shrunk in the browser, upright, and saved with the review', async ({ page }) => {
  const link = await createReviewLink(db, { locale: 'en' });
  const posts = recordPosts(page);
  await page.goto(`${app.url}/r/${link.token}`);
  const text = 'They fixed our router in ten minutes. Photo straight from my phone.';
  await fillReview(page, text);
  await page.locator('#photo').setInputFiles(bigPhotoPath);

  const status = page.locator('#photo-status');
  await expect(status).toHaveAttribute('role', 'status');
  await expect(status).toHaveText(/^Photo ready: we made it smaller \(\d\.\d MB\) so it uploads quickly\.$/, { timeout: 60_000 });
  expect(posts).toHaveLength(0);
  // What the field now holds: a JPEG of at most 2048 px, turned upright (portrait), a fraction of the original.
  const chosen = await page.locator('#photo').evaluate(async (input: HTMLInputElement) => {
    const file = input.files![0]!;
    const bitmap = await createImageBitmap(file, { imageOrientation: 'none' });
    return { name: file.name, type: file.type, size: file.size, width: bitmap.width, height: bitmap.height };
  });
  expect(chosen).toMatchObject({ name: 'IMG_20260412_101500.jpg', type: 'image/jpeg', width: 1536, height: 2048 });
  expect(chosen.size).toBeLessThan(4 * MB);
  // The status names that size, as the reader's language writes it.
  expect(await status.textContent()).toContain(`(${(Math.max(0.1, Math.round((chosen.size / MB) * 10) / 10)).toFixed(1)} MB)`);

  await page.getByRole('button', { name: 'Send review' }).click();
  await expect(page.getByText('Thank you! Your review has been saved.')).toBeVisible();
  expect(posts).toHaveLength(1);
  const sent = posts[0]!.postDataBuffer();
  // Chromium hands the multipart body over when it can: then it is the shrunk photo, not the original.
  if (sent) expect(sent.byteLength).toBeLessThan(4 * MB);

  const [review] = await db.select().from(reviews).where(eq(reviews.requestId, link.requestId));
  expect(review).toMatchObject({ rating: 5, body: text });
  const stored = readFileSync(join(app.env.UPLOAD_DIR!, review!.photoPath!));
  expect(await sharp(stored).metadata()).toMatchObject({ format: 'webp', width: 256, height: 256 });
  expect(webpChunkNames(stored)).toEqual(['VP8 ']);
  expect(stored.includes(Buffer.from('PhoneCam'))).toBe(false);
  // Upright: the red left half of the sensor is the top of the picture.
  const { top, bottom } = await topAndBottomColours(stored);
  expect(top[0]).toBeGreaterThan(150);
  expect(bottom[2]).toBeGreaterThan(150);
});

test('sent while the photo is still being shrunk, the form waits for it and sends the shrunk one', async ({ page }) => {
  const link = await createReviewLink(db, { locale: 'en' });
  const posts = recordPosts(page);
  await page.goto(`${app.url}/r/${link.token}`);
  await fillReview(page, 'Sent the moment the photo was chosen, without waiting.');
  await page.locator('#photo').setInputFiles(bigPhotoPath);
  // At once: shrinking 48 MP takes Chromium a while, and the original would be refused (over 20 MB).
  await page.getByRole('button', { name: 'Send review' }).click();
  await expect(page.getByText('Thank you! Your review has been saved.')).toBeVisible({ timeout: 60_000 });
  expect(posts).toHaveLength(1);
  const [review] = await db.select().from(reviews).where(eq(reviews.requestId, link.requestId));
  expect(review?.photoPath).toMatch(/^review-photos\/[a-z2-7]{32}\.webp$/);
});

test('a small photo that the redraw would only make heavier is sent as chosen, and the field says nothing', async ({ page }) => {
  const link = await createReviewLink(db, { locale: 'en' });
  await page.goto(`${app.url}/r/${link.token}`);
  await fillReview(page, 'A small picture, already light enough to send.');
  // One flat colour at a low quality: the browser's JPEG at 0.85 can only be larger.
  const small = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#3a7bd5' } }).jpeg({ quality: 30 }).toBuffer();
  await page.locator('#photo').setInputFiles({ name: 'small.png.jpg', mimeType: 'image/jpeg', buffer: small });
  await expect(page.locator('#photo-status')).toHaveAttribute('data-state', 'idle');
  await expect(page.locator('#photo-status')).toHaveText('');
  const chosen = await page.locator('#photo').evaluate((input: HTMLInputElement) => ({ name: input.files![0]!.name, size: input.files![0]!.size }));
  expect(chosen).toEqual({ name: 'small.png.jpg', size: small.byteLength });
  await page.getByRole('button', { name: 'Send review' }).click();
  await expect(page.getByText('Thank you! Your review has been saved.')).toBeVisible();
  const [review] = await db.select().from(reviews).where(eq(reviews.requestId, link.requestId));
  expect(review?.photoPath).toMatch(/^review-photos\/[a-z2-7]{32}\.webp$/);
});

test('a photo the browser cannot read is refused next to the field before anything is sent, and nothing typed is lost', async ({ page }) => {
  const link = await createReviewLink(db, { locale: 'en' });
  const posts = recordPosts(page);
  await page.goto(`${app.url}/r/${link.token}`);
  const text = 'Friendly support, and the answer came within the hour.';
  await fillReview(page, text);
  const status = page.locator('#photo-status');

  // An iPhone's HEIC (Chromium has no decoder for it, nor has our server).
  await page.locator('#photo').setInputFiles(join(projectRoot, 'test', 'fixtures', 'iphone.heic'));
  await expect(status).toHaveText(/^This photo is in HEIC format, which we cannot read\./);
  await expect(page.locator('#photo')).toHaveAttribute('aria-invalid', 'true');
  expect(await page.locator('#photo').evaluate((input: HTMLInputElement) => input.files?.length ?? 0)).toBe(0);

  // A text file named like a photo.
  await page.locator('#photo').setInputFiles({ name: 'me.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('just text, not a photo') });
  await expect(status).toHaveText(/^This file is not an image we can read\./);
  // Unreadable and over the server's limit: its size is what the reviewer is told.
  const scan = join(app.directory, 'scan.jpg');
  writeFileSync(scan, Buffer.alloc(reviewFormLimits.photoMaxBytes + 1, 7));
  await page.locator('#photo').setInputFiles(scan);
  await expect(status).toHaveText('The photo is larger than 20 MB. Please choose a smaller one.');
  expect(posts).toHaveLength(0);
  await expect(page.getByLabel('Your review')).toHaveValue(text);

  // The reviewer sends without a photo: everything typed goes through.
  await page.getByRole('button', { name: 'Send review' }).click();
  await expect(page.getByText('Thank you! Your review has been saved.')).toBeVisible();
  expect(posts).toHaveLength(1);
  const [review] = await db.select().from(reviews).where(eq(reviews.requestId, link.requestId));
  expect(review).toMatchObject({ body: text, photoPath: null });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the photo field is a plain file field: no status region, and the chosen file is sent as it is', async ({ page }) => {
    const link = await createReviewLink(db, { locale: 'en' });
    await page.goto(`${app.url}/r/${link.token}`);
    await expect(page.locator('#photo-status')).not.toHaveAttribute('role', 'status');
    await fillReview(page, 'Sent from an old browser with scripts turned off.');
    await page.locator('#photo').setInputFiles({ name: 'me.heic', mimeType: 'image/heic', buffer: readFileSync(join(projectRoot, 'test', 'fixtures', 'iphone.heic')) });
    await page.getByRole('button', { name: 'Send review' }).click();
    // The server reads it and says why, with the text kept.
    await expect(page.getByRole('alert')).toContainText('Please correct the following');
    await expect(page.locator('#photo-error')).toContainText('This photo is in HEIC format');
    await expect(page.getByLabel('Your review')).toHaveValue('Sent from an old browser with scripts turned off.');
  });
});
