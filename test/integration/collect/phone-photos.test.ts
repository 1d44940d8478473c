import { eq } from 'drizzle-orm';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../db/client.ts';
import { reviews } from '../../../db/schema.ts';
import { startApp, type RunningApp } from '../../helpers/app.ts';
import { createPhoneJpeg, topAndBottomColours, webpChunkNames } from '../../helpers/images.ts';
import { createReviewLink } from '../../helpers/review-links.ts';

// Photos straight from a phone's camera, posted through the real server (npm start) as a browser
// with JavaScript off posts them: the file as the camera wrote it.
const MB = 1024 * 1024;
let app: RunningApp;
let db: Database;
/** 12 MB, 48 MP, sideways with EXIF orientation 6, with a GPS position: made once for the file. */
let phonePhoto: Buffer;
beforeAll(async () => {
  [app, phonePhoto] = await Promise.all([startApp({ args: ['--no-demo'], env: { SUBMISSION_RATE_LIMIT_PER_IP: '100000' } }), createPhoneJpeg()]);
  db = await openDatabase({ url: app.env.DATABASE_URL! });
}, 180_000);
afterAll(async () => {
  db?.$client.close();
  await app?.stop();
});

/** Posts the review form with `photo` as a browser with JavaScript off would. */
function postWithPhoto(token: string, photo: Uint8Array): Promise<Response> {
  const form = new FormData();
  form.set('token', token);
  form.set('lang', 'en');
  form.set('rating', '5');
  form.set('body', 'Took this right after they fixed our router, straight from my phone.');
  form.set('nameDisplay', 'first_initial');
  form.set('consent', 'on');
  form.set('photo', new File([new Uint8Array(photo)], 'IMG_20260412_101500.jpg', { type: 'image/jpeg' }));
  return fetch(`${app.url}/r/${token}?_action=review.submit`, { method: 'POST', body: form, headers: { Origin: app.url }, redirect: 'manual' });
}

async function storedPhotoOf(requestId: number): Promise<Buffer> {
  const [review] = await db.select().from(reviews).where(eq(reviews.requestId, requestId));
  expect(review?.photoPath).toMatch(/^review-photos\/[a-z2-7]{32}\.webp$/);
  return readFileSync(join(app.env.UPLOAD_DIR!, review!.photoPath!));
}

describe('a photo straight from a phone, without JavaScript', () => {
  it('is taken with the review: 12 MB and 48 MP in, an upright 256 px square without GPS out', async () => {
    expect(phonePhoto.byteLength).toBeGreaterThanOrEqual(12 * MB);
    expect(await sharp(phonePhoto).metadata()).toMatchObject({ width: 8064, height: 6048, orientation: 6 });
    const link = await createReviewLink(db, { locale: 'en' });
    const response = await postWithPhoto(link.token, phonePhoto);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toContain('saved=1');

    const stored = await storedPhotoOf(link.requestId);
    const metadata = await sharp(stored).metadata();
    expect(metadata).toMatchObject({ format: 'webp', width: 256, height: 256 });
    expect(metadata.exif).toBeUndefined();
    expect(webpChunkNames(stored)).toEqual(['VP8 ']);
    expect(stored.includes(Buffer.from('PhoneCam'))).toBe(false);
    const { top, bottom } = await topAndBottomColours(stored);
    expect(top[0]).toBeGreaterThan(150);
    expect(bottom[2]).toBeGreaterThan(150);
  });

  it('is taken when the camera wrote it progressive, the kind of JPEG that costs the most memory to decode', async () => {
    const progressive = await createPhoneJpeg({ progressive: true, minBytes: 8 * MB });
    expect(await sharp(progressive).metadata()).toMatchObject({ width: 8064, height: 6048, isProgressive: true });
    const link = await createReviewLink(db, { locale: 'en' });
    const response = await postWithPhoto(link.token, progressive);
    expect(response.status).toBe(303);
    expect(await sharp(await storedPhotoOf(link.requestId)).metadata()).toMatchObject({ format: 'webp', width: 256, height: 256 });
  }, 60_000);
});
