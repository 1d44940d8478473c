import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteReviewPhoto, photoDecoding, PhotoRejectedError, photoLimits, storeReviewPhoto } from '../../../src/lib/server/collect/photos.ts';
import { projectRoot } from '../../helpers/app.ts';
import { createJpeg, createJpegWithGps, createPhoneJpeg, createPixelBomb, hasGpsDirectory, topAndBottomColours, webpChunkNames } from '../../helpers/images.ts';

let uploadDir: string;
/** A 12 MB, 48 MP photo as a phone camera writes it (sideways, with GPS): made once, it takes a few seconds. */
let phonePhoto: Buffer;
beforeAll(async () => {
  uploadDir = mkdtempSync(join(tmpdir(), 'review-wall-photos-'));
  phonePhoto = await createPhoneJpeg();
}, 120_000);
afterAll(() => rmSync(uploadDir, { recursive: true, force: true }));

async function rejection(bytes: Uint8Array): Promise<string> {
  try {
    await storeReviewPhoto(bytes, uploadDir);
  } catch (error) {
    if (error instanceof PhotoRejectedError) return error.reason;
    throw error;
  }
  throw new Error('the photo was accepted');
}

describe('reviewers’ photos', () => {
  it('stores a square WebP avatar with the GPS position and every other piece of metadata removed', async () => {
    const original = await createJpegWithGps();
    const originalMetadata = await sharp(original).metadata();
    expect(hasGpsDirectory(originalMetadata.exif)).toBe(true);
    expect(originalMetadata.exif?.includes(Buffer.from('TestCam'))).toBe(true);

    const path = await storeReviewPhoto(original, uploadDir);
    expect(path).toMatch(/^review-photos\/[a-z2-7]{32}\.webp$/);
    const stored = readFileSync(join(uploadDir, path));
    const metadata = await sharp(stored).metadata();
    expect(metadata).toMatchObject({ format: 'webp', width: photoLimits.avatarSize, height: photoLimits.avatarSize });
    expect(metadata.exif).toBeUndefined();
    expect(metadata.xmp).toBeUndefined();
    expect(metadata.icc).toBeUndefined();
    expect(stored.includes(Buffer.from('TestCam'))).toBe(false);
    expect(webpChunkNames(stored)).toEqual(['VP8 ']);
  });

  it('applies the EXIF orientation before cropping (the red left half ends up on top)', async () => {
    const path = await storeReviewPhoto(await createJpegWithGps(), uploadDir);
    const { data, info } = await sharp(readFileSync(join(uploadDir, path))).raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => Array.from(data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3));
    const [topRed, , topBlue] = pixel(128, 10);
    const [bottomRed, , bottomBlue] = pixel(128, 245);
    expect(topRed).toBeGreaterThan(200);
    expect(topBlue).toBeLessThan(50);
    expect(bottomBlue).toBeGreaterThan(200);
    expect(bottomRed).toBeLessThan(50);
  });

  it('gives every photo its own random file name', async () => {
    const jpeg = await createJpeg();
    const [first, second] = await Promise.all([storeReviewPhoto(jpeg, uploadDir), storeReviewPhoto(jpeg, uploadDir)]);
    expect(first).not.toBe(second);
  });

  it('refuses a text file named .jpg, judging by content', async () => {
    expect(await rejection(new TextEncoder().encode('this is not a photo, whatever its name says\n'.repeat(20)))).toBe('photoNotAnImage');
  });

  it('refuses an SVG document even though it can be drawn', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>';
    expect(await rejection(new TextEncoder().encode(svg))).toBe('photoNotAnImage');
  });

  it('takes a 12 MB, 48 MP photo straight from a phone: upright, 256 px square, without its GPS position or any other metadata', async () => {
    const original = await sharp(phonePhoto).metadata();
    expect(phonePhoto.byteLength).toBeGreaterThanOrEqual(12 * 1024 * 1024);
    expect(original).toMatchObject({ format: 'jpeg', width: 8064, height: 6048, orientation: 6 });
    expect(hasGpsDirectory(original.exif)).toBe(true);

    const path = await storeReviewPhoto(phonePhoto, uploadDir);
    const stored = readFileSync(join(uploadDir, path));
    const metadata = await sharp(stored).metadata();
    expect(metadata).toMatchObject({ format: 'webp', width: photoLimits.avatarSize, height: photoLimits.avatarSize });
    expect(metadata.exif).toBeUndefined();
    expect(metadata.xmp).toBeUndefined();
    expect(stored.includes(Buffer.from('PhoneCam'))).toBe(false);
    expect(webpChunkNames(stored)).toEqual(['VP8 ']);
    // Turned as the camera said: the red left half of the sensor is the top of the picture.
    const { top, bottom } = await topAndBottomColours(stored);
    expect(top[0]).toBeGreaterThan(150);
    expect(top[2]).toBeLessThan(100);
    expect(bottom[2]).toBeGreaterThan(150);
    expect(bottom[0]).toBeLessThan(100);
  });

  it('decodes at most two photos at once, however many arrive together', async () => {
    let mostAtOnce = 0;
    const sampler = setInterval(() => (mostAtOnce = Math.max(mostAtOnce, photoDecoding.active)), 5);
    try {
      const stored = await Promise.all(Array.from({ length: 5 }, () => storeReviewPhoto(phonePhoto, uploadDir)));
      expect(new Set(stored).size).toBe(5);
    } finally {
      clearInterval(sampler);
    }
    expect(mostAtOnce).toBe(photoLimits.decodedAtOnce);
    expect(photoDecoding.waiting).toBe(0);
  }, 60_000);

  it('refuses a photo over 20 MB before decoding it', async () => {
    expect(photoLimits.maxBytes).toBe(20 * 1024 * 1024);
    // A real photo with bytes after its end, which decoders ignore: it would decode fine.
    const big = Buffer.concat([phonePhoto, Buffer.alloc(photoLimits.maxBytes - phonePhoto.byteLength + 1)]);
    expect(await rejection(big)).toBe('photoTooLarge');
  });

  it('refuses an iPhone HEIC photo with its own reason: this build of sharp has no HEVC decoder', async () => {
    // test/fixtures/iphone.heic: 64 × 48, made with libheif's heif-enc.
    expect(await rejection(readFileSync(join(projectRoot, 'test', 'fixtures', 'iphone.heic')))).toBe('photoHeic');
  });

  it('refuses an AVIF over 12.5 megapixels, a decoder that holds 19 bytes a pixel, while a JPEG may have 50', async () => {
    // test/fixtures/grey-13-megapixels.avif: 3600 × 3600 of grey in 660 bytes.
    const avif = readFileSync(join(projectRoot, 'test', 'fixtures', 'grey-13-megapixels.avif'));
    expect(await sharp(avif).metadata()).toMatchObject({ format: 'heif', compression: 'av1', width: 3600, height: 3600 });
    expect(await rejection(avif)).toBe('photoTooManyPixels');
  });

  it('refuses a decompression bomb: a 10000×10000 PNG that is small on disk', async () => {
    const bomb = await createPixelBomb();
    expect(bomb.byteLength).toBeLessThan(photoLimits.maxBytes);
    expect(await rejection(bomb)).toBe('photoTooManyPixels');
  });

  it('refuses a truncated JPEG', async () => {
    const jpeg = await createJpeg();
    expect(await rejection(jpeg.subarray(0, Math.floor(jpeg.byteLength / 2)))).toBe('photoNotAnImage');
  });

  it('deletes a stored photo, and ignores paths outside the photo folder', async () => {
    const path = await storeReviewPhoto(await createJpeg(), uploadDir);
    await deleteReviewPhoto(uploadDir, '../etc/passwd');
    await deleteReviewPhoto(uploadDir, path);
    expect(existsSync(join(uploadDir, path))).toBe(false);
  });
});
