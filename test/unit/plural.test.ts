import { describe, expect, it } from 'vitest';
import { counted, pluralize, type PluralForms } from '../../src/lib/plural.ts';

describe('counted (English command-line and admin text)', () => {
  it.each([
    [0, 'row', undefined, '0 rows'],
    [1, 'row', undefined, '1 row'],
    [2, 'row', undefined, '2 rows'],
    [1, 'batch', 'batches', '1 batch'],
    [3, 'batch', 'batches', '3 batches'],
    [5, 'attempt', undefined, '5 attempts'],
  ])('%i %s', (count, singular, plural, expected) => {
    expect(counted(count, singular, plural)).toBe(expected);
  });
});

describe('pluralize (the catalogs)', () => {
  const days: Record<string, PluralForms> = {
    ru: { one: '{count} день', few: '{count} дня', many: '{count} дней', other: '{count} дня' },
    pl: { one: '{count} dzień', few: '{count} dni', many: '{count} dni', other: '{count} dnia' },
    lv: { zero: '{count} dienas', one: '{count} diena', other: '{count} dienas' },
  };
  it.each([
    ['ru', 1, '1 день'],
    ['ru', 2, '2 дня'],
    ['ru', 5, '5 дней'],
    ['ru', 11, '11 дней'],
    ['ru', 21, '21 день'],
    ['ru', 22, '22 дня'],
    ['pl', 1, '1 dzień'],
    ['pl', 22, '22 dni'],
    ['lv', 1, '1 diena'],
    ['lv', 21, '21 diena'],
    ['lv', 11, '11 dienas'],
    ['lv', 30, '30 dienas'],
  ])('%s %i', (locale, count, expected) => {
    expect(pluralize(locale, count, days[locale]!)).toBe(expected);
  });

  it('falls back to "other" when a language has a category the text does not list', () => {
    expect(pluralize('ru', 5, { other: '{count} раз' })).toBe('5 раз');
  });
});
