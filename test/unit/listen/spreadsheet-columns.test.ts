import { describe, expect, it } from 'vitest';
import { localeFromCell, mapCsvColumns, readCsvFields } from '../../../src/lib/listen/spreadsheet-columns.ts';

const mapped = (header: string[]) => {
  const columns = mapCsvColumns(header);
  if (columns.kind !== 'columns') throw new Error('no email column');
  return columns;
};

describe('mapCsvColumns', () => {
  it.each([
    [['Email Address', 'Score', 'Created At'], { email: 0, score: 1, responded_at: 2 }],
    [['E-mail', 'Rating', 'Date', 'Comments'], { email: 0, score: 1, responded_at: 2, comment: 3 }],
    [['Person Email', 'Person Name', 'Score', 'Comment', 'Created At'], { email: 0, name: 1, score: 2, comment: 3, responded_at: 4 }],
    [['E-pasts', 'Vārds, uzvārds', 'Valoda', 'Vērtējums', 'Komentārs', 'Datums'], { email: 0, name: 1, locale: 2, score: 3, comment: 4, responded_at: 5 }],
    [['Adres e-mail', 'Imię i nazwisko', 'Ocena', 'Data'], { email: 0, name: 1, score: 2, responded_at: 3 }],
    [['Email', 'Имя', 'Фамилия', 'Оценка', 'Комментарий', 'Дата'], { email: 0, firstName: 1, lastName: 2, score: 3, comment: 4, responded_at: 5 }],
  ])('maps %j', (header, indexOf) => {
    expect(mapped(header).indexOf).toEqual(indexOf);
    expect(mapped(header).ignored).toEqual([]);
  });

  // Every name docs/collecting-reviews.md lists.
  it.each([
    ['email', ['email', 'Email Address', 'E-mail', 'Customer Email', 'Person Email', 'Adres e-mail', 'E-pasts']],
    ['name', ['name', 'Full Name', 'Customer Name']],
    ['locale', ['locale', 'Language']],
    ['score', ['score', 'Rating', 'NPS', 'Ocena', 'Vērtējums', 'Оценка']],
    ['comment', ['comment', 'Comments', 'Feedback']],
    ['responded_at', ['responded_at', 'Date', 'Created At', 'Submitted At', 'Timestamp', 'Data', 'Datums', 'Дата']],
  ])('reads each documented name for %s', (field, names) => {
    for (const name of names) {
      const header = field === 'email' ? ['Agent', name] : ['email', name];
      expect(mapped(header).indexOf, name).toHaveProperty(field, 1);
    }
  });

  it('prefers the column named exactly as the field, and lists the other as ignored', () => {
    const columns = mapped(['Date', 'Customer Email', 'email', 'responded_at']);
    expect(columns.indexOf).toEqual({ email: 2, responded_at: 3 });
    expect(columns.ignored).toEqual(['"Date"', '"Customer Email"']);
  });

  it('lists every column it does not read, unnamed ones by position, and never reads "Legacy Score" as the score', () => {
    const columns = mapped(['Score', 'Legacy Score', 'Email', '', 'Agent']);
    expect(columns.indexOf).toEqual({ score: 0, email: 2 });
    expect(columns.ignored).toEqual(['"Legacy Score"', 'column 4 (no name)', '"Agent"']);
  });

  it('reports a header without an email column', () => {
    expect(mapCsvColumns(['Name', 'Score'])).toEqual({ kind: 'no-email', header: ['Name', 'Score'] });
  });
});

describe('readCsvFields', () => {
  it('joins first and last name, and reads language names as locale codes', () => {
    const { indexOf } = mapped(['Email', 'First Name', 'Last Name', 'Language']);
    expect(readCsvFields(['a@example.com', 'Līga', 'Bērziņa', 'Latvian'], indexOf)).toMatchObject({ email: 'a@example.com', name: 'Līga Bērziņa', locale: 'lv' });
    expect(readCsvFields(['a@example.com', 'Līga', '', 'lv'], indexOf)).toMatchObject({ name: 'Līga', locale: 'lv' });
  });

  it('reads language names in their own language', () => {
    expect(['polski', 'Русский', 'українська', 'latviešu', 'български', 'pl-PL'].map(localeFromCell)).toEqual(['pl', 'ru', 'uk', 'lv', 'bg', 'pl-PL']);
  });
});
