import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contacts, incentives, reviewRequests, reviews } from '../../../db/schema.ts';
import { loadDashboard } from '../../../src/lib/server/moderate/dashboard.ts';
import { exportNpsAnswersCsv, exportReviewsCsv, neutralizeFormula, npsExportHeader, toCsv } from '../../../src/lib/server/moderate/export.ts';
import { importNpsCsv } from '../../../src/lib/server/listen/nps-import.ts';
import { hashToken } from '../../../src/lib/tokens.ts';
import { projectRoot } from '../../helpers/app.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';

const fixture = join(projectRoot, 'test', 'fixtures', 'nps-responses.csv');
const readCsv = (text: string) => parse(text, { columns: true, bom: true }) as Record<string, string>[];

describe('neutralizeFormula', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","click")', `'=HYPERLINK("http://evil.example","click")`],
    ['+1+1', `'+1+1`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\tcmd', `'\tcmd`],
    ['\r=1+1', `'\r=1+1`],
    ['\uFF1D1+1', `'\uFF1D1+1`],
    ['Great = fast', 'Great = fast'],
    ['', ''],
  ])('makes %j safe to open', (input, output) => {
    expect(neutralizeFormula(input)).toBe(output);
  });

  it('leaves numbers and empty values as they are', () => {
    expect(neutralizeFormula(-3)).toBe(-3);
    expect(neutralizeFormula(null)).toBe('');
    expect(neutralizeFormula(true)).toBe('yes');
  });
});

describe('toCsv', () => {
  // Like a spreadsheet: an unquoted LF or CR ends a row as CRLF does (csv-parse alone would
  // settle on the first delimiter it meets and read a bare LF as part of the cell).
  const parseRows = (text: string) => parse(text, { bom: true, relax_column_count: true, record_delimiter: ['\r\n', '\n', '\r'] }) as string[][];

  it('keeps a review with bare line breaks in one cell, so its second line cannot start a row of its own', () => {
    const body = "I liked it\n=cmd|' /C calc'!A0";
    const rows = parseRows(toCsv(['id', 'body', 'company'], [[1, body, 'Acme'], [2, 'one\rtwo\r\n@SUM(A1)', 'x']]));
    expect(rows).toEqual([
      ['id', 'body', 'company'],
      ['1', body, 'Acme'],
      ['2', 'one\rtwo\r\n@SUM(A1)', 'x'],
    ]);
  });

  it('gives back every cell as written, or with one apostrophe before a formula, and never a cell that starts one', () => {
    const tricky = fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '\r\n', ',', '"', "'", ' ', 'a', 'é', '\uFF1D', '|');
    const cell = fc.oneof(fc.string({ unit: tricky, maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null));
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { maxLength: 6 }), (rows) => {
        const parsed = parseRows(toCsv(['a', 'b', 'c'], rows));
        expect(parsed).toHaveLength(rows.length + 1);
        parsed.slice(1).forEach((row, index) => {
          expect(row).toEqual(rows[index]!.map((value) => String(neutralizeFormula(value))));
          for (const [column, value] of row.entries()) {
            if (typeof rows[index]![column] !== 'number') expect(value).not.toMatch(/^[=+\-@\t\r\uFF1D]/);
          }
        });
      }),
      { numRuns: 500 },
    );
  });
});

