import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import sharp from 'sharp';
import { createConcurrencyLimit } from '../../concurrency-limit.ts';
import { generateToken } from '../../tokens.ts';
import { reviewFormLimits } from '../../collect/review-submission.ts';

/** Limits for reviewers' photos. */
export const photoLimits = {
  maxBytes: reviewFormLimits.photoMaxBytes,
  /**
   * Larger images are refused before decoding: a small PNG can expand to gigabytes (decompression
   * bomb). 50 MP takes a 48 MP iPhone or a 50 MP Android photo (8160 × 6120). Measured peak
   * memory of one decode at this size: a baseline JPEG about 10 MB (libjpeg shrinks it while
   * decoding), PNG or WebP under 50 MB, a progressive JPEG or an interlaced PNG about 170 MB, a
   * GIF about 250 MB.
   */
  maxPixels: 50_000_000,
  /**
   * AVIF (and HEIF) decoders hold about 19 bytes a pixel, so they get fewer pixels: 12.5 MP
   * (a 12 MP phone photo) costs about 240 MB; 50 MP would cost over 900 MB.
   */
  maxPixelsHeif: 12_500_000,
  /**
   * Photos decoded at the same time, whatever the number of uploads: with the worst case above,
   * about half a gigabyte at most. Others wait their turn (each already holds its upload).
   */
  decodedAtOnce: 2,
  /** The stored avatar is a square of this many pixels. */
  avatarSize: 256,
} as const;

/** Formats we decode. SVG is left out on purpose: it is a document, not a photo. */
const acceptedFormats = new Set(['jpeg', 'png', 'webp', 'gif', 'avif', 'heif', 'tiff']);

/** Why a photo was refused; each reason is also a key of the form's translations. */
export type PhotoRejection = 'photoTooLarge' | 'photoNotAnImage' | 'photoTooManyPixels' | 'photoHeic';

/** A photo that cannot be stored, with the reason to show the reviewer. */
export class PhotoRejectedError extends Error {
  override name = 'PhotoRejectedError';
  readonly reason: PhotoRejection;
  constructor(reason: PhotoRejection) {
    super(reason);
    this.reason = reason;
  }
}

/** Folder under UPLOAD_DIR that holds reviewers' avatars. */
export const reviewPhotoFolder = 'review-photos';

/**
 * Checks an uploaded photo by its content, then stores it as a square WebP avatar with every
 * piece of metadata (EXIF, GPS, ICC comments) removed and the orientation applied. Returns the
 * path relative to `uploadDir`, e.g. `review-photos/abc….webp`.
 */
export async function storeReviewPhoto(bytes: Uint8Array, uploadDir: string): Promise<string> {
  const avatar = await renderAvatar(bytes);
  const relativePath = `${reviewPhotoFolder}/${generateToken()}.webp`;
  await mkdir(join(uploadDir, reviewPhotoFolder), { recursive: true });
  await writeFile(join(uploadDir, relativePath), avatar, { flag: 'wx' });
  return relativePath;
}

/** The queue photos wait in to be decoded (its counts are read by the tests). */
export const photoDecoding = createConcurrencyLimit(photoLimits.decodedAtOnce);

/** The re-encoded avatar for an uploaded photo, or a PhotoRejectedError. */
export async function renderAvatar(bytes: Uint8Array): Promise<Buffer> {
  if (bytes.byteLength > photoLimits.maxBytes) throw new PhotoRejectedError('photoTooLarge');
  return photoDecoding.run(() => decodeAvatar(bytes));
}

/** The pixel limit for an image, by what its decoder holds in memory (sharp calls AVIF heif). */
function pixelLimitFor(format: string): number {
  return format === 'heif' ? photoLimits.maxPixelsHeif : photoLimits.maxPixels;
}

async function decodeAvatar(bytes: Uint8Array): Promise<Buffer> {
  // sharp's own guard against bombs, on top of ours; sequentialRead lets libvips stream the
  // image top to bottom instead of holding it whole (sharp's default, stated so it stays).
  const options = { limitInputPixels: photoLimits.maxPixels, sequentialRead: true, failOn: 'error', animated: false } as const;
  let format: string;
  let pixels: number;
  try {
    // Reads only the header: the size is known before a single pixel is decoded.
    const metadata = await sharp(bytes, options).metadata();
    format = metadata.format;
    if (!acceptedFormats.has(format)) throw new PhotoRejectedError('photoNotAnImage');
    // An iPhone's own format: its HEVC decoder is not in sharp's build (patents), so say so.
    if (format === 'heif' && metadata.compression === 'hevc') throw new PhotoRejectedError('photoHeic');
    if (!metadata.width || !metadata.height) throw new PhotoRejectedError('photoNotAnImage');
    pixels = metadata.width * metadata.height;
  } catch (error) {
    if (error instanceof PhotoRejectedError) throw error;
    if (/pixel limit/i.test(String(error))) throw new PhotoRejectedError('photoTooManyPixels');
    throw new PhotoRejectedError('photoNotAnImage');
  }
  if (pixels > pixelLimitFor(format)) throw new PhotoRejectedError('photoTooManyPixels');
  try {
    // sharp writes no metadata unless asked to (keepMetadata/withMetadata), so EXIF and GPS are dropped.
    return await sharp(bytes, { ...options, limitInputPixels: pixelLimitFor(format) })
      .rotate()
      .resize(photoLimits.avatarSize, photoLimits.avatarSize, { fit: 'cover' })
      .webp({ quality: 82 })
      .toBuffer();
  } catch (error) {
    if (/pixel limit/i.test(String(error))) throw new PhotoRejectedError('photoTooManyPixels');
    throw new PhotoRejectedError('photoNotAnImage');
  }
}

/** Removes a stored photo; a path outside the photo folder or a missing file is ignored. */
export async function deleteReviewPhoto(uploadDir: string, relativePath: string): Promise<void> {
  const normalized = normalize(relativePath);
  if (!normalized.startsWith(`${reviewPhotoFolder}${sep}`) || normalized.includes('..')) return;
  await rm(join(uploadDir, normalized), { force: true });
}
