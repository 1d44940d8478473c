import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eraseContact } from '../../../src/lib/server/moderate/erasure.ts';
import { createSurveys, findSurveyByToken, selectSurveyRecipients } from '../../../src/lib/server/listen/surveys.ts';
import { runTick } from '../../../src/lib/server/schedule/tick.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';
import { addContacts, configWith, outboxJobContext, outboxMessages, surveyLinksIn } from '../../helpers/surveys.ts';

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
const rows = async (sql: string, args: (string | number)[] = []) => (await temporary.db.$client.execute({ sql, args })).rows.map((row) => ({ ...row }));

describe('the NPS survey email', () => {
  it('asks the question in the contact\'s language with eleven personal one-click links, in HTML and text, and one-click unsubscribe', async () => {
    const config = configWith();
    const [contact] = await addContacts(temporary.db, 1, { locale: 'pl', name: 'Anna Kowalska' });
    const created = await createSurveys(temporary.db, config, { contactIds: [contact!.id], trigger: 'manual', origin: 'test', now: start });
    expect(created).toHaveLength(1);
    const summary = await runTick(outboxJobContext(temporary.db, config, outbox), { now: () => start });
    expect(summary).toMatchObject({ sent: 1, failed: 0 });

    const [message, ...others] = outboxMessages(outbox);
    expect(others).toEqual([]);
    expect(message!.file).toBe(`survey_${created[0]}.eml`);
    expect(message!.subject).toBe('Jak bardzo prawdopodobne jest, że polecisz Acme Support Desk?');
    expect(message!.text).toContain('Dzień dobry, Anna Kowalska!');
    expect(message!.text).toContain('Jak bardzo prawdopodobne jest, że polecisz Acme Support Desk znajomemu lub współpracownikowi?');
    const links = surveyLinksIn(message!.text);
    expect(links.map((link) => link.score)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const token = links[0]!.token;
    expect(links.every((link) => link.token === token && link.url.startsWith('https://reviews.acme.example/s/'))).toBe(true);
    // The HTML part has the same eleven links, as buttons with accessible names.
    for (const link of links) expect(message!.html).toContain(`href="${link.url}"`);
    expect(message!.html).toContain('aria-label="9 na 10"');
    expect(message!.html).toContain('<html lang="pl">');
    expect(message!.headers.get('list-unsubscribe')).toBe(`<https://reviews.acme.example/s/${token}/unsubscribe>`);
    expect(message!.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    // Only the token's hash is stored, and it opens this survey.
    expect(await rows('select count(*) as n from survey_tokens where token_hash = ?', [token])).toEqual([{ n: 0 }]);
    expect(await findSurveyByToken(temporary.db, token)).toMatchObject({ surveyId: created[0], contactId: contact!.id, locale: 'pl', score: null });
    expect(await rows('select idempotency_key, kind, status from email_log')).toEqual([{ idempotency_key: `survey:${created[0]}`, kind: 'survey', status: 'sent' }]);
  });

  it('goes to nobody unsubscribed, erased or surveyed within the quiet period, whatever asks for it', async () => {
    const config = configWith();
    const [stays, unsubscribed, surveyedRecently, surveyedLongAgo, erased] = await addContacts(temporary.db, 5);
    await rows('update contacts set unsubscribed_at = ? where id = ?', [start.getTime() - day, unsubscribed!.id]);
    await createSurveys(temporary.db, config, { contactIds: [surveyedRecently!.id], trigger: 'manual', origin: 'earlier', now: later(-89) });
    await createSurveys(temporary.db, config, { contactIds: [surveyedLongAgo!.id], trigger: 'manual', origin: 'much-earlier', now: later(-91) });

    const recipients = await selectSurveyRecipients(temporary.db, config, { now: start });
    expect(recipients.map((recipient) => recipient.contactId).sort()).toEqual([stays!.id, surveyedLongAgo!.id, erased!.id].sort());
    // Asked by id (as a ticket or the autopilot does), the same rule holds in the insert itself.
    const created = await createSurveys(temporary.db, config, {
      contactIds: [stays!.id, unsubscribed!.id, surveyedRecently!.id, surveyedLongAgo!.id, erased!.id],
      trigger: 'manual',
      origin: 'now',
      now: start,
    });
    expect(created).toHaveLength(3);
    // Erased after the survey was created, before it went out: nothing goes to them.
    await eraseContact(temporary.db, { contactId: erased!.id }, { id: null, label: 'test' }, { uploadDir: join(temporary.directory, 'uploads'), outboxDir: outbox });
    await runTick(outboxJobContext(temporary.db, config, outbox), { now: () => start });
    const recipientsNow = outboxMessages(outbox).map((message) => message.headers.get('to'));
    expect(recipientsNow.sort()).toEqual([stays!.email, surveyedLongAgo!.email].sort());
    expect(await rows("select count(*) as n from scheduled_jobs where done_at is null and due_at <= ?", [start.getTime()])).toEqual([{ n: 0 }]);
    // A second run for the same origin creates nothing new.
    expect(await createSurveys(temporary.db, config, { contactIds: [stays!.id], trigger: 'manual', origin: 'now', now: start })).toEqual([]);
  });

  it('reminds an unanswered survey once, after the configured days, with a new link to the same survey', async () => {
    const config = configWith();
    expect(config.surveys.reminderAfterDays).toBe(3);
    const [answers, ignores, unsubscribes] = await addContacts(temporary.db, 3);
    const ids = await createSurveys(temporary.db, config, { contactIds: [answers!.id, ignores!.id, unsubscribes!.id], trigger: 'manual', origin: 'test', now: start });
    const context = outboxJobContext(temporary.db, config, outbox);
    await runTick(context, { now: () => start });
    expect(outboxMessages(outbox)).toHaveLength(3);
    // Nothing is due before three days.
    expect((await runTick(context, { now: () => later(2.9) })).claimed).toBe(0);

    await rows("insert into nps_responses (contact_id, score, responded_at, source, survey_id) values (?, 9, ?, 'email', ?)", [answers!.id, later(1).getTime(), ids[0]!]);
    await rows('update surveys set answered_at = ? where id = ?', [later(1).getTime(), ids[0]!]);
    await rows('update contacts set unsubscribed_at = ? where id = ?', [later(2).getTime(), unsubscribes!.id]);
    const summary = await runTick(context, { now: () => later(3) });
    expect(summary).toMatchObject({ claimed: 3, sent: 1 });
    const reminders = outboxMessages(outbox).filter((message) => message.file.startsWith('survey-reminder_'));
    expect(reminders.map((message) => message.headers.get('to'))).toEqual([ignores!.email]);
    expect(reminders[0]!.subject).toBe('Reminder: how likely are you to recommend Acme Support Desk?');
    const [firstEmail] = outboxMessages(outbox).filter((message) => message.headers.get('to') === ignores!.email && message.file.startsWith('survey_'));
    const firstToken = surveyLinksIn(firstEmail!.text)[0]!.token;
    const reminderToken = surveyLinksIn(reminders[0]!.text)[0]!.token;
    expect(reminderToken).not.toBe(firstToken);
    expect((await findSurveyByToken(temporary.db, reminderToken))?.surveyId).toBe(ids[1]);
    expect((await findSurveyByToken(temporary.db, firstToken))?.surveyId).toBe(ids[1]);
    expect(await rows('select key, outcome from scheduled_jobs where kind = ? order by key', ['survey.reminder'])).toEqual([
      { key: `survey-reminder:${ids[0]}`, outcome: 'skipped: answered' },
      { key: `survey-reminder:${ids[1]}`, outcome: 'sent' },
      { key: `survey-reminder:${ids[2]}`, outcome: 'skipped: unsubscribed' },
    ]);
    // Never twice.
    expect((await runTick(context, { now: () => later(30) })).claimed).toBe(0);
    expect(await rows("select count(*) as n from email_log where kind = 'survey-reminder'")).toEqual([{ n: 1 }]);
  });
});

describe('clearing the demo', () => {
  it('removes the demo customers\' surveys, links and scheduled work too', async () => {
    const { clearDemo, loadDemo } = await import('../../../src/lib/server/platform/demo.ts');
    const config = configWith();
    await loadDemo(temporary.db, { lifetimeDays: 30, incentive: 'a $10 gift card' });
    const [kept] = await addContacts(temporary.db, 1);
    const everyone = await rows('select id from contacts');
    await createSurveys(temporary.db, config, { contactIds: everyone.map((row) => Number(row.id)), trigger: 'manual', origin: 'demo-test', now: start });
    await runTick(outboxJobContext(temporary.db, config, outbox), { now: () => start });
    await clearDemo(temporary.db, { outboxDir: outbox });
    expect(await rows('select contact_id from surveys')).toEqual([{ contact_id: kept!.id }]);
    expect(await rows('select count(*) as n from survey_tokens')).toEqual([{ n: 1 }]);
    expect(await rows('select distinct contact_id from scheduled_jobs')).toEqual([{ contact_id: kept!.id }]);
  });
});
