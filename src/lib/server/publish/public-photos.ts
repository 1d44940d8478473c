import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import sharp from 'sharp';

/**
 * The absolute file of a stored photo, or null when the path leaves the upload folder or the
 * file is gone (a missing photo must not fail a whole publish; the card then shows no photo).
 */
export function resolveStoredPhoto(uploadDir: string, photoPath: string | null): string | null {
  if (!photoPath) return null;
  const root = resolve(uploadDir);
  const file = resolve(root, photoPath);
  const inside = relative(root, file);
  if (!inside || inside.startsWith('..') || isAbsolute(inside)) return null;
  return existsSync(file) ? file : null;
}

/** A published copy of a stored photo: a square WebP of `width` pixels, without metadata. */
export function renderPublishedPhoto(file: string, width: number): Promise<Buffer> {
  return sharp(file).resize(width, width, { fit: 'cover' }).webp({ quality: 80 }).toBuffer();
}
