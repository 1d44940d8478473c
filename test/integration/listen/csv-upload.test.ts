import { writeFileSync } from 'node:fs';
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
    ['no.csv', 'name,score\nAna,9\n', 'no.csv: the header row has no email column (its columns: "name", "score"); name the column of email addresses "email" or "Email Address"'],
    ['empty.csv', '', 'empty.csv: the CSV is empty: expected a header row with an "email" column'],
  ])('refuses %s whole with one line, writing nothing', async (name, text, message) => {
    expect(await importUploadedCsv(temporary.db, config, upload(name, text), { dryRun: false })).toEqual({ kind: 'refused', fileName: name, message });
    expect((await temporary.db.$client.execute('select count(*) as n from contacts')).rows[0]).toMatchObject({ n: 0 });
  });
});
