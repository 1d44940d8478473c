import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importUploadedCsv } from '../../../src/lib/server/listen/csv-upload.ts';
import { isolatedEnvironment, runScript } from '../../helpers/app.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';
import { configWith } from '../../helpers/surveys.ts';

let temporary: TemporaryDatabase;
beforeEach(async () => {
  temporary = await createTemporaryDatabase();
});
afterEach(() => temporary.cleanup());

const config = configWith();
const upload = (name: string, text: string) => new File([text], name, { type: 'text/csv' });
const mixed = ['email,score,locale', 'one@example.com,9,pl', 'two@example.com,eleven,en', '"broken@example.com,10', 'three@example.com,3,xx'].join('\n');

describe('the admin CSV upload', () => {
  it('says exactly what npm run import says about the same file, and writes only when asked', async () => {
    const path = join(temporary.directory, 'week.csv');
    writeFileSync(path, mixed);
    const env = { ...isolatedEnvironment(temporary.directory, 4321), DATABASE_URL: temporary.url };
    const command = await runScript('import', [path, '--dry-run'], env);

    const checked = await importUploadedCsv(temporary.db, config, upload('week.csv', mixed), { dryRun: true });
    if (checked.kind !== 'imported') throw new Error(`refused: ${checked.kind === 'refused' ? checked.message : ''}`);
    expect(checked.summary.join('\n') + '\n').toBe(command.stdout);
    expect(checked.rejectedLines.map((line) => line.replace(/^week\.csv/, path)).join('\n') + '\n').toBe(command.stderr);
    expect(checked.report.rejected.length).toBeGreaterThan(0);
    expect((await temporary.db.$client.execute('select count(*) as n from contacts')).rows[0]).toMatchObject({ n: 0 });

    const imported = await importUploadedCsv(temporary.db, config, upload('week.csv', mixed), { dryRun: false });
    expect(imported).toMatchObject({ kind: 'imported', dryRun: false, report: { answersAdded: checked.report.answersAdded } });
    expect((await temporary.db.$client.execute('select count(*) as n from contacts')).rows[0]).toMatchObject({ n: checked.report.contactsAdded });
  });

  it.each([
    ['no.csv', 'name,score\nAna,9\n', 'no.csv:1: the header row has no email column (its columns: "name", "score"); name the column of email addresses "email" or "Email Address"'],
    ['empty.csv', '', 'empty.csv: the CSV is empty: expected a header row with an "email" column'],
  ])('refuses %s whole with one line, writing nothing', async (name, text, message) => {
    expect(await importUploadedCsv(temporary.db, config, upload(name, text), { dryRun: false })).toEqual({ kind: 'refused', fileName: name, message });
    expect((await temporary.db.$client.execute('select count(*) as n from contacts')).rows[0]).toMatchObject({ n: 0 });
  });

  it('reads a Latvian Excel export (Windows-1257, Riga times) as npm run import does, once the form names the encoding', async () => {
    const path = join(import.meta.dirname, '..', '..', 'fixtures', 'spreadsheets', 'latvian-excel-windows-1257.csv');
    const bytes = readFileSync(path);
    const file = () => new File([bytes], 'latvian.csv', { type: 'text/csv' });
    const refused = await importUploadedCsv(temporary.db, config, file(), { dryRun: false });
    expect(refused).toMatchObject({ kind: 'refused' });
    if (refused.kind !== 'refused') return;
    expect(refused.message).toMatch(/^latvian\.csv:1: not UTF-8 text \(byte 0x[0-9A-F]{2}\); probably windows-1257, in which this line reads "Vārds": choose windows-1257 under "File encoding" and check the file again/);
    expect(refused.message).not.toContain('--');
    expect((await temporary.db.$client.execute('select count(*) as n from contacts')).rows[0]).toMatchObject({ n: 0 });

    const env = { ...isolatedEnvironment(temporary.directory, 4321), DATABASE_URL: temporary.url };
    const command = await runScript('import', [path, '--dry-run', '--encoding', 'windows-1257', '--timezone', 'Europe/Riga'], env);
    const imported = await importUploadedCsv(temporary.db, config, file(), { dryRun: false, encoding: 'windows-1257', timeZone: 'Europe/Riga' });
    if (imported.kind !== 'imported') throw new Error(`refused: ${imported.kind === 'refused' ? imported.message : ''}`);
    expect(imported.summary[0]).toContain('Read "E-pasts" as email, "Vārds, uzvārds" as name');
    expect(imported.summary.join('\n')).toBe(command.stdout.trim().replace('Dry run, nothing written: would add', 'Added'));
    expect(imported.reading).toEqual({ encoding: 'windows-1257', timeZone: 'Europe/Riga', dateOrder: '' });
    const names = (await temporary.db.$client.execute('select name from contacts')).rows.map((row) => row.name);
    expect(names).toContain('Līga Bērziņa');
  });

  it('warns about the columns it does not read, as npm run import does', async () => {
    const checked = await importUploadedCsv(temporary.db, config, upload('extra.csv', 'email,score,favourite colour\nana@example.com,9,gold\n'), { dryRun: true });
    expect(checked).toMatchObject({ kind: 'imported', warnings: ['extra.csv: warning: ignored column "favourite colour": not one the import reads (see npm run import -- --help)'] });
  });
});
