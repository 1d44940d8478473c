import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../db/client.ts';
import { erasedEmailHash } from '../../../src/lib/server/moderate/erased-emails.ts';
import { signWebhookBody } from '../../../src/lib/server/listen/nps-webhook.ts';
import { startApp, type RunningApp } from '../../helpers/app.ts';

const secret = 'test-webhook-secret-0123456789abcdef';

describe('POST /api/nps (signed NPS webhook)', () => {
  let app: RunningApp;
  let db: Database;

  const send = (body: string, options: { timestamp?: number; signature?: string; secret?: string } = {}) => {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    return fetch(`${app.url}/api/nps`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Review-Wall-Timestamp': String(timestamp),
        'X-Review-Wall-Signature': options.signature ?? signWebhookBody(options.secret ?? secret, timestamp, body),
      },
      body,
    });
  };
  const answersOf = async (email: string) =>
    (
      await db.$client.execute({
        sql: 'select r.score, r.comment, r.source, c.locale from nps_responses r join contacts c on c.id = r.contact_id where c.email = ?',
        args: [email],
      })
    ).rows.map((row) => ({ ...row }));

  beforeAll(async () => {
    app = await startApp({ env: { NPS_WEBHOOK_SECRET: secret } });
    db = await openDatabase({ url: app.env.DATABASE_URL! });
  });
  afterAll(async () => {
    db?.$client.close();
    await app?.stop();
  });

  it('stores a correctly signed answer once; a replay of the same request stores nothing more', async () => {
    const body = JSON.stringify({ email: 'Olena@Example.com', name: 'Olena', locale: 'uk-UA', score: 10, comment: 'Дуже швидко!', responded_at: '2026-10-01T09:00:00Z' });
    const timestamp = Math.floor(Date.now() / 1000);
    const first = await send(body, { timestamp });
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ status: 'stored' });
    expect(await answersOf('olena@example.com')).toEqual([{ score: 10, comment: 'Дуже швидко!', source: 'webhook', locale: 'uk' }]);

    const replay = await send(body, { timestamp });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ status: 'already stored' });
    expect(await answersOf('olena@example.com')).toHaveLength(1);
  });

  it('acknowledges but never stores an answer from a customer erased on request', async () => {
    await db.$client.execute({ sql: 'insert into erased_emails (email_hash) values (?)', args: [erasedEmailHash('gone@example.com')] });
    const response = await send(JSON.stringify({ email: 'Gone@Example.com', name: 'Gone', score: 10, responded_at: '2026-10-02T09:00:00Z' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'not stored: this customer was erased on request' });
    expect(await answersOf('gone@example.com')).toEqual([]);
    const contacts = await db.$client.execute({ sql: 'select count(*) as n from contacts where email = ?', args: ['gone@example.com'] });
    expect(Number(contacts.rows[0]?.n)).toBe(0);
  });

  it('refuses a wrong signature with 401 and stores nothing', async () => {
    const body = JSON.stringify({ email: 'mallory@example.com', score: 10 });
    const response = await send(body, { secret: 'guessed' });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'signature does not match' });
    expect(await answersOf('mallory@example.com')).toEqual([]);
  });

  it('refuses a correctly signed request older than 5 minutes, or from the future, with 401', async () => {
    const body = JSON.stringify({ email: 'late@example.com', score: 9 });
    const old = await send(body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(old.status).toBe(401);
    expect((await old.json()).error).toContain('more than 5 minutes old');
    const future = await send(body, { timestamp: Math.floor(Date.now() / 1000) + 10 * 60 });
    expect(future.status).toBe(401);
    expect(await answersOf('late@example.com')).toEqual([]);
  });

  it('refuses a body over 16 KB with 413', async () => {
    const body = JSON.stringify({ email: 'big@example.com', score: 9, comment: 'x'.repeat(20_000) });
    const response = await send(body);
    expect(response.status).toBe(413);
    expect(await answersOf('big@example.com')).toEqual([]);
  });

  it.each([
    [{ email: 'eleven@example.com', score: 11 }, 'score must be a whole number from 0 to 10', 'score'],
    [{ email: 'not-an-email', score: 9 }, 'email is not a valid address', 'email'],
    [{ email: 'nodate@example.com', score: 9, responded_at: 'yesterday' }, 'responded_at must be an ISO 8601 date-time', 'responded_at'],
    [{ email: 'noscore@example.com' }, 'score is required', 'score'],
  ])('answers 400 with a clear message for %j', async (answer, message, field) => {
    const response = await send(JSON.stringify(answer));
    expect(response.status).toBe(400);
    const result = (await response.json()) as { error: string; issues: { field: string; message: string }[] };
    expect(result.error).toContain(message);
    expect(result.issues.map((issue) => issue.field)).toContain(field);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const response = await send('email=a@example.com&score=9');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'the body is not valid JSON' });
  });

  it('rate-limits each address before any other work', async () => {
    const statuses: number[] = [];
    for (let request = 0; request < 125; request++) {
      statuses.push((await fetch(`${app.url}/api/nps`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status);
    }
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
    const limited = await send(JSON.stringify({ email: 'after-limit@example.com', score: 9 }));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await answersOf('after-limit@example.com')).toEqual([]);
  });
});
