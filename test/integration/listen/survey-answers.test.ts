import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../db/client.ts';
import { startApp, type RunningApp } from '../../helpers/app.ts';
import { createSurveyLink } from '../../helpers/surveys.ts';

describe('the survey answer pages at /s/TOKEN/SCORE', () => {
  let app: RunningApp;
  let db: Database;
  const query = async (sql: string, args: (string | number)[] = []) => (await db.$client.execute({ sql, args })).rows.map((row) => ({ ...row }));
  const post = (path: string, body = '', headers: Record<string, string> = {}) =>
    fetch(`${app.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: app.url, ...headers },
      body,
    });

  beforeAll(async () => {
    app = await startApp({ args: ['--no-demo', '--no-tick'] });
    db = await openDatabase({ url: app.env.DATABASE_URL! });
  });
  afterAll(async () => {
    db?.$client.close();
    await app?.stop();
  });

  it('records nothing when every link of the email is fetched (mail scanners prefetch them)', async () => {
    const link = await createSurveyLink(db, { locale: 'pl' });
    const jobsBefore = await query('select count(*) as n from scheduled_jobs');
    for (let score = 0; score <= 10; score++) {
      for (const method of ['GET', 'HEAD']) {
        const response = await fetch(`${app.url}/s/${link.token}/${score}`, { method, redirect: 'manual' });
        expect(response.status, `${method} ${score}`).toBe(200);
        if (method === 'GET') expect(await response.text()).toContain(`Wybrano ${score} na 10.`);
      }
    }
    for (const path of [`/s/${link.token}`, `/s/${link.token}/unsubscribe`]) expect((await fetch(`${app.url}${path}`)).status).toBe(200);
    expect(await query('select count(*) as n from nps_responses')).toEqual([{ n: 0 }]);
    expect(await query('select answered_at from surveys where id = ?', [link.surveyId])).toEqual([{ answered_at: null }]);
    expect(await query('select unsubscribed_at from contacts where id = ?', [link.contactId])).toEqual([{ unsubscribed_at: null }]);
    expect(await query('select count(*) as n from scheduled_jobs')).toEqual(jobsBefore);
    expect(await query('select count(*) as n from review_requests')).toEqual([{ n: 0 }]);
  });

  it('records the score on Send, shows the thank-you page, and lets the score change while the link is valid', async () => {
    const link = await createSurveyLink(db, { locale: 'en' });
    const sent = await post(`/s/${link.token}/9`);
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe(`/s/${link.token}`);
    expect(await query('select score, source, survey_id, contact_id from nps_responses where survey_id = ?', [link.surveyId])).toEqual([
      { score: 9, source: 'email', survey_id: link.surveyId, contact_id: link.contactId },
    ]);
    const [survey] = await query('select answered_at, review_audience from surveys where id = ?', [link.surveyId]);
    expect(survey!.review_audience).toBe('promoters');
    // A promoter's review invitation follows a day later, unless they write the review first.
    const [job] = await query('select kind, due_at from scheduled_jobs where key = ?', [`review-invitation:${link.surveyId}`]);
    expect(job!.kind).toBe('review.invitation');
    expect(Number(job!.due_at) - Number(survey!.answered_at)).toBe(24 * 60 * 60 * 1000);

    const thanks = await (await fetch(`${app.url}/s/${link.token}`)).text();
    expect(thanks).toContain('We recorded your answer: 9 out of 10.');
    expect(thanks).toContain('What is the main reason for your score?');
    expect(thanks).toContain('Would you share your experience in a short review?');
    expect(thanks).toContain('regardless of what your review says');

    // Changed to 7: still one answer; a passive is not offered the review.
    expect((await post(`/s/${link.token}/7`)).status).toBe(303);
    expect(await query('select score from nps_responses where survey_id = ?', [link.surveyId])).toEqual([{ score: 7 }]);
    const changed = await (await fetch(`${app.url}/s/${link.token}`)).text();
    expect(changed).toContain('We recorded your answer: 7 out of 10.');
    expect(changed).not.toContain('Would you share your experience');
    // The confirm page says what Send replaces.
    expect(await (await fetch(`${app.url}/s/${link.token}/10`)).text()).toContain('Your answer so far is 7. Sending replaces it with 10.');
  });

  it('keeps the optional reason with the answer, and refuses one over the limit with a clear message', async () => {
    const link = await createSurveyLink(db, { locale: 'uk' });
    expect((await post(`/s/${link.token}/3`)).status).toBe(303);
    const saved = await post(`/s/${link.token}`, new URLSearchParams({ reason: 'Довго чекав відповіді.' }).toString());
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`/s/${link.token}?reason=saved`);
    expect(await query('select comment from nps_responses where survey_id = ?', [link.surveyId])).toEqual([{ comment: 'Довго чекав відповіді.' }]);
    expect(await (await fetch(`${app.url}/s/${link.token}?reason=saved`)).text()).toContain('Дякуємо, що поділилися.');
    const tooLong = await post(`/s/${link.token}`, new URLSearchParams({ reason: 'x'.repeat(2001) }).toString());
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toContain('Будь ласка, скоротіть відповідь до 2000 символів.');
    expect(await query('select comment from nps_responses where survey_id = ?', [link.surveyId])).toEqual([{ comment: 'Довго чекав відповіді.' }]);
  });

  it('answers a forged link with 404 and an expired one with 410, in the reader\'s language, recording nothing', async () => {
    const forged = await fetch(`${app.url}/s/${'a'.repeat(32)}/9`, { headers: { 'Accept-Language': 'lv-LV,lv;q=0.9' } });
    expect(forged.status).toBe(404);
    expect(await forged.text()).toContain('Saite nav derīga');
    expect((await post(`/s/${'b'.repeat(32)}/9`)).status).toBe(404);
    expect((await fetch(`${app.url}/s/not-a-token/9`)).status).toBe(404);

    const expired = await createSurveyLink(db, { locale: 'bg', expired: true });
    const page = await fetch(`${app.url}/s/${expired.token}/9`);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('Анкетата е приключила');
    expect((await post(`/s/${expired.token}/9`)).status).toBe(410);
    expect(await query('select count(*) as n from nps_responses where survey_id = ?', [expired.surveyId])).toEqual([{ n: 0 }]);

    const valid = await createSurveyLink(db);
    for (const score of ['11', '-1', '09', 'nine']) expect((await fetch(`${app.url}/s/${valid.token}/${score}`)).status, score).toBe(404);
  });

  it('shows a score off a CSAT or CES scale as a clear error page, on GET and POST, and stores nothing', async () => {
    const csat = await createSurveyLink(db, { kind: 'csat', locale: 'pl' });
    for (const score of [0, 6, 9, 10]) {
      const page = await fetch(`${app.url}/s/${csat.token}/${score}`);
      expect(page.status, `GET ${score}`).toBe(400);
      const html = await page.text();
      expect(html).toContain('Tej odpowiedzi nie ma na skali');
      expect(html).toContain('To pytanie przyjmuje liczbę od 1 do 5.');
      expect(html).not.toContain('Wyślij odpowiedź');
      expect((await post(`/s/${csat.token}/${score}`)).status, `POST ${score}`).toBe(400);
    }
    const ces = await createSurveyLink(db, { kind: 'ces' });
    const offScale = await post(`/s/${ces.token}/8`);
    expect(offScale.status).toBe(400);
    expect(await offScale.text()).toContain('This question takes a number from 1 to 7.');
    expect(await query('select count(*) as n from survey_ratings where survey_id in (?, ?)', [csat.surveyId, ces.surveyId])).toEqual([{ n: 0 }]);
    expect(await query('select answered_at from surveys where id in (?, ?)', [csat.surveyId, ces.surveyId])).toEqual([{ answered_at: null }, { answered_at: null }]);
    // On the scale, the confirm page asks that kind's question.
    const confirm = await (await fetch(`${app.url}/s/${ces.token}/6`)).text();
    expect(confirm).toContain('How easy was it to get your issue solved?');
    expect(confirm).toContain('You chose 6 out of 7.');
  });

  it.each([
    ['csat', 5, 'We recorded your answer: 5 out of 5.', 'How satisfied were you with our support?'],
    ['ces', 7, 'We recorded your answer: 7 out of 7.', 'How easy was it to get your issue solved?'],
  ] as const)('records a %s answer of %i on Send, never as NPS, and offers no review', async (kind, score, recorded, question) => {
    const link = await createSurveyLink(db, { kind });
    expect(await (await fetch(`${app.url}/s/${link.token}/${score}`)).text()).toContain(question);
    const sent = await post(`/s/${link.token}/${score}`);
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe(`/s/${link.token}`);
    expect(await query('select kind, score from survey_ratings where survey_id = ?', [link.surveyId])).toEqual([{ kind, score }]);
    expect(await query('select count(*) as n from nps_responses where survey_id = ?', [link.surveyId])).toEqual([{ n: 0 }]);
    expect(await query('select review_audience from surveys where id = ?', [link.surveyId])).toEqual([{ review_audience: null }]);
    expect(await query('select count(*) as n from scheduled_jobs where key = ?', [`review-invitation:${link.surveyId}`])).toEqual([{ n: 0 }]);
    const thanks = await (await fetch(`${app.url}/s/${link.token}`)).text();
    expect(thanks).toContain(recorded);
    expect(thanks).toContain('What is the main reason for your score?');
    expect(thanks).not.toContain('Would you share your experience');
    expect(thanks).not.toContain(`/s/${link.token}/review`);
    // Posting "Write your review" anyway leads back to the survey page, and creates no review request.
    const review = await post(`/s/${link.token}/review`);
    expect(review.status).toBe(303);
    expect(review.headers.get('location')).toBe(`/s/${link.token}`);
    expect(await query('select count(*) as n from review_requests where contact_id = ?', [link.contactId])).toEqual([{ n: 0 }]);
    // The reason is kept with the rating.
    expect((await post(`/s/${link.token}`, new URLSearchParams({ reason: 'Fast.' }).toString())).status).toBe(303);
    expect(await query('select comment from survey_ratings where survey_id = ?', [link.surveyId])).toEqual([{ comment: 'Fast.' }]);
  });

  it('refuses a cross-site post and, past the limit, more posts for the same survey', async () => {
    const link = await createSurveyLink(db);
    expect((await post(`/s/${link.token}/0`, '', { Origin: 'https://evil.example' })).status).toBe(403);
    expect(await query('select count(*) as n from nps_responses where survey_id = ?', [link.surveyId])).toEqual([{ n: 0 }]);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 22; attempt++) statuses.push((await post(`/s/${link.token}/${attempt % 11}`)).status);
    expect(statuses.slice(0, 20).every((status) => status === 303)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });

  it('unsubscribes with one click (RFC 8058), sent by a mail provider without our Origin', async () => {
    const link = await createSurveyLink(db);
    const response = await fetch(`${app.url}/s/${link.token}/unsubscribe`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('will not send you any more surveys or review requests');
    const [contact] = await query('select unsubscribed_at from contacts where id = ?', [link.contactId]);
    expect(contact!.unsubscribed_at).not.toBeNull();
  });
});
