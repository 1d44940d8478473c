import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordSurveyAnswer } from '../../../src/lib/server/listen/survey-answers.ts';
import { loadNpsBetween, loadScoreHistory, loadSurveyRounds } from '../../../src/lib/server/moderate/dashboard.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';
import { configWith, createSurveyLink } from '../../helpers/surveys.ts';

let temporary: TemporaryDatabase;
beforeEach(async () => {
  temporary = await createTemporaryDatabase();
});
afterEach(() => temporary.cleanup());

const day = 24 * 60 * 60 * 1000;

describe('survey figures on the dashboard', () => {
  it('gives NPS per round, for a date range, and one customer\'s history', async () => {
    const config = configWith();
    const start = new Date(Date.now() - 200 * day);
    const at = (days: number) => new Date(start.getTime() + days * day);
    const answer = async (days: number, score: number, email?: string) => {
      const link = await createSurveyLink(temporary.db, { config, now: at(days) });
      if (email) await temporary.db.$client.execute({ sql: 'update contacts set email = ? where id = ?', args: [email, link.contactId] });
      await temporary.db.$client.execute({ sql: 'update surveys set expires_at = ? where id = ?', args: [at(days + 30).getTime(), link.surveyId] });
      expect(await recordSurveyAnswer(temporary.db, config, { token: link.token, score, clientAddress: '192.0.2.7', now: at(days + 1) })).toMatchObject({ kind: 'recorded' });
      return link;
    };
    // Round 1 (days 0–89): 10, 9, 3 → NPS 33.3; round 2 (from day 100): 8, 0 → NPS −50.
    await answer(0, 10);
    await answer(5, 9);
    await answer(80, 3);
    await answer(100, 8);
    await answer(101, 0);
    await createSurveyLink(temporary.db, { config, now: at(102) });

    const rounds = await loadSurveyRounds(temporary.db);
    expect(rounds.map(({ round, surveys, sent, total, nps, responseRate }) => ({ round, surveys, sent, total, nps, responseRate }))).toEqual([
      { round: 1, surveys: 3, sent: 3, total: 3, nps: 33.3, responseRate: 100 },
      { round: 2, surveys: 3, sent: 3, total: 2, nps: -50, responseRate: 66.7 },
    ]);
    // Answers given on days 1–81 only (answers come a day after their survey).
    expect(await loadNpsBetween(temporary.db, at(1), at(6.5))).toMatchObject({ total: 2, nps: 100 });
    expect(await loadNpsBetween(temporary.db, at(0), at(200))).toMatchObject({ total: 5, promoters: 2, detractors: 2 });
  });

  it('lists a customer\'s answers, newest first, with the round of each survey', async () => {
    const config = configWith({ surveys: { quietPeriodDays: 0 } });
    const link = await createSurveyLink(temporary.db, { config });
    await recordSurveyAnswer(temporary.db, config, { token: link.token, score: 6, clientAddress: '192.0.2.7' });
    await temporary.db.$client.execute({ sql: "insert into nps_responses (contact_id, score, responded_at, source) values (?, 9, 1000, 'csv')", args: [link.contactId] });
    const history = await loadScoreHistory(temporary.db, link.email.toUpperCase());
    expect(history?.entries.map(({ score, source, round, trigger }) => ({ score, source, round, trigger }))).toEqual([
      { score: 6, source: 'email', round: 1, trigger: 'manual' },
      { score: 9, source: 'csv', round: null, trigger: null },
    ]);
    expect(await loadScoreHistory(temporary.db, 'nobody@example.com')).toBeNull();
  });
});
