import { eq } from 'drizzle-orm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminUsers, auditLog, npsResponses } from '../../../db/schema.ts';
import { storeNpsAnswers } from '../../../src/lib/server/listen/nps-import.ts';
import { eraseContact } from '../../../src/lib/server/moderate/erasure.ts';
import { listFollowUps, loadFollowUpFigures, markFollowedUp, undoFollowUp } from '../../../src/lib/server/moderate/follow-up.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';

const hour = 3_600_000;
const start = Date.UTC(2026, 10, 2, 9, 0);
const at = (hours: number) => new Date(start + hours * hour);

// Seven answers of six customers, an hour apart; promoters (9, 10) never wait.
const answers = [
  { email: 'ana@example.com', name: 'Ana', locale: 'pl', score: 3, comment: 'Too slow.', hours: 0 },
  { email: 'ben@example.com', name: 'Ben', locale: 'en', score: 7, hours: 1 },
  { email: 'cai@example.com', locale: 'lv', score: 9, hours: 2 },
  { email: 'dora@example.com', name: 'Dora', locale: 'uk', score: 0, comment: 'Lost my data.', hours: 3 },
  { email: 'eli@example.com', locale: 'en', score: 8, hours: 4 },
  { email: 'fay@example.com', locale: 'en', score: 10, hours: 5 },
  { email: 'ana@example.com', name: 'Ana', locale: 'pl', score: 6, comment: 'Still slow.', hours: 6 },
];

let database: TemporaryDatabase;
let admin: { id: number; email: string };
const idOf = async (email: string, score: number) => {
  const rows = await database.db.$client.execute({ sql: 'select r.id from nps_responses r join contacts c on c.id = r.contact_id where c.email = ? and r.score = ?', args: [email, score] });
  return Number(rows.rows[0]!.id);
};

beforeEach(async () => {
  database = await createTemporaryDatabase();
  await storeNpsAnswers(
    database.db,
    answers.map(({ hours, ...answer }) => ({ ...answer, responded_at: at(hours).toISOString() })),
    { source: 'csv', defaultLocale: 'en' },
  );
  const [row] = await database.db.insert(adminUsers).values({ email: 'marketer@example.com', passwordHash: 'x' }).returning();
  admin = { id: row!.id, email: row!.email };
});
afterEach(() => database.cleanup());

