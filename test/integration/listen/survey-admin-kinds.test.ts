import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../db/client.ts';
import { countSurveyRecipients, createSurveys } from '../../../src/lib/server/listen/surveys.ts';
import { runTick } from '../../../src/lib/server/schedule/tick.ts';
import { signInAdmin, startApp, type RunningApp } from '../../helpers/app.ts';
import { configWith, outboxJobContext, outboxMessages, surveyLinksIn } from '../../helpers/surveys.ts';

// "Send survey" in the admin, as a browser without JavaScript uses it: the kind is chosen, the
// preview follows it, and the campaign sends that question.
describe('CSAT and CES in the admin: Send survey and the dashboard', { timeout: 180_000 }, () => {
  let app: RunningApp;
  let db: Database;
  let cookie: string;
  const query = async (sql: string, args: (string | number)[] = []) => (await db.$client.execute({ sql, args })).rows.map((row) => ({ ...row }));
  const get = async (path: string) => {
    const response = await fetch(`${app.url}${path}`, { headers: { Cookie: cookie }, redirect: 'manual' });
    expect(response.status, path).toBe(200);
    return response.text();
  };
  const eligibleIn = (html: string) => {
    const match = /data-testid="survey-eligible" data-kind="(\w+)"[^>]*><strong[^>]*>(\d+)<\/strong>/.exec(html);
    return match ? { kind: match[1], count: Number(match[2]) } : null;
  };

  beforeAll(async () => {
    app = await startApp({ args: ['--no-tick'] });
    db = await openDatabase({ url: app.env.DATABASE_URL! });
    cookie = await signInAdmin(app);
  }, 120_000);
  afterAll(async () => {
    db?.$client.close();
    await app?.stop();
  });

  it('previews who would get a CSAT survey (people just asked for NPS included) and sends that question', async () => {
    const config = configWith();
    // Everyone gets an NPS survey now: nobody is left for NPS, everyone still for CSAT.
    const everyone = (await query('select id from contacts where unsubscribed_at is null')).map((row) => Number(row.id));
    await createSurveys(db, config, { contactIds: everyone, trigger: 'manual', origin: 'admin-kinds-nps' });
    await query("update scheduled_jobs set done_at = 1, outcome = 'sent' where kind = 'survey.send'");
    const csatCount = await countSurveyRecipients(db, config, new Date(), 'csat');
    expect(csatCount).toBeGreaterThan(2);

    expect(eligibleIn(await get('/admin/surveys/'))).toEqual({ kind: 'nps', count: 0 });
    const csatPage = await get('/admin/surveys/?kind=csat');
    expect(eligibleIn(csatPage)).toEqual({ kind: 'csat', count: csatCount });
    expect(csatPage).toContain('How satisfied were you with our support?');
    expect(csatPage).toMatch(/name="kind" value="csat" checked/);
    const [first] = await query('select email from contacts where unsubscribed_at is null order by id limit 1');
    expect(csatPage).toMatch(new RegExp(`<td[^>]*>${String(first!.email).replace(/[.+]/g, '\\$&')}</td>`));
    expect(eligibleIn(await get('/admin/surveys/?kind=ces'))).toEqual({ kind: 'ces', count: csatCount });

    const started = await fetch(`${app.url}/admin/surveys/?_action=adminSurveys.start&kind=csat`, {
      method: 'POST',
      body: new URLSearchParams({ kind: 'csat', limit: '2' }),
      headers: { Origin: app.url, Cookie: cookie },
      redirect: 'manual',
    });
    expect(started.status).toBe(303);
    const location = started.headers.get('location') ?? '';
    expect(location).toMatch(/^\/admin\/surveys\/\?campaign=\d+$/);
    const outbox = join(app.directory, 'admin-kinds-outbox');
    await runTick(outboxJobContext(db, config, outbox));
    await runTick(outboxJobContext(db, config, outbox));
    const sent = outboxMessages(outbox);
    // Two CSAT emails (in each customer's language; the demo customers are Polish): five answers, 1 to 5.
    expect(sent).toHaveLength(2);
    for (const message of sent) {
      expect(message.subject).toMatch(/^Acme Support Desk: (how satisfied were you with our support|jak oceniasz swoje zadowolenie z naszej obsługi klienta)\?$/);
      expect(surveyLinksIn(message.text).map((link) => link.score)).toEqual([1, 2, 3, 4, 5]);
    }
    expect(await query("select count(*) as n from surveys where kind = 'csat' and origin like 'campaign:%'")).toEqual([{ n: 2 }]);
    const progress = await get(location);
    expect(progress).toMatch(/Campaign \d+ \(CSAT\): done/);
    expect(eligibleIn(progress)).toEqual({ kind: 'csat', count: csatCount - 2 });
  });

  it('shows CSAT and CES next to NPS on the dashboard, narrowed by its date range', async () => {
    const [contact] = await query('select id from contacts order by id limit 1');
    const rate = async (kind: 'csat' | 'ces', score: number, at: string) => {
      const inserted = await query(
        "insert into surveys (contact_id, kind, trigger, origin, round, locale, expires_at, created_at) values (?, ?, 'manual', ?, 1, 'en', ?, ?) returning id",
        [Number(contact!.id), kind, `dashboard-${kind}-${score}-${at}`, Date.parse(at) + 1000, Date.parse(at) - 1000],
      );
      await query('insert into survey_ratings (survey_id, contact_id, kind, score, responded_at) values (?, ?, ?, ?, ?)', [Number(inserted[0]!.id), Number(contact!.id), kind, score, Date.parse(at)]);
    };
    // February: CSAT 5, 3 (1 of 2 satisfied = 50 %), CES 6. April: CSAT 4 (100 %), CES 3, 1 (2).
    // All: CSAT 2 of 3 = 66.7 %; CES (6 + 3 + 1) / 3 = 3.33.
    await rate('csat', 5, '2025-02-10T10:00:00Z');
    await rate('csat', 3, '2025-02-11T10:00:00Z');
    await rate('ces', 6, '2025-02-12T10:00:00Z');
    await rate('csat', 4, '2025-04-01T10:00:00Z');
    await rate('ces', 3, '2025-04-02T10:00:00Z');
    await rate('ces', 1, '2025-04-03T10:00:00Z');
    const text = (html: string, testId: string) => new RegExp(`data-testid="${testId}"[^>]*>([^<]*)<`).exec(html)?.[1];

    const all = await get('/admin/dashboard/');
    expect(text(all, 'csat-overall')).toBe('66.7 %');
    expect(text(all, 'csat-counts')).toBe('satisfied (4–5 of 5) 2 of 3 answers, over every answer.');
    expect(text(all, 'ces-overall')).toBe('3.33');
    expect(all).toContain('id="csat-monthly-chart"');
    expect(all).toContain('id="ces-monthly-chart"');
    expect(all).toMatch(/data-month="2025-02"[^>]*><th[^>]*>2025-02<\/th><td[^>]*>2<\/td><td[^>]*>1<\/td><td[^>]*>50.0 %<\/td>/);
    // The NPS headline is still there, beside them.
    expect(all).toContain('data-testid="nps-overall"');

    const february = await get('/admin/dashboard/?from=2025-02-01&to=2025-02-28');
    expect(text(february, 'csat-overall')).toBe('50.0 %');
    expect(text(february, 'csat-counts')).toBe('satisfied (4–5 of 5) 1 of 2 answers, from 2025-02-01 to 2025-02-28 (UTC).');
    expect(text(february, 'ces-overall')).toBe('6.00');
    expect(text(february, 'ces-counts')).toContain('1 answer, from 2025-02-01');
  });
});
