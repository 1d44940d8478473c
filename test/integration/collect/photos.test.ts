import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteReviewPhoto, PhotoRejectedError, photoLimits, storeReviewPhoto } from '../../../src/lib/server/collect/photos.ts';
import { createJpeg, createJpegLargerThan, createJpegWithGps, createPixelBomb, hasGpsDirectory } from '../../helpers/images.ts';

let uploadDir: string;
beforeAll(() => {
  uploadDir = mkdtempSync(join(tmpdir(), 'review-wall-photos-'));
});
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
    expect(hasGpsDirectory(stored)).toBe(false);
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

  it('refuses a real photo over 5 MB before decoding it', async () => {
    const big = await createJpegLargerThan(photoLimits.maxBytes + 1);
    expect(await rejection(big)).toBe('photoTooLarge');
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
