import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ticketResolvedSchema } from '../../../src/lib/listen/survey.ts';
import { eraseContact } from '../../../src/lib/server/moderate/erasure.ts';
import { recordSurveyAnswer, saveSurveyReason } from '../../../src/lib/server/listen/survey-answers.ts';
import { scheduleSurveyAfterTicket } from '../../../src/lib/server/listen/survey-triggers.ts';
import { countSurveyRecipients, createSurveys, findSurveyByToken, selectSurveyRecipients } from '../../../src/lib/server/listen/surveys.ts';
import { reviewOfferAfterAnswer, openReviewAfterAnswer } from '../../../src/lib/server/ask/review-follow-up.ts';
import { loadSatisfactionFigures } from '../../../src/lib/server/moderate/satisfaction-figures.ts';
import { loadNpsBetween, loadSurveyRounds } from '../../../src/lib/server/moderate/dashboard.ts';
import { runTick } from '../../../src/lib/server/schedule/tick.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';
import { addContacts, configWith, createSurveyLink, outboxJobContext, outboxMessages, surveyLinksIn } from '../../helpers/surveys.ts';

let temporary: TemporaryDatabase;
let outbox: string;
beforeEach(async () => {
  temporary = await createTemporaryDatabase();
  outbox = join(temporary.directory, 'outbox');
});
afterEach(() => temporary.cleanup());

const day = 24 * 60 * 60 * 1000;
const start = new Date('2026-12-01T09:00:00Z');
const later = (days: number) => new Date(start.getTime() + days * day);
const parseTicketEvent = (payload: unknown) => ticketResolvedSchema.parse(payload);
const rows = async (sql: string, args: (string | number)[] = []) => (await temporary.db.$client.execute({ sql, args })).rows.map((row) => ({ ...row }));

/** What each language's email must say: its subject, question and scale ends, with the built-in subject and task. */
const expected = {
  csat: {
    en: { subject: 'Acme Support Desk: how satisfied were you with our support?', question: 'How satisfied were you with our support?', low: '1 = very unsatisfied', high: '5 = very satisfied', label: '4 out of 5' },
    pl: { subject: 'Acme Support Desk: jak oceniasz swoje zadowolenie z naszej obsługi klienta?', question: 'Jak oceniasz swoje zadowolenie z naszej obsługi klienta?', low: '1 = bardzo niezadowolony/-a', high: '5 = bardzo zadowolony/-a', label: '4 na 5' },
    ru: { subject: 'Acme Support Desk: насколько вы довольны нашей поддержкой?', question: 'Насколько вы довольны нашей поддержкой?', low: '1 = очень недовольны', high: '5 = очень довольны', label: '4 из 5' },
    uk: { subject: 'Acme Support Desk: наскільки ви задоволені нашою підтримкою?', question: 'Наскільки ви задоволені нашою підтримкою?', low: '1 = дуже незадоволені', high: '5 = дуже задоволені', label: '4 з 5' },
    lv: { subject: 'Acme Support Desk: cik lielā mērā jūs apmierināja mūsu atbalsts?', question: 'Cik lielā mērā jūs apmierināja mūsu atbalsts?', low: '1 = ļoti neapmierināja', high: '5 = ļoti apmierināja', label: '4 no 5' },
    bg: { subject: 'Acme Support Desk: доколко сте доволни от нашата поддръжка?', question: 'Доколко сте доволни от нашата поддръжка?', low: '1 = много недоволни', high: '5 = много доволни', label: '4 от 5' },
  },
  ces: {
    en: { subject: 'Acme Support Desk: how easy was it to get your issue solved?', question: 'How easy was it to get your issue solved?', low: '1 = very difficult', high: '7 = very easy', label: '4 out of 7' },
    pl: { subject: 'Acme Support Desk: jak łatwo było rozwiązać Twój problem?', question: 'Jak łatwo było rozwiązać Twój problem?', low: '1 = bardzo trudno', high: '7 = bardzo łatwo', label: '4 na 7' },
    ru: { subject: 'Acme Support Desk: насколько легко было решить ваш вопрос?', question: 'Насколько легко было решить ваш вопрос?', low: '1 = очень трудно', high: '7 = очень легко', label: '4 из 7' },
    uk: { subject: 'Acme Support Desk: наскільки легко було розв’язати ваше питання?', question: 'Наскільки легко було розв’язати ваше питання?', low: '1 = дуже важко', high: '7 = дуже легко', label: '4 з 7' },
    lv: { subject: 'Acme Support Desk: cik viegli bija atrisināt jūsu jautājumu?', question: 'Cik viegli bija atrisināt jūsu jautājumu?', low: '1 = ļoti grūti', high: '7 = ļoti viegli', label: '4 no 7' },
    bg: { subject: 'Acme Support Desk: колко лесно беше да решите проблема си?', question: 'Колко лесно беше да решите проблема си?', low: '1 = много трудно', high: '7 = много лесно', label: '4 от 7' },
  },
} as const;

