import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openReviewAfterAnswer, reviewOfferAfterAnswer, reviewTokenForSurvey } from '../../../src/lib/server/ask/review-follow-up.ts';
import { selectInvitationCandidates } from '../../../src/lib/server/ask/invitations.ts';
import { findReviewRequestByToken, submitReview } from '../../../src/lib/server/collect/review-submissions.ts';
import { reviewSubmissionSchema } from '../../../src/lib/collect/review-submission.ts';
import { recordSurveyAnswer } from '../../../src/lib/server/listen/survey-answers.ts';
import { findSurveyByToken } from '../../../src/lib/server/listen/surveys.ts';
import { runTick } from '../../../src/lib/server/schedule/tick.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';
import { configWith, createSurveyLink, outboxJobContext, outboxMessages } from '../../helpers/surveys.ts';

let temporary: TemporaryDatabase;
let outbox: string;
beforeEach(async () => {
  temporary = await createTemporaryDatabase();
  outbox = join(temporary.directory, 'outbox');
});
afterEach(() => temporary.cleanup());

const day = 24 * 60 * 60 * 1000;
const start = new Date();
const later = (days: number) => new Date(start.getTime() + days * day);
const query = async (sql: string, args: (string | number)[] = []) => (await temporary.db.$client.execute({ sql, args })).rows.map((row) => ({ ...row }));
const reviewLinkIn = (text: string) => text.match(/https:\/\/reviews\.acme\.example\/r\/([a-z2-7]{32})(?![a-z2-7/])/)?.[1];