describe('the follow-up list', () => {
  it('lists detractors and passives, newest answer first, with score, reason, contact and language', async () => {
    const lists = await listFollowUps(database.db);
    expect(lists.waiting.map((item) => [item.contactEmail, item.score])).toEqual([
      ['ana@example.com', 6],
      ['eli@example.com', 8],
      ['dora@example.com', 0],
      ['ben@example.com', 7],
      ['ana@example.com', 3],
    ]);
    expect(lists.waitingTotal).toBe(5);
    expect(lists.waiting[2]).toMatchObject({ contactName: 'Dora', contactLocale: 'uk', comment: 'Lost my data.', respondedAt: at(3), followedUpAt: null });
    expect(lists.waiting[1]).toMatchObject({ contactName: null, comment: null });
    expect(lists.done).toEqual([]);
  });

  it('marks an answer followed up with who, when and a note, then puts it back on undo; both audited', async () => {
    const dora = await idOf('dora@example.com', 0);
    expect(await markFollowedUp(database.db, { responseId: dora, admin, note: '  Called her; restored from backup. ', at: at(20) })).toEqual({ kind: 'marked', responseId: dora });
    let lists = await listFollowUps(database.db);
    expect(lists.waiting.map((item) => item.responseId)).not.toContain(dora);
    expect(lists.waitingTotal).toBe(4);
    expect(lists.done).toEqual([expect.objectContaining({ responseId: dora, followedUpAt: at(20), followedUpBy: 'marketer@example.com', note: 'Called her; restored from backup.' })]);

    // A second click (another tab, another marketer) changes nothing: the first time stays.
    expect(await markFollowedUp(database.db, { responseId: dora, admin, at: at(30) })).toEqual({ kind: 'unchanged', followedUpAt: at(20) });

    expect(await undoFollowUp(database.db, { responseId: dora, admin })).toEqual({ kind: 'undone', responseId: dora });
    lists = await listFollowUps(database.db);
    expect(lists.waitingTotal).toBe(5);
    expect(lists.done).toEqual([]);
    const [row] = await database.db.select().from(npsResponses).where(eq(npsResponses.id, dora));
    expect(row).toMatchObject({ followedUpAt: null, followedUpBy: null, followUpNote: null });
    expect(await undoFollowUp(database.db, { responseId: dora, admin })).toEqual({ kind: 'unchanged', followedUpAt: null });

    const audit = await database.db.select().from(auditLog).where(eq(auditLog.subjectType, 'nps_response'));
    expect(audit.map((entry) => [entry.action, entry.subjectId, entry.actorLabel, entry.detail])).toEqual([
      ['follow-up.mark', dora, 'marketer@example.com', null],
      ['follow-up.undo', dora, 'marketer@example.com', null],
    ]);
  });

  it('refuses promoters and unknown answers', async () => {
    expect(await markFollowedUp(database.db, { responseId: await idOf('fay@example.com', 10), admin })).toEqual({ kind: 'not-needed' });
    expect(await markFollowedUp(database.db, { responseId: 99_999, admin })).toEqual({ kind: 'not-found' });
  });

  it('never shows an erased customer, waiting or followed up', async () => {
    await markFollowedUp(database.db, { responseId: await idOf('ana@example.com', 3), admin, note: 'Ana is happy now', at: at(5) });
    const directory = mkdtempSync(join(tmpdir(), 'review-wall-erase-'));
    try {
      await eraseContact(database.db, { email: 'ana@example.com' }, { id: admin.id, label: admin.email }, { uploadDir: join(directory, 'u'), outboxDir: join(directory, 'o') });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
    const lists = await listFollowUps(database.db);
    expect([...lists.waiting, ...lists.done].map((item) => item.contactEmail)).not.toContain('ana@example.com');
    expect(lists.waitingTotal).toBe(3);
    expect(lists.done).toEqual([]);
    expect((await loadFollowUpFigures(database.db, {}, at(100))).needed).toBe(3);
  });
});

describe('time to follow up', () => {
  it('gives the median, the share within 48 h and how many wait, from known timestamps', async () => {
    // Ben (answered hour 1) after 10 h, Dora (hour 3) after 60 h, Eli (hour 4) after 30 h.
    await markFollowedUp(database.db, { responseId: await idOf('ben@example.com', 7), admin, at: at(11) });
    await markFollowedUp(database.db, { responseId: await idOf('dora@example.com', 0), admin, at: at(63) });
    await markFollowedUp(database.db, { responseId: await idOf('eli@example.com', 8), admin, at: at(34) });
    // Now is hour 50: Ana's 3 (hour 0) has waited 50 h and missed 48 h; Ana's 6 (hour 6) has waited 44 h, still in time.
    const figures = await loadFollowUpFigures(database.db, {}, at(50));
    // Delays 10, 30, 60 → median 30 h. Within 48 h: Ben and Eli (2) of Ben, Eli, Dora and Ana's 3 (4) → 50 %.
    expect(figures).toEqual({ needed: 5, followedUp: 3, waiting: 2, medianHours: 30, withinTarget: 2, withinTargetRate: 50 });

    // Later, Ana's 6 has waited past 48 h too: 2 of 5.
    expect((await loadFollowUpFigures(database.db, {}, at(100))).withinTargetRate).toBe(40);
    // An even count takes the mean of the middle two: Ana's 3 followed up after 100 h → 10, 30, 60, 100 → 45 h.
    await markFollowedUp(database.db, { responseId: await idOf('ana@example.com', 3), admin, at: at(100) });
    expect((await loadFollowUpFigures(database.db, {}, at(100))).medianHours).toBe(45);
  });

  it('counts only the answers of the date range, segment and language asked for', async () => {
    await markFollowedUp(database.db, { responseId: await idOf('ben@example.com', 7), admin, at: at(11) });
    // Hours 0–3 of the range: Ana's 3, Ben, Dora; English only: Ben and Eli.
    expect(await loadFollowUpFigures(database.db, { from: at(0), to: at(3.5) }, at(10))).toMatchObject({ needed: 3, followedUp: 1, waiting: 2, medianHours: 10 });
    expect(await loadFollowUpFigures(database.db, { locale: 'en' }, at(10))).toMatchObject({ needed: 2, followedUp: 1, waiting: 1 });
    await database.db.update(npsResponses).set({ segment: 'EU' }).where(eq(npsResponses.id, await idOf('dora@example.com', 0)));
    expect(await loadFollowUpFigures(database.db, { segment: 'EU' }, at(10))).toMatchObject({ needed: 1, followedUp: 0, waiting: 1, medianHours: null });
  });
});