const cases = (['csat', 'ces'] as const).flatMap((kind) => (['en', 'pl', 'ru', 'uk', 'lv', 'bg'] as const).map((locale) => [kind, locale] as const));

describe('the CSAT and CES survey emails', () => {
  it.each(cases)('%s in %s: the question, one one-click link per score in HTML and text, and one-click unsubscribe', async (kind, locale) => {
    const config = configWith();
    const [contact] = await addContacts(temporary.db, 1, { locale });
    const [surveyId] = await createSurveys(temporary.db, config, { contactIds: [contact!.id], trigger: 'manual', origin: 'test', now: start, kind });
    expect(await runTick(outboxJobContext(temporary.db, config, outbox), { now: () => start })).toMatchObject({ sent: 1, failed: 0 });

    const [message, ...others] = outboxMessages(outbox);
    expect(others).toEqual([]);
    const want = expected[kind][locale];
    expect(message!.subject).toBe(want.subject);
    expect(message!.text).toContain(want.question);
    expect(message!.text).toContain(`${want.low}, ${want.high}`);
    const links = surveyLinksIn(message!.text);
    expect(links.map((link) => link.score)).toEqual(kind === 'csat' ? [1, 2, 3, 4, 5] : [1, 2, 3, 4, 5, 6, 7]);
    for (const link of links) expect(message!.html).toContain(`href="${link.url}"`);
    expect(message!.html).toContain(`aria-label="${want.label}"`);
    expect(message!.html).toContain(`<html lang="${locale}">`);
    expect(message!.html).not.toContain('/0"');
    expect(message!.headers.get('list-unsubscribe')).toBe(`<https://reviews.acme.example/s/${links[0]!.token}/unsubscribe>`);
    expect(message!.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(await findSurveyByToken(temporary.db, links[0]!.token)).toMatchObject({ surveyId, kind, score: null });
    expect(await rows('select kind from surveys where id = ?', [surveyId!])).toEqual([{ kind }]);
  });

  it('fills the configured CSAT subject and CES task, in the contact\'s language when translated', async () => {
    const config = configWith({
      surveys: { csat: { subject: { text: 'the onboarding call', translations: { pl: 'rozmowy wdrożeniowej' } } }, ces: { task: { text: 'set up your account' } } },
    });
    const [english, polish] = await addContacts(temporary.db, 2);
    await rows("update contacts set locale = 'pl' where id = ?", [polish!.id]);
    await createSurveys(temporary.db, config, { contactIds: [english!.id, polish!.id], trigger: 'manual', origin: 'csat', now: start, kind: 'csat' });
    await createSurveys(temporary.db, config, { contactIds: [english!.id], trigger: 'manual', origin: 'ces', now: start, kind: 'ces' });
    await runTick(outboxJobContext(temporary.db, config, outbox), { now: () => start });
    const subjects = outboxMessages(outbox).map((message) => message.subject).sort();
    expect(subjects).toEqual([
      'Acme Support Desk: how easy was it to set up your account?',
      'Acme Support Desk: how satisfied were you with the onboarding call?',
      'Acme Support Desk: jak oceniasz swoje zadowolenie z rozmowy wdrożeniowej?',
    ]);
  });

  it('keeps its built-in texts when the NPS email has the business\'s own wording (emails.survey)', async () => {
    const config = configWith({ emails: { survey: { en: { subject: 'Two minutes for {business}?', body: '{greeting}\n\nWould you recommend us?' } } } });
    const [nps, csat] = await addContacts(temporary.db, 2);
    await createSurveys(temporary.db, config, { contactIds: [nps!.id], trigger: 'manual', origin: 'nps', now: start });
    await createSurveys(temporary.db, config, { contactIds: [csat!.id], trigger: 'manual', origin: 'csat', now: start, kind: 'csat' });
    await runTick(outboxJobContext(temporary.db, config, outbox), { now: () => start });
    const subjectTo = (email: string) => outboxMessages(outbox).find((message) => message.headers.get('to') === email)?.subject;
    expect(subjectTo(nps!.email)).toBe('Two minutes for Acme Support Desk?');
    expect(subjectTo(csat!.email)).toBe('Acme Support Desk: how satisfied were you with our support?');
  });

  it('sends the reminder of an unanswered CSAT survey with the CSAT question', async () => {
    const config = configWith();
    const [contact] = await addContacts(temporary.db, 1);
    await createSurveys(temporary.db, config, { contactIds: [contact!.id], trigger: 'manual', origin: 'test', now: start, kind: 'csat' });
    const context = outboxJobContext(temporary.db, config, outbox);
    await runTick(context, { now: () => start });
    await runTick(context, { now: () => later(3) });
    const reminder = outboxMessages(outbox).find((message) => message.file.startsWith('survey-reminder_'));
    expect(reminder?.subject).toBe('Reminder: how satisfied were you with our support?');
    expect(surveyLinksIn(reminder!.text).map((link) => link.score)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('the quiet period, per kind', () => {
  it('does not hold a CSAT back for last month\'s NPS survey, but does for last month\'s CSAT', async () => {
    const config = configWith();
    const [hadNps, hadCsat, hadNothing] = await addContacts(temporary.db, 3);
    await createSurveys(temporary.db, config, { contactIds: [hadNps!.id], trigger: 'manual', origin: 'nps-earlier', now: later(-30) });
    await createSurveys(temporary.db, config, { contactIds: [hadCsat!.id], trigger: 'manual', origin: 'csat-earlier', now: later(-30), kind: 'csat' });

    const ids = (recipients: { contactId: number }[]) => recipients.map((recipient) => recipient.contactId).sort();
    expect(ids(await selectSurveyRecipients(temporary.db, config, { now: start, kind: 'csat' }))).toEqual([hadNps!.id, hadNothing!.id].sort());
    expect(ids(await selectSurveyRecipients(temporary.db, config, { now: start, kind: 'nps' }))).toEqual([hadCsat!.id, hadNothing!.id].sort());
    expect(ids(await selectSurveyRecipients(temporary.db, config, { now: start, kind: 'ces' }))).toEqual([hadNps!.id, hadCsat!.id, hadNothing!.id].sort());
    expect(await countSurveyRecipients(temporary.db, config, start, 'csat')).toBe(2);
    // The insert checks the same rule: asked for everyone, the CSAT goes to two.
    const created = await createSurveys(temporary.db, config, { contactIds: [hadNps!.id, hadCsat!.id, hadNothing!.id], trigger: 'manual', origin: 'now', now: start, kind: 'csat' });
    expect(created).toHaveLength(2);
    // CSAT rounds are counted apart from NPS rounds, and NPS rounds count NPS surveys only.
    expect(await rows("select kind, round from surveys where origin = 'now'")).toEqual([{ kind: 'csat', round: 1 }, { kind: 'csat', round: 1 }]);
    expect((await loadSurveyRounds(temporary.db)).map((round) => round.surveys)).toEqual([1]);
  });
});

describe('a resolved ticket, by kind', () => {
  it('asks the config\'s kind for tickets (surveys.afterTicketKind), or the event\'s own kind, past an NPS survey', async () => {
    const config = configWith({ surveys: { afterTicketKind: 'csat', afterTicketResolvedHours: 0 } });
    const [contact] = await addContacts(temporary.db, 1, { prefix: 'ticket-kinds' });
    // Surveyed with NPS a week ago: a CSAT after a ticket still goes out.
    await createSurveys(temporary.db, config, { contactIds: [contact!.id], trigger: 'manual', origin: 'nps', now: later(-7) });
    // Sent back then.
    await rows('update surveys set sent_at = created_at');
    await rows("update scheduled_jobs set done_at = 1, outcome = 'sent'");
    const csat = await scheduleSurveyAfterTicket(temporary.db, config, parseTicketEvent({ email: contact!.email, ticket_id: 'T-1' }), start);
    expect(csat).toMatchObject({ kind: 'scheduled', surveyKind: 'csat' });
    const ces = await scheduleSurveyAfterTicket(temporary.db, config, parseTicketEvent({ email: contact!.email, ticket_id: 'T-2', kind: 'CES' }), start);
    expect(ces).toMatchObject({ kind: 'scheduled', surveyKind: 'ces' });
    await runTick(outboxJobContext(temporary.db, config, outbox), { now: () => start });
    expect(await rows("select ticket_id, kind, trigger from surveys where trigger = 'ticket' order by ticket_id")).toEqual([
      { ticket_id: 'T-1', kind: 'csat', trigger: 'ticket' },
      { ticket_id: 'T-2', kind: 'ces', trigger: 'ticket' },
    ]);
    const subjects = outboxMessages(outbox).map((message) => message.subject).sort();
    expect(subjects).toEqual(['Acme Support Desk: how easy was it to get your issue solved?', 'Acme Support Desk: how satisfied were you with our support?']);
    // A second CSAT ticket inside the quiet period of the first CSAT is not surveyed.
    expect(await scheduleSurveyAfterTicket(temporary.db, config, parseTicketEvent({ email: contact!.email, ticket_id: 'T-3' }), later(1))).toEqual({ kind: 'quiet-period' });
  });

  it('refuses an unknown kind in the event with a clear message', () => {
    expect(() => parseTicketEvent({ email: 'a@example.com', ticket_id: '1', kind: 'stars' })).toThrow('kind must be nps, csat or ces');
  });
});

describe('CSAT and CES answers', () => {
  it('are stored apart from NPS, refused off their scale, and never ask for a review', async () => {
    const config = configWith({ invite: { audience: 'all', afterAnswerDays: 1 } });
    const csat = await createSurveyLink(temporary.db, { config, kind: 'csat' });
    const ces = await createSurveyLink(temporary.db, { config, kind: 'ces' });
    const answer = (token: string, score: number) => recordSurveyAnswer(temporary.db, config, { token, score, clientAddress: '192.0.2.9' });

    // Off the scale: nothing stored.
    for (const score of [0, 6, 9, 10]) expect(await answer(csat.token, score)).toEqual({ kind: 'out-of-range', surveyKind: 'csat', min: 1, max: 5 });
    for (const score of [0, 8, 10]) expect(await answer(ces.token, score)).toEqual({ kind: 'out-of-range', surveyKind: 'ces', min: 1, max: 7 });
    expect(await rows('select count(*) as n from survey_ratings')).toEqual([{ n: 0 }]);
    // Each still counts against the sender's address, like any post.
    expect(await rows("select count from rate_limits where key like 'survey-answer:ip:%'")).toEqual([{ count: 7 }]);

    expect(await answer(csat.token, 5)).toMatchObject({ kind: 'recorded', score: 5 });
    expect(await answer(ces.token, 7)).toMatchObject({ kind: 'recorded', score: 7 });
    expect(await saveSurveyReason(temporary.db, { token: csat.token, reason: 'Quick and kind.', clientAddress: '192.0.2.9' })).toMatchObject({ kind: 'recorded' });
    expect(await rows('select survey_id, kind, score, comment from survey_ratings order by id')).toEqual([
      { survey_id: csat.surveyId, kind: 'csat', score: 5, comment: 'Quick and kind.' },
      { survey_id: ces.surveyId, kind: 'ces', score: 7, comment: null },
    ]);
    // No NPS answer, no NPS figure, no review invitation, no review offer, even with the audience "all".
    expect(await rows('select count(*) as n from nps_responses')).toEqual([{ n: 0 }]);
    expect((await loadNpsBetween(temporary.db, new Date(0), later(1000))).total).toBe(0);
    expect(await rows("select count(*) as n from scheduled_jobs where kind = 'review.invitation'")).toEqual([{ n: 0 }]);
    for (const link of [csat, ces]) {
      const survey = (await findSurveyByToken(temporary.db, link.token))!;
      expect(survey).toMatchObject({ score: link === csat ? 5 : 7, reviewAudience: null });
      expect(survey.answeredAt).not.toBeNull();
      expect(await reviewOfferAfterAnswer(temporary.db, survey, link.token)).toEqual({ kind: 'none' });
      expect(await openReviewAfterAnswer(temporary.db, config, survey, link.token)).toEqual({ kind: 'unavailable' });
    }
    expect(await rows('select count(*) as n from review_requests')).toEqual([{ n: 0 }]);
    // While an NPS answer of 9 under the same config is offered the review (the rule above is about the kind).
    const nps = await createSurveyLink(temporary.db, { config });
    expect(await answer(nps.token, 9)).toMatchObject({ kind: 'recorded' });
    expect(await reviewOfferAfterAnswer(temporary.db, (await findSurveyByToken(temporary.db, nps.token))!, nps.token)).toEqual({ kind: 'offer' });
  });

  it('are erased with the customer', async () => {
    const config = configWith();
    const link = await createSurveyLink(temporary.db, { config, kind: 'csat' });
    await recordSurveyAnswer(temporary.db, config, { token: link.token, score: 2, clientAddress: '192.0.2.9' });
    await saveSurveyReason(temporary.db, { token: link.token, reason: 'Jane from Berlin waited a week.', clientAddress: '192.0.2.9' });
    await eraseContact(temporary.db, { contactId: link.contactId }, { id: null, label: 'test' }, { uploadDir: join(temporary.directory, 'uploads'), outboxDir: outbox });
    expect(await rows('select count(*) as n from survey_ratings')).toEqual([{ n: 0 }]);
  });
});

describe('CSAT and CES on the dashboard', () => {
  it('gives CSAT as the share of 4–5 answers and CES as the average, per month and for a date range', async () => {
    const config = configWith({ surveys: { quietPeriodDays: 0 } });
    const answer = async (kind: 'csat' | 'ces', score: number, at: string) => {
      const link = await createSurveyLink(temporary.db, { config, kind, now: new Date(Date.parse(at) - day) });
      await rows('update surveys set expires_at = ? where id = ?', [Date.parse(at) + 30 * day, link.surveyId]);
      expect(await recordSurveyAnswer(temporary.db, config, { token: link.token, score, clientAddress: '192.0.2.9', now: new Date(at) })).toMatchObject({ kind: 'recorded' });
    };
    // January CSAT: 5, 4, 2, 1 → 2 of 4 satisfied = 50 %. March CSAT: 4, 4, 3 → 2 of 3 = 66.7 %.
    // Overall: 4 of 7 = 57.1 %. January CES: 7, 5 → 6. March CES: 2 → 2. Overall: 14 / 3 = 4.67.
    for (const score of [5, 4, 2, 1]) await answer('csat', score, '2026-01-15T12:00:00Z');
    for (const score of [4, 4, 3]) await answer('csat', score, '2026-03-02T12:00:00Z');
    await answer('ces', 7, '2026-01-20T12:00:00Z');
    await answer('ces', 5, '2026-01-21T12:00:00Z');
    await answer('ces', 2, '2026-03-03T12:00:00Z');
    // An NPS answer of 10 counts in neither.
    const nps = await createSurveyLink(temporary.db, { config, now: new Date('2026-01-10T00:00:00Z') });
    await rows('update surveys set expires_at = ? where id = ?', [Date.parse('2026-12-31T00:00:00Z'), nps.surveyId]);
    await recordSurveyAnswer(temporary.db, config, { token: nps.token, score: 10, clientAddress: '192.0.2.9', now: new Date('2026-01-11T00:00:00Z') });

    const all = await loadSatisfactionFigures(temporary.db);
    expect(all.csat).toMatchObject({ total: 7, satisfied: 4, csat: 57.1 });
    expect(all.csat.monthly).toEqual([
      { month: '2026-01', total: 4, satisfied: 2, csat: 50 },
      { month: '2026-03', total: 3, satisfied: 2, csat: 66.7 },
    ]);
    expect(all.ces.total).toBe(3);
    expect(all.ces.ces).toBeCloseTo(14 / 3, 10);
    expect(all.ces.monthly).toEqual([
      { month: '2026-01', total: 2, ces: 6 },
      { month: '2026-03', total: 1, ces: 2 },
    ]);

    const march = await loadSatisfactionFigures(temporary.db, { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z') });
    expect(march.csat).toMatchObject({ total: 3, satisfied: 2, csat: 66.7 });
    expect(march.ces).toMatchObject({ total: 1, ces: 2 });
    const empty = await loadSatisfactionFigures(temporary.db, { from: new Date('2026-05-01T00:00:00Z'), to: new Date('2026-06-01T00:00:00Z') });
    expect(empty).toEqual({ csat: { total: 0, satisfied: 0, csat: null, monthly: [] }, ces: { total: 0, ces: null, monthly: [] } });

    // Like every dashboard figure, they follow the segment and language filter: the March CSAT surveys were for segment "EU".
    await rows("update surveys set segment = 'EU' where id in (select survey_id from survey_ratings where kind = 'csat' and responded_at >= ?)", [Date.parse('2026-03-01T00:00:00Z')]);
    const eu = await loadSatisfactionFigures(temporary.db, { segment: 'EU' });
    expect(eu.csat).toMatchObject({ total: 3, satisfied: 2, csat: 66.7 });
    expect(eu.ces.total).toBe(0);
    const locale = String((await rows('select locale from surveys limit 1'))[0]!.locale);
    expect((await loadSatisfactionFigures(temporary.db, { locale })).csat.total).toBe(7);
    expect((await loadSatisfactionFigures(temporary.db, { locale: locale === 'pl' ? 'lv' : 'pl' })).csat.total).toBe(0);
  });
});
