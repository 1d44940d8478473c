import { describe, expect, it } from 'vitest';
import { catalogs, fill, messagesFor } from '../../../src/lib/i18n/index.ts';
import { parseReviewWallConfig } from '../../../src/lib/config-schema.ts';
import { localeNames, supportedLocales } from '../../../src/lib/locales.ts';

/** Every text of a catalog by its path ("reviewForm.errors.bodyTooShort"). */
function texts(value: unknown, path = ''): Map<string, string> {
  const found = new Map<string, string>();
  if (typeof value === 'string') found.set(path, value);
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      for (const [innerPath, text] of texts(inner, path ? `${path}.${key}` : key)) found.set(innerPath, text);
    }
  }
  return found;
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
const english = texts(catalogs.en);
const translations = supportedLocales.filter((locale) => locale !== 'en');

describe.each(translations)('the %s catalog', (locale) => {
  const own = texts(messagesFor(locale));

  it('has every text English has, and nothing else', () => {
    expect([...own.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it('fills in the same values as English (a translation cannot drop the incentive or the business name)', () => {
    for (const [path, text] of english) expect({ path, uses: placeholders(own.get(path) ?? '') }).toEqual({ path, uses: placeholders(text) });
  });

  it('leaves no text empty', () => {
    for (const [path, text] of own) expect({ path, empty: text.trim() === '' }).toEqual({ path, empty: false });
  });
});

describe('the list of languages', () => {
  it('is the catalogs, in their order, named in their own language', () => {
    expect(supportedLocales).toEqual(Object.keys(catalogs));
    expect(supportedLocales[0]).toBe('en');
    for (const locale of supportedLocales) {
      expect(locale).toMatch(/^[a-z]{2,3}$/);
      expect(localeNames[locale]).toBe(catalogs[locale].languageName);
    }
    expect(localeNames.pl).toBe('Polski');
  });

  it('is what review-wall.config.ts may enable', () => {
    const base = { business: { name: 'Shop', website: 'https://shop.example' }, itemReviewed: { type: 'Product', name: 'Widget' }, incentive: { text: 'a gift' } };
    expect(parseReviewWallConfig(base).locales.enabled).toEqual([...supportedLocales]);
    for (const locale of supportedLocales) expect(parseReviewWallConfig({ ...base, locales: { default: locale } }).locales.default).toBe(locale);
    expect(() => parseReviewWallConfig({ ...base, locales: { enabled: ['en', 'de'] } })).toThrow(/locales\.enabled/);
  });
});

describe('fill', () => {
  it('puts each value in its place and leaves unknown names as they are', () => {
    expect(fill('{business} thanks {name} for {unknown}', { business: 'Acme', name: 'Olena' })).toBe('Acme thanks Olena for {unknown}');
  });
});
