import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSurveys } from '../../../src/lib/server/listen/surveys.ts';
import { scheduleSurveyAfterTicket } from '../../../src/lib/server/listen/survey-triggers.ts';
import { loadSurveyRounds } from '../../../src/lib/server/moderate/dashboard.ts';
import { runTick } from '../../../src/lib/server/schedule/tick.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';
import { addContacts, configWith, outboxJobContext } from '../../helpers/surveys.ts';

let temporary: TemporaryDatabase;
beforeEach(async () => {
  temporary = await createTemporaryDatabase();
});
afterEach(() => temporary.cleanup());

const day = 24 * 60 * 60 * 1000;
const start = new Date('2026-12-01T06:00:00Z');
const later = (days: number) => new Date(start.getTime() + days * day);

describe('the survey autopilot', () => {
  it('surveys everyone again on its rhythm, in rounds, and never inside the quiet period whatever else surveys them', async () => {
    const config = configWith({ surveys: { quietPeriodDays: 60, autopilot: { everyDays: 90 } } });
    const [fresh, surveyedLately, surveyedLongAgo, ticketed] = await addContacts(temporary.db, 4);
    await createSurveys(temporary.db, config, { contactIds: [surveyedLately!.id], trigger: 'manual', origin: 'before', now: later(-30) });
    await createSurveys(temporary.db, config, { contactIds: [surveyedLongAgo!.id], trigger: 'manual', origin: 'long-before', now: later(-100) });
    const context = outboxJobContext(temporary.db, config, join(temporary.directory, 'outbox'));

    // A tick every six hours for 200 days; tickets come in now and then.
    for (let hour = 0; hour <= 200 * 24; hour += 6) {
      const now = new Date(start.getTime() + hour * 60 * 60 * 1000);
      if (hour % (7 * 24) === 0) {
        await scheduleSurveyAfterTicket(temporary.db, config, { email: ticketed!.email, ticket_id: `T-${hour}`, resolved_at: now.toISOString() }, now);
      }
      await runTick(context, { now: () => now });
    }

    const { rows } = await temporary.db.$client.execute('select contact_id, trigger, created_at, sent_at from surveys order by contact_id, created_at');
    const byContact = new Map<number, { trigger: string; at: number; sent: boolean }[]>();
    for (const row of rows) byContact.set(Number(row.contact_id), [...(byContact.get(Number(row.contact_id)) ?? []), { trigger: String(row.trigger), at: Number(row.created_at), sent: row.sent_at !== null }]);
    const days = (contactId: number) => byContact.get(contactId)!.map((survey) => Math.round((survey.at - start.getTime()) / day));

    // The first autopilot run surveys whoever is due; then each contact every 90 days (to the day).
    expect(days(fresh!.id)).toEqual([0, 90, 180]);
    expect(days(surveyedLately!.id)).toEqual([-30, 60, 150]);
    expect(days(surveyedLongAgo!.id)).toEqual([-100, 0, 90, 180]);
    // Tickets every week: surveyed a day later, then never again within the quiet period.
    const ticketed_ = byContact.get(ticketed!.id)!;
    for (const [index, survey] of ticketed_.entries()) {
      if (index > 0) expect(survey.at - ticketed_[index - 1]!.at).toBeGreaterThanOrEqual(60 * day);
    }
    expect(ticketed_.map((survey) => survey.trigger)).toContain('ticket');
    // Nobody, by any trigger, twice within the quiet period; every survey since the start went out.
    for (const surveys of byContact.values()) {
      for (let index = 1; index < surveys.length; index++) expect(surveys[index]!.at - surveys[index - 1]!.at).toBeGreaterThanOrEqual(60 * day);
      expect(surveys.filter((survey) => survey.at >= start.getTime() && !survey.sent)).toEqual([]);
    }
    // Rounds of 90 days, each starting with the first survey after the last one ended.
    const rounds = await loadSurveyRounds(temporary.db);
    expect(rounds.map((round) => Math.round((round.startedAt.getTime() - start.getTime()) / day))).toEqual([-100, 0, 90, 180]);
    expect(rounds.map((round) => round.round)).toEqual([1, 2, 3, 4]);
  });

  it('does nothing while it is off', async () => {
    const config = configWith();
    expect(config.surveys.autopilot).toBeUndefined();
    await addContacts(temporary.db, 3);
    const summary = await runTick(outboxJobContext(temporary.db, config, join(temporary.directory, 'outbox')), { now: () => start });
    expect(summary.claimed).toBe(0);
    expect((await temporary.db.$client.execute('select count(*) as n from surveys')).rows[0]!.n).toBe(0);
  });
});
