import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { isolatedEnvironment, projectRoot, runNpm } from '../../helpers/app.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';

// Exports saved the way spreadsheets and survey tools save them; see test/fixtures/spreadsheets/README.md.
const spreadsheets = join(projectRoot, 'test', 'fixtures', 'spreadsheets');
const fixture = (name: string) => join(spreadsheets, name);
const utf8Responses = join(projectRoot, 'test', 'fixtures', 'nps-responses.csv');

/** The shared fixture's answers (UTF-8, ISO times in UTC): what every export below must store. */
const expected = readFileSync(utf8Responses, 'utf8')
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((line) => {
    const [email, name, locale, score] = line.split(',');
    return { email: email!, name: name!, locale: locale!, score: Number(score), respondedAt: Date.parse(line.slice(line.lastIndexOf(',') + 1)) };
  });

// Each `npm run` takes seconds on a busy machine; some tests run two.
describe('npm run import with spreadsheet exports', { timeout: 120_000 }, () => {
  let database: TemporaryDatabase;
  let env: Record<string, string>;
  let files: string;

  const importFile = (file: string, ...args: string[]) => runNpm('import', ['--', file, ...args], env);
  const stored = async () =>
    (
      await database.db.$client.execute(
        `select c.email, c.name, c.locale, r.score, r.responded_at from nps_responses r join contacts c on c.id = r.contact_id order by c.email, r.responded_at`,
      )
    ).rows.map((row) => ({ email: row.email, name: row.name, locale: row.locale, score: Number(row.score), respondedAt: Number(row.responded_at) }));
  const counts = async () => {
    const [row] = (await database.db.$client.execute('select (select count(*) from contacts) as contacts, (select count(*) from nps_responses) as answers')).rows;
    return { contacts: Number(row?.contacts), answers: Number(row?.answers) };
  };
  const expectedFor = (locales: string[]) =>
    expected.filter((answer) => locales.includes(answer.locale)).sort((a, b) => a.email.localeCompare(b.email) || a.respondedAt - b.respondedAt);

  beforeAll(() => {
    files = mkdtempSync(join(tmpdir(), 'review-wall-spreadsheets-'));
  });
  afterAll(() => rmSync(files, { recursive: true, force: true }));
  beforeAll(async () => {
    database = await createTemporaryDatabase();
    env = { ...isolatedEnvironment(database.directory, 4321), DATABASE_URL: database.url };
  });
  afterEach(async () => {
    await database.db.$client.execute('delete from nps_responses');
    await database.db.$client.execute('delete from contacts');
  });
  afterAll(() => database.cleanup());

  it.each([
    ['latvian-excel-windows-1257.csv', 'windows-1257', 'Vārds'],
    ['polish-excel-windows-1250.csv', 'windows-1250', 'Imię i nazwisko'],
    ['cyrillic-excel-windows-1251.csv', 'windows-1251', 'Имя'],
  ])('refuses %s with one line naming the line, %s and --encoding, and stores nothing', async (name, encoding, preview) => {
    const result = await importFile(fixture(name));
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(
      new RegExp(`^import: ${fixture(name)}:1: not UTF-8 text \\(byte 0x[0-9A-F]{2}\\); probably ${encoding}, in which this line reads "${preview}": add --encoding ${encoding} \\(or save it from the spreadsheet as "CSV UTF-8"\\)$`),
    );
    expect(await counts()).toEqual({ contacts: 0, answers: 0 });
  });

  it('reads a Latvian Excel file with --encoding windows-1257 and its local times with --timezone Europe/Riga; again adds nothing', async () => {
    const file = fixture('latvian-excel-windows-1257.csv');
    const first = await importFile(file, '--encoding', 'windows-1257', '--timezone', 'Europe/Riga');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('Read "E-pasts" as email, "Vārds, uzvārds" as name, "Valoda" as locale, "Vērtējums" as score, "Komentārs" as comment, "Datums" as responded_at.');
    expect(first.stdout).toContain('Rows: 9, added: 9, duplicates: 0, rejected: 0.');
    expect(await stored()).toEqual(expectedFor(['lv']));
    expect((await stored()).map((row) => row.name)).toContain('Līga Bērziņa');

    const again = await importFile(file, '--encoding', 'cp1257', '--timezone', 'Europe/Riga');
    expect(again.stdout).toContain('Rows: 9, added: 0, duplicates: 9, rejected: 0.');
    expect(await counts()).toEqual({ contacts: 5, answers: 9 });
  });

  it('imported first without --timezone, then again with the right one: the same 9 answers move to the right times, none is added twice', async () => {
    const file = fixture('latvian-excel-windows-1257.csv');
    const wrong = await importFile(file, '--encoding', 'windows-1257');
    expect(wrong.stdout).toContain('Rows: 9, added: 9, duplicates: 0, rejected: 0.');
    // Read as UTC, each answer sits two or three hours late.
    expect((await stored()).map((row) => row.respondedAt)).not.toEqual(expectedFor(['lv']).map((row) => row.respondedAt));

    const right = await importFile(file, '--encoding', 'windows-1257', '--timezone', 'Europe/Riga');
    expect(right.code, right.stderr).toBe(0);
    expect(right.stdout).toContain('Rows: 9, added: 0, duplicates: 9, rejected: 0.');
    expect(right.stdout).toContain('Moved 9 answers imported before from the same clock times read in another time zone to the times read now');
    expect(await stored()).toEqual(expectedFor(['lv']));

    const again = await importFile(file, '--encoding', 'windows-1257', '--timezone', 'Europe/Riga');
    expect(again.stdout).toContain('Rows: 9, added: 0, duplicates: 9, rejected: 0.');
    expect(again.stdout).not.toContain('Moved');
    expect(await counts()).toEqual({ contacts: 5, answers: 9 });
  });

  it('reads Russian, Ukrainian and Bulgarian rows in windows-1251 (Bulgarian "31.5.2026 г." dates), times without a zone as UTC', async () => {
    const result = await importFile(fixture('cyrillic-excel-windows-1251.csv'), '--encoding', 'windows-1251');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Rows: 27, added: 27, duplicates: 0, rejected: 0.');
    expect(await stored()).toEqual(expectedFor(['ru', 'uk', 'bg']));
  });

  it('reads Polish rows in windows-1250 with Warsaw times', async () => {
    const result = await importFile(fixture('polish-excel-windows-1250.csv'), '--encoding', 'windows-1250', '--timezone', 'Europe/Warsaw');
    expect(result.code, result.stderr).toBe(0);
    expect(await stored()).toEqual(expectedFor(['pl']));
  });

  it('reads Excel "Unicode Text" (UTF-16 with a BOM, tabs): the same answers as the UTF-8 fixture, so that one adds nothing after it', async () => {
    const result = await importFile(fixture('excel-unicode-text.txt'));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Rows: 63, added: 63, duplicates: 0, rejected: 0.');
    expect(await stored()).toEqual(expectedFor(['en', 'pl', 'ru', 'uk', 'lv', 'bg']));
    const utf8 = await importFile(utf8Responses);
    expect(utf8.stdout).toContain('Rows: 63, added: 0, duplicates: 63, rejected: 0.');
  });

  it('reads Excel "CSV UTF-8" (BOM, "2026-06-20 12:15:00"), maps Rating and Created At, and warns about each ignored column', async () => {
    const result = await importFile(fixture('excel-csv-utf8.csv'));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Read "Email Address" as email, "Rating" as score, "Created At" as responded_at.');
    expect(result.stderr.trim()).toBe(`${fixture('excel-csv-utf8.csv')}: warning: ignored columns "ID", "Exported On": not one the import reads (see npm run import -- --help)`);
    expect(await stored()).toEqual(expectedFor(['en']));
  });

  it.each([
    ['delighted-export.csv', '"Response ID", "Survey Type", "Tags", "Permalink"'],
    ['nicereply-export.csv', '"Legacy Score", "Agent", "Ticket"'],
    ['liveagent-export.csv', '"Ticket ID", "Subject", "Agent"'],
  ])('imports %s and warns about %s', async (name, ignored) => {
    const result = await importFile(fixture(name));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.trim()).toBe(`${fixture(name)}: warning: ignored columns ${ignored}: not one the import reads (see npm run import -- --help)`);
    expect(result.stdout).toContain('Rows: 8, added: 8, duplicates: 0, rejected: 0.');
    // Nicereply's "Legacy Score" (another scale) is never read as the score.
    const firstEight = expected.filter((answer) => answer.locale === 'en').slice(0, 8);
    expect(await stored()).toEqual(expectedFor(['en']).filter((answer) => firstEight.includes(answer)));
  });

  it('refuses bytes in the wrong encoding after 600 good rows without storing any of them', async () => {
    const file = join(files, 'late-bad-byte.csv');
    const rows = Array.from({ length: 600 }, (_, index) => `person${index}@example.com,Person ${index},en,9,,2026-05-01T10:00:00Z`);
    writeFileSync(file, Buffer.concat([Buffer.from(['email,name,locale,score,comment,responded_at', ...rows, ''].join('\n')), Buffer.from('liga@example.com,L\xeega B\xe7rzi\xf2a,lv,10,,2026-05-01T10:00:00Z\n', 'latin1')]));
    const result = await importFile(file);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(new RegExp(`^import: ${file}:602: not UTF-8 text \\(byte 0xEE\\); probably windows-1257, in which this line reads "Līga Bērziņa": add --encoding windows-1257`));
    expect(await counts()).toEqual({ contacts: 0, answers: 0 });
  });

  it.each([
    ['a UTF-8 file with accents read as a code page', 'accents.csv', Buffer.from('email,name\njan@example.com,Jan Średnik\n'), ['--encoding', 'windows-1250'], /accents\.csv: is UTF-8 text with accented or non-Latin letters, which read as windows-1250 would be garbled: run without --encoding$/],
    ['a UTF-8 BOM with --encoding', 'bom.csv', Buffer.from('\uFEFFemail\njan@example.com\n'), ['--encoding', 'windows-1257'], /bom\.csv: starts with a UTF-8 byte-order mark, so it is UTF-8, not windows-1257: run without --encoding$/],
    ['an .xlsx workbook', 'book.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), [], /book\.xlsx: is a spreadsheet workbook \(\.xlsx, \.ods or \.xls\), not a CSV file: save it from the spreadsheet as "CSV UTF-8"$/],
    ['UTF-16 without a byte-order mark', 'utf16.csv', Buffer.from('email\njan@example.com\n', 'utf16le'), [], /utf16\.csv:1: has a NUL byte, so it is not a text CSV/],
    ['an unknown encoding', 'plain.csv', Buffer.from('email\njan@example.com\n'), ['--encoding', 'baltic'], /^import: unknown --encoding "baltic": use a code page such as windows-1257, windows-1250, windows-1251, windows-1252$/],
    ['an unknown time zone', 'plain.csv', Buffer.from('email\njan@example.com\n'), ['--timezone', 'Riga'], /^import: unknown --timezone "Riga": use an IANA time zone such as Europe\/Riga, or UTC$/],
    ['a wrong date order', 'plain.csv', Buffer.from('email\njan@example.com\n'), ['--date-order', 'ymd'], /^import: --date-order must be dmy/],
  ])('exits 2 with one line and stores nothing for %s', async (_label, name, bytes, args, message) => {
    const file = join(files, name);
    writeFileSync(file, bytes);
    const result = await importFile(file, ...args);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(message);
    expect(await counts()).toEqual({ contacts: 0, answers: 0 });
  });

  it('reports each date it cannot read with its line; --date-order reads slash dates; Excel\'s "sep=;" line is honoured', async () => {
    const file = join(files, 'dates.csv');
    const lines = [
      'sep=;', // 1
      'Email;Score;Date', // 2
      'a@example.com;9;2026-11-25 10:00:00', // 3
      'b@example.com;9;2026-11-20', // 4
      'c@example.com;9;25.11.2026 10:00', // 5
      'd@example.com;9;03/04/2026 10:00', // 6: day or month first?
      'e@example.com;9;31.02.2026', // 7: no such day
      'f@example.com;9;46000', // 8: a serial number
      'g@example.com;9;2026-11-25T10:00:00+02:00', // 9
    ];
    writeFileSync(file, `${lines.join('\r\n')}\r\n`);
    const first = await importFile(file, '--timezone', 'Europe/Riga');
    expect(first.code).toBe(1);
    expect(first.stderr.trim().split('\n')).toEqual([
      `${file}:6: Date "03/04/2026 10:00" could be day/month or month/day: add --date-order mdy (month first, as in the US) or --date-order dmy, or write it as 2026-11-25`,
      `${file}:7: Date "31.02.2026" is not a date: write it as 2026-11-25 10:00 or 2026-11-25T10:00:00Z`,
      `${file}:8: Date "46000" is a spreadsheet serial number, not a date: format the column as a date before saving`,
    ]);
    expect(first.stdout).toContain('Rows: 7, added: 4, duplicates: 0, rejected: 3.');
    const times = Object.fromEntries((await stored()).map((row) => [row.email, new Date(row.respondedAt).toISOString()]));
    expect(times).toEqual({
      'a@example.com': '2026-11-25T08:00:00.000Z', // Riga is UTC+2 in November
      'b@example.com': '2026-11-19T22:00:00.000Z', // a date alone is midnight in Riga
      'c@example.com': '2026-11-25T08:00:00.000Z',
      'g@example.com': '2026-11-25T08:00:00.000Z', // a written offset wins over --timezone
    });

    const second = await importFile(file, '--timezone', 'Europe/Riga', '--date-order', 'mdy');
    expect(second.stdout).toContain('Rows: 7, added: 1, duplicates: 4, rejected: 2.');
    const [d] = (await stored()).filter((row) => row.email === 'd@example.com');
    expect(new Date(d!.respondedAt).toISOString()).toBe('2026-03-04T08:00:00.000Z'); // 4 March, 10:00 in Riga (UTC+2)
  });
});
