import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importNpsCsv } from '../../../src/lib/server/listen/nps-import.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';

// Times a spreadsheet wrote without a zone are read in the import's time zone; the clock time as
// written is kept, so the same rows imported with another zone are the same answers (moved, not added).
const file = ['email,score,comment,responded_at', 'anna@example.com,9,Quick,2026-03-05 14:00', 'anna@example.com,10,Again quick,2026-06-05 09:30', 'ben@example.com,4,,2026-06-01T08:00:00Z'].join('\n');

describe('importing the same rows with another --timezone', () => {
  let database: TemporaryDatabase;
  beforeEach(async () => {
    database = await createTemporaryDatabase();
  });
  afterEach(() => database.cleanup());

  const importIn = (timeZone: string, dryRun = false) =>
    importNpsCsv(database.db, Readable.from([file]), { source: 'csv', defaultLocale: 'en', timeZone, dryRun });
  const times = async () =>
    (await database.db.$client.execute('select responded_at from nps_responses order by responded_at')).rows.map((row) => new Date(Number(row.responded_at)).toISOString());

  it('moves the answers written without a zone, leaves the one with a zone, adds nothing; a dry run says so and changes nothing', async () => {
    expect(await importIn('UTC')).toMatchObject({ answersAdded: 3, duplicates: 0, moved: 0 });
    expect(await times()).toEqual(['2026-03-05T14:00:00.000Z', '2026-06-01T08:00:00.000Z', '2026-06-05T09:30:00.000Z']);
    expect(await importIn('Europe/Riga', true)).toMatchObject({ answersAdded: 0, duplicates: 3, moved: 2 });
    expect(await times()).toEqual(['2026-03-05T14:00:00.000Z', '2026-06-01T08:00:00.000Z', '2026-06-05T09:30:00.000Z']);
    expect(await importIn('Europe/Riga')).toMatchObject({ answersAdded: 0, duplicates: 3, moved: 2 });
    expect(await times()).toEqual(['2026-03-05T12:00:00.000Z', '2026-06-01T08:00:00.000Z', '2026-06-05T06:30:00.000Z']);
    expect(await importIn('Europe/Riga')).toMatchObject({ answersAdded: 0, duplicates: 3, moved: 0 });
  });

  it('finds answers imported before clock times were kept once they are imported again in the same zone', async () => {
    await importIn('UTC');
    // As a database from before migration 0012 holds them.
    await database.db.$client.execute('update nps_responses set wall_clock = null');
    expect(await importIn('UTC')).toMatchObject({ answersAdded: 0, duplicates: 3, moved: 0 });
    expect(await importIn('America/New_York')).toMatchObject({ answersAdded: 0, duplicates: 3, moved: 2 });
    expect(await times()).toEqual(['2026-03-05T19:00:00.000Z', '2026-06-01T08:00:00.000Z', '2026-06-05T13:30:00.000Z']);
    expect(Number((await database.db.$client.execute('select count(*) as n from nps_responses')).rows[0]!.n)).toBe(3);
  });

  it('does not move an answer onto a moment the customer already answered at', async () => {
    await importIn('UTC');
    // Anna also answered at 12:00 UTC on 5 March, which is 14:00 in Riga.
    await database.db.$client.execute(
      "insert into nps_responses (contact_id, score, comment, responded_at, source) select id, 7, 'From the webhook', ?, 'webhook' from contacts where email = 'anna@example.com'",
      [Date.parse('2026-03-05T12:00:00Z')],
    );
    const report = await importIn('Europe/Riga');
    expect(report).toMatchObject({ answersAdded: 0, duplicates: 3, moved: 1 });
    expect(Number((await database.db.$client.execute('select count(*) as n from nps_responses')).rows[0]!.n)).toBe(4);
  });
});
