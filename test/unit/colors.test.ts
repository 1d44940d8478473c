import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brandPalette, contrastRatio, readableShade, surfaces, textOn } from '../../src/lib/colors.ts';

const hexColor = fc.integer({ min: 0, max: 0xffffff }).map((value) => `#${value.toString(16).padStart(6, '0')}`);

describe('brand colours', () => {
  it('computes WCAG contrast ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1);
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });

  it('keeps a colour that is readable already', () => {
    expect(readableShade('#1f5fbf', surfaces.light, 4.5)).toBe('#1f5fbf');
    expect(brandPalette({ primary: '#1f5fbf', accent: '#b45309' }).light).toEqual({ brand: '#1f5fbf', onBrand: '#ffffff', star: '#b45309' });
  });

  it('shades a pale brand colour until links, buttons and stars are readable in light and dark mode', () => {
    fc.assert(
      fc.property(hexColor, hexColor, (primary, accent) => {
        const palette = brandPalette({ primary, accent });
        for (const mode of ['light', 'dark'] as const) {
          for (const background of surfaces[mode]) {
            expect(contrastRatio(palette[mode].brand, background)).toBeGreaterThanOrEqual(4.5);
            expect(contrastRatio(palette[mode].star, background)).toBeGreaterThanOrEqual(3);
          }
          expect(contrastRatio(palette[mode].onBrand, palette[mode].brand)).toBeGreaterThanOrEqual(4.5);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('stays close to the brand: a yellow becomes a darker yellow, not black', () => {
    const { light, dark } = brandPalette({ primary: '#ffd400', accent: '#ffd400' });
    expect(light.brand).not.toBe('#000000');
    expect(light.brand).toMatch(/^#[0-9a-f]{6}$/);
    const [red, green, blue] = [1, 3, 5].map((index) => Number.parseInt(light.brand.slice(index, index + 2), 16)) as [number, number, number];
    expect(red).toBeGreaterThan(blue);
    expect(green).toBeGreaterThan(blue);
    expect(dark.brand).toBe('#ffd400');
    expect(textOn(dark.brand)).toBe('#121417');
  });
});
