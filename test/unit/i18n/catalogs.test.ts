import { describe, expect, it } from 'vitest';
import { catalogs, fill, messagesFor } from '../../../src/lib/i18n/index.ts';
import { parseReviewWallConfig } from '../../../src/lib/config-schema.ts';
import { localeNames, supportedLocales } from '../../../src/lib/locales.ts';
import { surveyStrings } from '../../../src/lib/i18n/survey.ts';

const pluralCategories = new Set(['zero', 'one', 'two', 'few', 'many', 'other']);

/** Whether a catalog value is a text with plural forms ({ one: …, other: … }). */
function isPluralForms(value: unknown): value is Record<string, string> {
  return !!value && typeof value === 'object' && !Array.isArray(value) && 'other' in value && Object.keys(value).every((key) => pluralCategories.has(key));
}

/** Every text of a catalog by its path ("reviewForm.errors.bodyTooShort"); plural forms under one path, by category. */
function texts(value: unknown, path = ''): Map<string, string | Record<string, string>> {
  const found = new Map<string, string | Record<string, string>>();
  if (typeof value === 'string' || isPluralForms(value)) found.set(path, value);
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      for (const [innerPath, text] of texts(inner, path ? `${path}.${key}` : key)) found.set(innerPath, text);
    }
  }
  return found;
}

/** Each single text of an entry: the text itself, or every plural form. */
const forms = (entry: string | Record<string, string> | undefined) => (entry === undefined ? [] : typeof entry === 'string' ? [entry] : Object.values(entry));
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
const english = texts(catalogs.en);
const translations = supportedLocales.filter((locale) => locale !== 'en');

describe.each(translations)('the %s catalog', (locale) => {
  const own = texts(messagesFor(locale));

  it('has every text English has, and nothing else', () => {
    expect([...own.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it('fills in the same values as English (a translation cannot drop the incentive or the business name)', () => {
    for (const [path, text] of english) {
      const expected = placeholders(forms(text)[0]!);
      for (const form of forms(own.get(path))) expect({ path, uses: placeholders(form) }).toEqual({ path, uses: expected });
    }
  });

  it('leaves no text empty', () => {
    for (const [path, text] of own) for (const form of forms(text)) expect({ path, empty: form.trim() === '' }).toEqual({ path, empty: false });
  });
});

describe.each(supportedLocales)('texts with a number in %s', (locale) => {
  const own = texts(messagesFor(locale));
  const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;

  it('have a form for every plural category the language has, and only those', () => {
    for (const [path, text] of english) {
      const entry = own.get(path);
      if (typeof text === 'string') {
        expect({ path, plural: typeof entry }).toEqual({ path, plural: 'string' });
        continue;
      }
      expect({ path, categories: Object.keys(entry as object).sort() }).toEqual({ path, categories: [...categories].sort() });
    }
  });

  it('put a date last in its sentence, where a final abbreviation dot ("2026 г.") is the full stop', () => {
    for (const [path, entry] of own) {
      for (const form of forms(entry)) if (form.includes('{date}')) expect({ path, form }).toEqual({ path, form: expect.stringMatching(/\{date\}\.$/) });
    }
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

describe.each(supportedLocales)('survey texts in %s', (locale) => {
  const own = texts(surveyStrings(locale));
  const categories = [...new Intl.PluralRules(locale).resolvedOptions().pluralCategories].sort();

  // "Survey links work for 1 days", "действуют 21 дней": a number before a noun needs the form its count takes.
  it('put every count ({days}, {max}) in a text with a form for each plural category of the language', () => {
    for (const [path, entry] of own) {
      if (!forms(entry).some((form) => /\{(days|max|min|count)\}/.test(form))) continue;
      expect({ path, categories: typeof entry === 'string' ? 'one text for every count' : Object.keys(entry).sort() }).toEqual({ path, categories });
    }
  });
});
