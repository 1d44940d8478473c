// How the review form's page shrinks a chosen photo in the browser before sending it (see
// src/browser/review-form-photo.ts): pure decisions, shared with the tests.

/** What a chosen photo is turned into before upload. */
export const photoShrink = {
  /** The long edge of the photo sent: plenty for a 256 px avatar and its published sizes. */
  longEdge: 2048,
  /** JPEG: every browser encodes it (Safari's canvas could not write WebP until recently). */
  type: 'image/jpeg',
  quality: 0.85,
} as const;

/** The size to draw an image of `width` × `height` at: the long edge at most `longEdge`, never enlarged. */
export function shrunkDimensions(width: number, height: number, longEdge: number = photoShrink.longEdge): { width: number; height: number } {
  const scale = Math.min(1, longEdge / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * Whether to send the chosen file as it is rather than its redrawn copy: only when the copy is no
 * smaller, the image needed no shrinking (so the server's pixel limit cannot refuse it), and it is
 * a format every part of the chain reads (not a HEIC that Safari could draw, nor an AVIF).
 */
export function keepsChosenFile(file: { type: string; size: number }, image: { width: number; height: number }, shrunkSize: number): boolean {
  const alreadySmall = Math.max(image.width, image.height) <= photoShrink.longEdge;
  return alreadySmall && shrunkSize >= file.size && /^image\/(jpeg|png|webp|gif)$/.test(file.type);
}

/** The shrunk file's name: the chosen one with a `.jpg` extension (`IMG_0042.HEIC` → `IMG_0042.jpg`). */
export function shrunkFileName(name: string): string {
  const base = name.replace(/\.[^./\\]{1,5}$/, '') || 'photo';
  return `${base}.jpg`;
}

/** Whether a chosen file is an iPhone's HEIC/HEIF photo, by its type or name (browsers often leave the type empty). */
export function looksLikeHeic(file: { type: string; name: string }): boolean {
  return /^image\/hei[cf](-sequence)?$/i.test(file.type) || /\.hei[cf]$/i.test(file.name);
}

/** A size in megabytes with one decimal, as the reader's language writes numbers (`0.4`, `0,4`). */
export function megabytesText(bytes: number, locale: string): string {
  const megabytes = Math.max(0.1, Math.round((bytes / (1024 * 1024)) * 10) / 10);
  return new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(megabytes);
}
