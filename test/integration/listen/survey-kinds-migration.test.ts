import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../db/client.ts';
import { migrateDatabase, migrationsFolder } from '../../../db/migrate.ts';

let directory: string;
let db: Database | undefined;
afterEach(() => {
  db?.$client.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('the survey kinds migration', () => {
  it('keeps every survey sent before it as NPS, with its links and answers, and adds the CSAT and CES answers table', async () => {
    directory = mkdtempSync(join(tmpdir(), 'review-wall-kinds-'));
    // The migrations as they were before this one (found by name, so a renumbered migration still works).
    const before = join(directory, 'migrations-before');
    cpSync(migrationsFolder, before, { recursive: true });
    const journalPath = join(before, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
    const index = journal.entries.findIndex((entry) => entry.tag.endsWith('_survey_kinds'));
    expect(index).toBeGreaterThan(0);
    writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, index) }));

    db = await openDatabase({ url: `file:${join(directory, 'old.db')}` });
    await migrateDatabase(db, before);
    const run = async (sql: string, args: (string | number)[] = []) => (await db!.$client.execute({ sql, args })).rows.map((row) => ({ ...row }));
    await run("insert into contacts (id, email, locale) values (1, 'old@example.com', 'en')");
    await run("insert into surveys (id, contact_id, trigger, origin, round, locale, expires_at) values (7, 1, 'manual', 'cli:old', 1, 'en', 9999999999999)");
    await run("insert into survey_tokens (token_hash, survey_id) values ('hash-of-old-token', 7)");
    await run("insert into nps_responses (contact_id, score, responded_at, source, survey_id) values (1, 9, 1000, 'email', 7)");

    await migrateDatabase(db);
    expect(await run('select id, kind from surveys')).toEqual([{ id: 7, kind: 'nps' }]);
    expect(await run('select survey_id from survey_tokens')).toEqual([{ survey_id: 7 }]);
    expect(await run('select score, survey_id from nps_responses')).toEqual([{ score: 9, survey_id: 7 }]);
    expect(await run('select count(*) as n from survey_ratings')).toEqual([{ n: 0 }]);
    // The table refuses a score off its kind's scale, whatever writes it.
    await expect(run("insert into survey_ratings (survey_id, contact_id, kind, score, responded_at) values (7, 1, 'csat', 9, 1)")).rejects.toThrow(/CHECK constraint failed/);
    await run("insert into survey_ratings (survey_id, contact_id, kind, score, responded_at) values (7, 1, 'ces', 7, 1)");
  });
});
