import { describe, expect, it } from 'vitest';
import { keepsChosenFile, looksLikeHeic, megabytesText, shrunkDimensions, shrunkFileName } from '../../../src/lib/collect/photo-shrink.ts';

// The decisions the review form's photo script makes in the browser before it sends a photo.
describe('shrinking a photo before upload', () => {
  it.each([
    ['a 48 MP photo taken upright', 6048, 8064, { width: 1536, height: 2048 }],
    ['a 12 MP landscape photo', 4032, 3024, { width: 2048, height: 1536 }],
    ['a panorama', 16000, 3000, { width: 2048, height: 384 }],
    ['a small image, never enlarged', 800, 600, { width: 800, height: 600 }],
    ['a one-pixel-high strip', 30000, 1, { width: 2048, height: 1 }],
  ])('draws %s at its long edge of 2048 px at most', (_, width, height, expected) => {
    expect(shrunkDimensions(width, height)).toEqual(expected);
  });

  it.each([
    ['IMG_0042.HEIC', 'IMG_0042.jpg'],
    ['photo.png', 'photo.jpg'],
    ['my.holiday.webp', 'my.holiday.jpg'],
    ['no-extension', 'no-extension.jpg'],
    ['.jpeg', 'photo.jpg'],
  ])('names the JPEG it sends after the chosen file: %s → %s', (name, expected) => {
    expect(shrunkFileName(name)).toBe(expected);
  });

  it.each([
    [{ type: 'image/heic', name: 'a.bin' }, true],
    [{ type: '', name: 'IMG_0042.HEIC' }, true],
    [{ type: 'image/heif-sequence', name: 'live' }, true],
    [{ type: 'image/jpeg', name: 'IMG_0042.jpg' }, false],
    [{ type: 'image/avif', name: 'a.avif' }, false],
  ])('tells an iPhone HEIC photo by its type or name: %o', (file, expected) => {
    expect(looksLikeHeic(file)).toBe(expected);
  });

  it.each([
    ['a small JPEG the redraw would make heavier', { type: 'image/jpeg', size: 40_000 }, { width: 640, height: 480 }, 52_000, true],
    ['a small PNG the redraw makes lighter', { type: 'image/png', size: 400_000 }, { width: 640, height: 480 }, 90_000, false],
    ['a large photo, however light its copy', { type: 'image/jpeg', size: 40_000 }, { width: 8064, height: 6048 }, 900_000, false],
    ['a HEIC Safari could draw', { type: 'image/heic', size: 40_000 }, { width: 640, height: 480 }, 52_000, false],
    ['an AVIF', { type: 'image/avif', size: 40_000 }, { width: 640, height: 480 }, 52_000, false],
  ])('sends the chosen file as it is only when nothing is gained and nothing can fail: %s', (_, file, image, shrunkSize, expected) => {
    expect(keepsChosenFile(file, image, shrunkSize)).toBe(expected);
  });

  it('states the new size with one decimal, as the reader’s language writes numbers', () => {
    expect(megabytesText(1.26 * 1024 * 1024, 'en')).toBe('1.3');
    expect(megabytesText(1.26 * 1024 * 1024, 'lv')).toBe('1,3');
    expect(megabytesText(20_000, 'en')).toBe('0.1');
  });
});
