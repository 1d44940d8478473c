import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnvironment, projectRoot, runScript } from '../../helpers/app.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';

const fixture = join(projectRoot, 'test', 'fixtures', 'nps-responses.csv');

async function count(database: TemporaryDatabase, table: string): Promise<number> {
  return Number((await database.db.$client.execute(`select count(*) from ${table}`)).rows[0]?.[0]);
}

// Each run of the command takes seconds on a shared, loaded machine; some tests run two.
describe('npm run import', { timeout: 120_000 }, () => {
  let database: TemporaryDatabase;
  let env: Record<string, string>;
  let files: string;

  beforeAll(async () => {
    database = await createTemporaryDatabase();
    env = { ...isolatedEnvironment(database.directory, 4321), DATABASE_URL: database.url };
    files = mkdtempSync(join(tmpdir(), 'review-wall-import-'));
  });
  afterAll(() => {
    database.cleanup();
    rmSync(files, { recursive: true, force: true });
  });

  it('--dry-run reports what the fixture would add and writes nothing', async () => {
    const result = await runScript('import', [fixture, '--dry-run'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Rows: 63, added: 63, duplicates: 0, rejected: 0.');
    expect(result.stdout).toContain('35 new customers');
    expect(await count(database, 'contacts')).toBe(0);
    expect(await count(database, 'nps_responses')).toBe(0);
  });

  it('imports the fixture once; importing it again adds nothing', async () => {
    const first = await runScript('import', [fixture], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('Rows: 63, added: 63, duplicates: 0, rejected: 0.');
    expect(await count(database, 'contacts')).toBe(35);
    expect(await count(database, 'nps_responses')).toBe(63);
    const [row] = (await database.db.$client.execute(`select name, locale from contacts where email = 'customer13@example.com'`)).rows;
    expect(row).toMatchObject({ name: 'Тарас Мельник', locale: 'uk' });

    const second = await runScript('import', [fixture], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('Rows: 63, added: 0, duplicates: 63, rejected: 0.');
    expect(await count(database, 'contacts')).toBe(35);
    expect(await count(database, 'nps_responses')).toBe(63);
  });

  it('reports each bad row with the line where it starts and why, keeps the good rows, and exits 1', async () => {
    const file = join(files, 'bad-rows.csv');
    writeFileSync(
      file,
      [
        'email,name,locale,score,comment,responded_at',
        'good.one@example.com,Good One,en,10,Great,2026-05-01T10:00:00Z', // 2
        ',No Email,en,9,,2026-05-01T10:00:00Z', // 3
        'eleven@example.com,Eleven,en,11,,2026-05-01T10:00:00Z', // 4
        'bad.date@example.com,Bad Date,en,9,,yesterday', // 5
        'good.two@example.com,Good Two,pl,9,"Bardzo dobrze,', // 6: a quoted comment over two lines
        'polecam",2026-05-02T10:00:00Z', // 7
        '', // 8: blank lines are skipped
        'not-an-email,Nobody,en,9,,2026-05-01T10:00:00Z', // 9
        'broken@example.com,Broken,en,9,"He said "hi" to me,2026-05-03T10:00:00Z', // 10
        'good.three@example.com,Good Three,uk,10,,2026-05-04T10:00:00Z', // 11
        'too.many@example.com,Too Many,en,9,,2026-05-04T10:00:00Z,extra', // 12
        'good.four@example.com,Good Four,lv,8,,2026-05-05T10:00:00Z', // 13
        '',
      ].join('\n'),
    );
    const result = await runScript('import', [file], env);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `${file}:3: email is required`,
      `${file}:4: score must be a whole number from 0 to 10`,
      `${file}:5: responded_at "yesterday" is not a date: write it as 2026-11-25 10:00 or 2026-11-25T10:00:00Z`,
      `${file}:9: email is not a valid address`,
      `${file}:10: broken quoting: a quote inside a quoted field must be doubled ("")`,
      `${file}:12: wrong number of columns: 7 instead of 6`,
    ]);
    expect(result.stdout).toContain('added: 4, duplicates: 0, rejected: 6.');
    const emails = (await database.db.$client.execute(`select email from contacts where email like 'good.%' order by email`)).rows.map((row) => row.email);
    expect(emails).toEqual(['good.four@example.com', 'good.one@example.com', 'good.three@example.com', 'good.two@example.com']);
    const [comment] = (await database.db.$client.execute(`select comment from nps_responses r join contacts c on c.id = r.contact_id where c.email = 'good.two@example.com'`)).rows;
    expect(comment?.comment).toBe('Bardzo dobrze,\npolecam');
  });

  it('reads a semicolon-separated file as saved by a spreadsheet in Polish settings (BOM, CRLF, quoted commas)', async () => {
    const file = join(files, 'semicolons.csv');
    writeFileSync(file, '\uFEFFEmail;Name;Locale;Score;Comment;Responded_at\r\nsemi.colon@example.com;Jan Średnik;pl;9;"Szybko, miło; polecam";2026-06-01T10:00:00Z\r\n');
    const result = await runScript('import', [file], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Rows: 1, added: 1, duplicates: 0, rejected: 0.');
    // One of each: singular nouns.
    expect(result.stdout).toContain('Added 1 answer and 1 new customer.');
    const [row] = (await database.db.$client.execute(`select c.name, c.locale, r.comment from contacts c join nps_responses r on r.contact_id = c.id where c.email = 'semi.colon@example.com'`)).rows;
    expect(row).toMatchObject({ name: 'Jan Średnik', locale: 'pl', comment: 'Szybko, miło; polecam' });
  });

  it.each([
    [['missing.csv'], /^import: cannot read missing\.csv: no such file$/],
    [[], /^import: expected a CSV file/],
    [['--frobnicate'], /^import: Unknown option '--frobnicate'/],
  ])('exits 2 with one line for bad usage: %j', async (args, expected) => {
    const result = await runScript('import', args, env);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(expected);
  });

  it('exits 2 when the header has no email column, and stores nothing', async () => {
    const file = join(files, 'no-email.csv');
    writeFileSync(file, 'name,score\nAnna,10\n');
    const before = await count(database, 'contacts');
    const result = await runScript('import', [file], env);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(`import: ${file}:1: the header row has no email column (its columns: "name", "score"); name the column of email addresses "email" or "Email Address"`);
    expect(await count(database, 'contacts')).toBe(before);
  });

  it('prints --help with the exit codes', async () => {
    const result = await runScript('import', ['--help'], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: npm run import -- FILE.csv');
    expect(result.stdout).toContain('1 some rows were rejected');
  });

  it('imports a 20,000-row file with plain progress lines when not on a terminal', async () => {
    const large = await createTemporaryDatabase();
    const file = join(files, 'large.csv');
    const lines = ['email,name,locale,score,comment,responded_at'];
    for (let index = 0; index < 20_000; index++) {
      const day = String((index % 28) + 1).padStart(2, '0');
      lines.push(`person${index % 12_000}@example.com,Person ${index},${['en', 'pl', 'uk'][index % 3]},${index % 11},"Comment, number ${index}",2026-0${(index % 9) + 1}-${day}T10:${String(index % 60).padStart(2, '0')}:00Z`);
    }
    writeFileSync(file, `${lines.join('\n')}\n`);
    const result = await runScript('import', [file], { ...env, DATABASE_URL: large.url });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/import: 25% read/);
    const expectedAnswers = new Set(lines.slice(1).map((line) => `${line.split(',')[0]}|${line.split(',').at(-1)}`)).size;
    expect(result.stdout).toContain(`Rows: 20000, added: ${expectedAnswers}, duplicates: ${20_000 - expectedAnswers}, rejected: 0.`);
    expect(await count(large, 'contacts')).toBe(12_000);
    expect(await count(large, 'nps_responses')).toBe(expectedAnswers);
    expect(readFileSync(file, 'utf8').length).toBeGreaterThan(1024 * 1024);
    large.cleanup();
    // 20,000 rows take 6 s of CPU; on a shared, loaded machine the wall clock is far longer.
  }, 120_000);
});
