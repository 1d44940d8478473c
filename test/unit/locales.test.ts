import { describe, expect, it } from 'vitest';
import { chooseLocale, preferredLocale, supportedLocales } from '../../src/lib/locales.ts';

describe("the browser's preferred language", () => {
  it.each([
    ['uk-UA,uk;q=0.9,en-US;q=0.8', 'uk'],
    ['de-DE, uk;q=0.9, en;q=0.5', 'uk'],
    ['en;q=0.3, lv;q=0.8', 'lv'],
    ['BG', 'bg'],
    ['de, fr', null],
    ['pl;q=0, ru', 'ru'],
    ['', null],
  ])('%s picks %s', (header, locale) => {
    expect(preferredLocale(header, supportedLocales)).toBe(locale);
  });

  it('picks only among the languages the site speaks', () => {
    expect(preferredLocale('uk, en', ['en', 'pl'])).toBe('en');
  });
});

describe('the language of a page', () => {
  const options = { acceptLanguage: 'uk, en;q=0.5', enabled: ['en', 'pl', 'uk'] as const, fallback: 'en' as const };

  it('is the first choice the site speaks, then the browser’s, then the fallback', () => {
    expect(chooseLocale(['pl', 'uk'], options)).toBe('pl');
    expect(chooseLocale([null, 'ru', undefined, 42, 'PL', 'uk'], options)).toBe('uk');
    expect(chooseLocale([null, 'ru'], options)).toBe('uk');
    expect(chooseLocale([], { ...options, acceptLanguage: 'de' })).toBe('en');
    expect(chooseLocale([], { ...options, acceptLanguage: null })).toBe('en');
  });
});