describe('CSV exports', () => {
  let database: TemporaryDatabase;
  beforeEach(async () => {
    database = await createTemporaryDatabase();
  });
  afterEach(() => database.cleanup());

  it('exports every NPS answer in the import format, and the export imports back to the same figures', async () => {
    await importNpsCsv(database.db, createReadStream(fixture), { source: 'csv', defaultLocale: 'en' });
    // One answer with a segment: it travels with the answer through the export.
    await database.db.$client.execute("update nps_responses set segment = 'EU, North' where id = (select min(id) from nps_responses)");
    const text = await exportNpsAnswersCsv(database.db);
    expect(text.startsWith('\uFEFFemail,name,locale,score,comment,responded_at,source,segment\r\n')).toBe(true);
    const exported = readCsv(text);
    const original = readCsv(readFileSync(fixture, 'utf8'));
    expect(exported).toHaveLength(63);
    expect(Object.keys(exported[0]!)).toEqual(npsExportHeader);
    // Same answers (comments with commas, quotes and accents intact), ordered by time.
    const key = (row: Record<string, string>) => `${row.email}|${row.score}|${row.comment}|${new Date(row.responded_at!).toISOString()}`;
    expect(exported.map(key).sort()).toEqual(original.map(key).sort());
    expect(exported.some((row) => row.comment?.includes(','))).toBe(true);

    const copy = await createTemporaryDatabase();
    try {
      await importNpsCsv(copy.db, Readable.from([text]), { source: 'csv', defaultLocale: 'en' });
      expect((await loadDashboard(copy.db)).overall).toEqual((await loadDashboard(database.db)).overall);
      expect((await loadDashboard(copy.db, { segment: 'EU, North' })).overall.total).toBe(1);
    } finally {
      copy.cleanup();
    }
  });

  it('an export read back stores what customers wrote, even text a spreadsheet would take for a formula', async () => {
    const written = [
      { email: 'minus@example.com', name: '-Anna-', score: '3', comment: '-5 stars: the app crashed', segment: '+Pro' },
      { email: 'equals@example.com', name: '@ndrejs', score: '9', comment: '=HYPERLINK("https://evil.example","thanks")', segment: '=EU' },
      { email: 'apostrophe@example.com', name: "'Quoted' Name", score: '10', comment: "'tis the best support", segment: 'EU' },
    ];
    const header = 'email,name,score,comment,responded_at,segment';
    const lines = written.map((row, index) => [row.email, row.name, row.score, row.comment, `2026-03-0${index + 1}T10:00:00Z`, row.segment].map((cell) => `"${cell.replaceAll('"', '""')}"`).join(','));
    await importNpsCsv(database.db, Readable.from([[header, ...lines].join('\n')]), { source: 'csv', defaultLocale: 'en' });
    const exported = await exportNpsAnswersCsv(database.db);
    expect(exported).toContain("'-5 stars");
    const copy = await createTemporaryDatabase();
    try {
      await importNpsCsv(copy.db, Readable.from([exported]), { source: 'csv', defaultLocale: 'en' });
      const stored = await copy.db.$client.execute(
        'select c.email, c.name, r.comment, r.segment from nps_responses r join contacts c on c.id = r.contact_id order by r.responded_at',
      );
      expect(stored.rows.map((row) => ({ email: row.email, name: row.name, comment: row.comment, segment: row.segment }))).toEqual(
        written.map(({ email, name, comment, segment }) => ({ email, name, comment, segment })),
      );
      // And exported again, the guards are back, exactly as the first time.
      expect(await exportNpsAnswersCsv(copy.db)).toBe(exported);
    } finally {
      copy.cleanup();
    }
  });

  it('exports reviews of every status with quoting intact and formulas neutralized', async () => {
    const { db } = database;
    const [contact] = await db.insert(contacts).values({ email: 'mallory@example.com', name: '=cmd|"/c calc"!A1', locale: 'en' }).returning();
    const [request] = await db
      .insert(reviewRequests)
      .values({ contactId: contact!.id, tokenHash: hashToken('export'), locale: 'en', expiresAt: new Date(Date.UTC(2027, 0, 1)) })
      .returning();
    const body = '@SUM(1+1)\nLine two, with "quotes" and a comma';
    const [review] = await db
      .insert(reviews)
      .values({
        requestId: request!.id,
        contactId: contact!.id,
        rating: 2,
        body,
        nameDisplay: 'anonymous',
        company: '+Acme',
        locale: 'en',
        consentAt: new Date(Date.UTC(2026, 4, 1)),
        status: 'rejected',
        rejectionReason: 'spam',
        submittedAt: new Date(Date.UTC(2026, 4, 1)),
      })
      .returning();
    await db.insert(incentives).values({ reviewId: review!.id, contactId: contact!.id, state: 'sent' });

    const rows = readCsv(await exportReviewsCsv(db));
    expect(rows).toEqual([
      {
        id: String(review!.id),
        submitted_at: '2026-05-01T00:00:00.000Z',
        status: 'rejected',
        rating: '2',
        locale: 'en',
        email: 'mallory@example.com',
        name: `'=cmd|"/c calc"!A1`,
        name_display: 'anonymous',
        role: '',
        company: `'+Acme`,
        body: `'${body}`,
        rejection_reason: 'spam',
        featured: 'no',
        redacted: 'no',
        has_photo: 'no',
        moderated_at: '',
        incentive_state: 'sent',
      },
    ]);
  });
});
