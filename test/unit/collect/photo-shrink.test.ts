import { describe, expect, it } from 'vitest';
import { looksLikeHeic, megabytesText, shrunkDimensions, shrunkFileName } from '../../../src/lib/collect/photo-shrink.ts';

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

  it('states the new size with one decimal, as the reader’s language writes numbers', () => {
    expect(megabytesText(1.26 * 1024 * 1024, 'en')).toBe('1.3');
    expect(megabytesText(1.26 * 1024 * 1024, 'lv')).toBe('1,3');
    expect(megabytesText(20_000, 'en')).toBe('0.1');
  });
});
