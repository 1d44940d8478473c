import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import sharp from 'sharp';
import { generateToken } from '../../tokens.ts';
import { reviewFormLimits } from '../../collect/review-submission.ts';

/** Limits for reviewers' photos. */
export const photoLimits = {
  maxBytes: reviewFormLimits.photoMaxBytes,
  /** Larger images are refused before decoding: a small PNG can expand to gigabytes (decompression bomb). */
  maxPixels: 40_000_000,
  /** The stored avatar is a square of this many pixels. */
  avatarSize: 256,
} as const;

/** Formats we decode. SVG is left out on purpose: it is a document, not a photo. */
const acceptedFormats = new Set(['jpeg', 'png', 'webp', 'gif', 'avif', 'heif', 'tiff']);

/** Why a photo was refused; each reason is also a key of the form's translations. */
export type PhotoRejection = 'photoTooLarge' | 'photoNotAnImage' | 'photoTooManyPixels';

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

/** The re-encoded avatar for an uploaded photo, or a PhotoRejectedError. */
export async function renderAvatar(bytes: Uint8Array): Promise<Buffer> {
  if (bytes.byteLength > photoLimits.maxBytes) throw new PhotoRejectedError('photoTooLarge');
  const options = { limitInputPixels: photoLimits.maxPixels, failOn: 'error', animated: false } as const;
  let width: number | undefined;
  let height: number | undefined;
  try {
    // Reads only the header: the size is known before a single pixel is decoded.
    const metadata = await sharp(bytes, options).metadata();
    if (!acceptedFormats.has(metadata.format)) throw new PhotoRejectedError('photoNotAnImage');
    width = metadata.width;
    height = metadata.height;
  } catch (error) {
    if (error instanceof PhotoRejectedError) throw error;
    if (/pixel limit/i.test(String(error))) throw new PhotoRejectedError('photoTooManyPixels');
    throw new PhotoRejectedError('photoNotAnImage');
  }
  if (!width || !height) throw new PhotoRejectedError('photoNotAnImage');
  if (width * height > photoLimits.maxPixels) throw new PhotoRejectedError('photoTooManyPixels');
  try {
    // sharp writes no metadata unless asked to (keepMetadata/withMetadata), so EXIF and GPS are dropped.
    return await sharp(bytes, options)
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