describe('from a survey answer to a review', () => {
  it('a promoter who leaves without writing gets the invitation a day later, then one reminder, each once', async () => {
    const config = configWith();
    const link = await createSurveyLink(temporary.db, { config, now: start, locale: 'pl' });
    expect(await recordSurveyAnswer(temporary.db, config, { token: link.token, score: 10, clientAddress: '192.0.2.1', now: start })).toMatchObject({ kind: 'recorded' });
    const context = outboxJobContext(temporary.db, config, outbox);
    // Nothing before the day is over: no invitation, and npm run invite leaves them to the schedule.
    expect((await runTick(context, { now: () => later(0.9) })).claimed).toBe(0);
    expect(await selectInvitationCandidates(temporary.db, { audience: 'promoters', enabledLocales: config.locales.enabled, defaultLocale: 'en' })).toEqual([]);

    await runTick(context, { now: () => later(1) });
    const invitation = outboxMessages(outbox).find((message) => message.file.startsWith('invite_'));
    expect(invitation?.headers.get('to')).toBe(link.email);
    expect(invitation!.subject).toBe('Podzielisz się opinią o Acme Support Desk?');
    const invitationToken = reviewLinkIn(invitation!.text)!;
    expect(await findReviewRequestByToken(temporary.db, invitationToken)).not.toBeNull();
    expect(await query('select response_id is not null as linked, sent_at is not null as sent from review_requests where contact_id = ?', [link.contactId])).toEqual([{ linked: 1, sent: 1 }]);

    // Five days after the invitation, one reminder repeating the incentive words; never a second.
    expect((await runTick(context, { now: () => later(5.9) })).sent).toBe(0);
    expect((await runTick(context, { now: () => later(6) })).sent).toBe(1);
    expect((await runTick(context, { now: () => later(20) })).sent).toBe(0);
    const reminders = outboxMessages(outbox).filter((message) => message.file.startsWith('invite-reminder_'));
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.subject).toBe('Przypomnienie: podzielisz się opinią o Acme Support Desk?');
    expect(reminders[0]!.text).toContain('kartę podarunkową o wartości 10 USD');
    expect(reminders[0]!.text).toContain('niezależnie od tego, co w niej napiszesz');
    expect(reminders[0]!.headers.get('list-unsubscribe')).toMatch(/\/r\/[a-z2-7]{32}\/unsubscribe>$/);
    // Both links work: the invitation's and the reminder's.
    expect(await findReviewRequestByToken(temporary.db, reviewLinkIn(reminders[0]!.text)!)).not.toBeNull();
    expect(await findReviewRequestByToken(temporary.db, invitationToken)).not.toBeNull();
    expect(await query("select kind, count(*) as n from email_log group by kind order by kind")).toEqual([
      { kind: 'invite', n: 1 },
      { kind: 'invite-reminder', n: 1 },
    ]);
  });

  it('the reminder names what the invitation promised, even after the business changed its incentive', async () => {
    const config = configWith();
    const link = await createSurveyLink(temporary.db, { config, now: start, locale: 'pl' });
    await recordSurveyAnswer(temporary.db, config, { token: link.token, score: 9, clientAddress: '192.0.2.1', now: start });
    await runTick(outboxJobContext(temporary.db, config, outbox), { now: () => later(1) });
    const changed = configWith({ incentive: { text: 'a mug', translations: { pl: 'kubek' } } });
    expect((await runTick(outboxJobContext(temporary.db, changed, outbox), { now: () => later(6) })).sent).toBe(1);
    const [reminder] = outboxMessages(outbox).filter((message) => message.file.startsWith('invite-reminder_'));
    expect(reminder!.text).toContain('kartę podarunkową o wartości 10 USD');
    expect(reminder!.text).not.toContain('kubek');
  });

  it('a promoter who writes the review from the thank-you page gets no invitation email and no reminder: never both', async () => {
    const config = configWith();
    const link = await createSurveyLink(temporary.db, { config, now: start });
    await recordSurveyAnswer(temporary.db, config, { token: link.token, score: 9, clientAddress: '192.0.2.1', now: start });
    const survey = (await findSurveyByToken(temporary.db, link.token))!;
    expect(await reviewOfferAfterAnswer(temporary.db, survey, link.token, start)).toEqual({ kind: 'offer' });
    const opened = await openReviewAfterAnswer(temporary.db, config, survey, link.token, start);
    expect(opened).toEqual({ kind: 'open', token: reviewTokenForSurvey(link.token) });
    // Opening it again (a second click, a reload) finds the same form.
    expect(await openReviewAfterAnswer(temporary.db, config, survey, link.token, start)).toEqual(opened);
    if (opened.kind !== 'open') throw new Error('not opened');
    const submitted = await submitReview(
      temporary.db,
      reviewSubmissionSchema.parse({ token: opened.token, lang: 'en', rating: 5, body: 'Quick answers and a friendly team, every single time.', nameDisplay: 'first_initial', consent: true }),
      { locale: 'en', clientAddress: '192.0.2.1', uploadDir: join(temporary.directory, 'uploads'), now: start },
    );
    expect(submitted).toMatchObject({ kind: 'saved', created: true });
    // The incentive depends on the review alone, as for any other.
    expect(await query('select count(*) as n from incentives where contact_id = ?', [link.contactId])).toEqual([{ n: 1 }]);

    const context = outboxJobContext(temporary.db, config, outbox);
    await runTick(context, { now: () => later(1) });
    await runTick(context, { now: () => later(10) });
    expect(outboxMessages(outbox).filter((message) => message.file.startsWith('invite'))).toEqual([]);
    expect(await query('select outcome from scheduled_jobs where key = ?', [`review-invitation:${link.surveyId}`])).toEqual([{ outcome: 'skipped: the review was written' }]);
  });

  it('a promoter who opened the form but left gets the invitation, and the link they opened keeps working', async () => {
    const config = configWith();
    const link = await createSurveyLink(temporary.db, { config, now: start });
    await recordSurveyAnswer(temporary.db, config, { token: link.token, score: 9, clientAddress: '192.0.2.1', now: start });
    const opened = await openReviewAfterAnswer(temporary.db, config, (await findSurveyByToken(temporary.db, link.token))!, link.token, start);
    if (opened.kind !== 'open') throw new Error('not opened');
    await runTick(outboxJobContext(temporary.db, config, outbox), { now: () => later(1) });
    const invitation = outboxMessages(outbox).find((message) => message.file.startsWith('invite_'))!;
    const emailed = reviewLinkIn(invitation.text)!;
    expect(emailed).not.toBe(opened.token);
    const [fromEmail, fromPage] = [await findReviewRequestByToken(temporary.db, emailed), await findReviewRequestByToken(temporary.db, opened.token)];
    expect(fromEmail?.requestId).toBe(fromPage?.requestId);
  });

  it('sends nothing when the answer changed out of the audience, or the customer unsubscribed', async () => {
    const config = configWith();
    const changed = await createSurveyLink(temporary.db, { config, now: start });
    const unsubscribed = await createSurveyLink(temporary.db, { config, now: start });
    for (const link of [changed, unsubscribed]) await recordSurveyAnswer(temporary.db, config, { token: link.token, score: 10, clientAddress: '192.0.2.1', now: start });
    await recordSurveyAnswer(temporary.db, config, { token: changed.token, score: 4, clientAddress: '192.0.2.1', now: later(0.5) });
    await query('update contacts set unsubscribed_at = ? where id = ?', [later(0.5).getTime(), unsubscribed.contactId]);
    await runTick(outboxJobContext(temporary.db, config, outbox), { now: () => later(2) });
    expect(outboxMessages(outbox)).toEqual([]);
    expect(await query("select outcome from scheduled_jobs where kind = 'review.invitation' order by id")).toEqual([
      { outcome: 'skipped: the answer changed and is no longer in the invite audience' },
      { outcome: 'skipped: unsubscribed' },
    ]);
  });

  it('asks everyone who answers when invite.audience is all, and offers nothing under promoters to a 6', async () => {
    const all = configWith({ invite: { audience: 'all' } });
    const link = await createSurveyLink(temporary.db, { config: all, now: start });
    await recordSurveyAnswer(temporary.db, all, { token: link.token, score: 3, clientAddress: '192.0.2.1', now: start });
    expect(await query('select review_audience from surveys where id = ?', [link.surveyId])).toEqual([{ review_audience: 'all' }]);
    expect(await reviewOfferAfterAnswer(temporary.db, (await findSurveyByToken(temporary.db, link.token))!, link.token, start)).toEqual({ kind: 'offer' });

    const promoters = configWith();
    const other = await createSurveyLink(temporary.db, { config: promoters, now: start });
    await recordSurveyAnswer(temporary.db, promoters, { token: other.token, score: 6, clientAddress: '192.0.2.1', now: start });
    const survey = (await findSurveyByToken(temporary.db, other.token))!;
    expect(await reviewOfferAfterAnswer(temporary.db, survey, other.token, start)).toEqual({ kind: 'none' });
    expect(await openReviewAfterAnswer(temporary.db, promoters, survey, other.token, start)).toEqual({ kind: 'unavailable' });
    expect(await query('select count(*) as n from scheduled_jobs where key = ?', [`review-invitation:${other.surveyId}`])).toEqual([{ n: 0 }]);
  });
});
