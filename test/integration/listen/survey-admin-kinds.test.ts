import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../db/client.ts';
import { countSurveyRecipients, createSurveys } from '../../../src/lib/server/listen/surveys.ts';
import { runTick } from '../../../src/lib/server/schedule/tick.ts';
import { startApp, type RunningApp } from '../../helpers/app.ts';
import { configWith, outboxJobContext, outboxMessages, surveyLinksIn } from '../../helpers/surveys.ts';

// "Send survey" in the admin, as a browser without JavaScript uses it: the kind is chosen, the
// preview follows it, and the campaign sends that question.
describe('the admin Send survey page, by kind', { timeout: 180_000 }, () => {
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
    const signedIn = await fetch(`${app.url}/admin/sign-in`, {
      method: 'POST',
      body: new URLSearchParams({ email: app.adminEmail!, password: app.adminPassword! }),
      headers: { Origin: app.url },
      redirect: 'manual',
    });
    expect(signedIn.status).toBe(303);
    cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0]!;
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
});
