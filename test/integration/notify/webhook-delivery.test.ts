import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { stripTypeScriptTypes } from 'node:module';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendDeliveryAgain } from '../../../src/lib/server/notify/delivery-log.ts';
import type { NotificationTargets } from '../../../src/lib/server/notify/notification-targets.ts';
import { deliverNotifications } from '../../../src/lib/server/notify/outbox.ts';
import { signWebhook } from '../../../src/lib/notify/standard-webhooks.ts';
import { openDatabase } from '../../../db/client.ts';
import { migrateDatabase } from '../../../db/migrate.ts';
import { storeNpsAnswers } from '../../../src/lib/server/listen/nps-import.ts';
import { startSqld } from '../../helpers/sqld.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';

// ---------------------------------------------------------------------------------------------
// An independent Standard Webhooks verifier, written from the spec
// (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md):
// the signed content is `${webhook-id}.${webhook-timestamp}.${body}`, signed with HMAC-SHA256
// keyed by the base64-decoded part of the secret after `whsec_`; the header is a space-separated
// list of `v1,<base64 signature>`; timestamps too far from now are refused (replay protection).

function verifyStandardWebhook(secret: string, headers: IncomingHttpHeaders, body: string, nowSeconds: number): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') return false;
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > 5 * 60) return false;
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.split(' ').some((entry) => {
    const comma = entry.indexOf(',');
    if (entry.slice(0, comma) !== 'v1') return false;
    const given = Buffer.from(entry.slice(comma + 1), 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

const secret = `whsec_${randomBytes(32).toString('base64')}`;

interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  signatureValid: boolean;
  answered: number | 'late';
}

/**
 * A receiver as the spec asks them to be written: checks the signature, processes each
 * webhook-id once (a repeat is answered 2xx without processing), and answers as `script` says
 * for each request in turn ('slow' processes, then answers after the sender gave up).
 */
async function startReceiver(script: ('500' | 'slow' | '200')[], clock: () => Date) {
  const requests: ReceivedRequest[] = [];
  /** How many times each event id was processed (the receiver's own work), and repeats it dropped. */
  const processed = new Map<string, number>();
  let repeatsDropped = 0;
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const behaviour = script[requests.length] ?? '200';
      const signatureValid = verifyStandardWebhook(secret, request.headers, body, Math.floor(clock().getTime() / 1000));
      const entry: ReceivedRequest = { headers: request.headers, body, signatureValid, answered: 'late' };
      requests.push(entry);
      if (behaviour === '500') {
        entry.answered = 500;
        response.writeHead(500).end('down');
        return;
      }
      const id = String(request.headers['webhook-id']);
      if (signatureValid && processed.has(id)) repeatsDropped++;
      else if (signatureValid) processed.set(id, 1);
      if (behaviour === 'slow') {
        setTimeout(() => response.writeHead(200).end('ok, late'), 1500).unref();
        return;
      }
      entry.answered = 200;
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/review-wall`,
    requests,
    processed,
    repeatsDropped: () => repeatsDropped,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((done) => server.close(() => done()));
    },
  };
}

let database: TemporaryDatabase;
beforeEach(async () => {
  database = await createTemporaryDatabase();
});
afterEach(() => database.cleanup());

const minute = 60_000;
const start = new Date('2026-12-01T10:00:00.000Z');

/** Stores NPS answers the way every source does (a row in nps_responses); the trigger writes their events. */
async function storeAnswers(scores: number[]): Promise<void> {
  const { db } = database;
  for (const [index, score] of scores.entries()) {
    const contact = await db.$client.execute({ sql: 'insert into contacts (email, name) values (?, ?) returning id', args: [`person${index}-${Date.now()}@example.test`, `Person ${index}`] });
    await db.$client.execute({
      sql: "insert into nps_responses (contact_id, score, comment, responded_at, source) values (?, ?, 'fine', ?, 'webhook')",
      args: [Number(contact.rows[0]!.id), score, start.getTime() - index],
    });
  }
}

function targetsFor(url: string): NotificationTargets {
  return { slackUrl: null, slackDigest: false, digestHourUtc: 8, siteUrl: 'https://reviews.acme.example', webhooks: [{ url, events: ['nps.answered'], secretEnv: 'WEBHOOK_SECRET', secret }] };
}

async function deliveryRows() {
  const { rows } = await database.db.$client.execute('select event_id, endpoint, status, attempts, next_attempt_at, last_status_code, last_error from webhook_deliveries order by id');
  return rows.map((row) => ({ ...row }));
}

describe('the Standard Webhooks signature', () => {
  it("matches the spec's published example, checked by both the independent verifier and our signer", () => {
    // The example from the Standard Webhooks reference libraries' test suites.
    const exampleSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const headers = signWebhook(Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64'), 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    expect(headers['webhook-signature']).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    expect(verifyStandardWebhook(exampleSecret, { ...headers }, '{"test": 2432232314}', 1614265330)).toBe(true);
  });
});

describe('the verification code in docs/notifications.md', () => {
  it('accepts what the outbox sends and refuses a changed body', async () => {
    const docs = readFileSync(new URL('../../../docs/notifications.md', import.meta.url), 'utf8');
    const block = docs.match(/```ts\n(import \{ createHmac[^]*?)```/)![1]!;
    const code = stripTypeScriptTypes(block.replace(/^import .*$/m, ''));
    const verify = new Function('createHmac', 'timingSafeEqual', `${code}\nreturn verify;`)(createHmac, timingSafeEqual) as (secret: string, headers: Record<string, string>, body: string) => boolean;
    const receiver = await startReceiver([], () => new Date());
    try {
      await storeAnswers([8]);
      await deliverNotifications(database.db, targetsFor(receiver.url));
      const [request] = receiver.requests;
      const headers = request!.headers as Record<string, string>;
      expect(verify(secret, headers, request!.body)).toBe(true);
      expect(verify(secret, headers, request!.body.replace('"score":8', '"score":9'))).toBe(false);
    } finally {
      await receiver.close();
    }
  });
});

describe('webhook delivery from the outbox', () => {
  it('survives a failure and a timeout, delivers once per event and endpoint, and the receiver processes each event id once', async () => {
    let now = start;
    const clock = () => now;
    const receiver = await startReceiver(['500', 'slow', '200', '200'], clock);
    try {
      await storeAnswers([3]);
      const targets = targetsFor(receiver.url);
      const run = () => deliverNotifications(database.db, targets, { now: clock, timeoutMs: 300 });

      expect(await run()).toMatchObject({ events: 1, delivered: 0, retried: 1 });
      expect(receiver.requests).toHaveLength(1);
      const [first] = await deliveryRows();
      expect(first).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 500, last_error: 'HTTP 500', next_attempt_at: start.getTime() + minute });

      // Not before the backoff is over.
      now = new Date(start.getTime() + minute - 1);
      await run();
      expect(receiver.requests).toHaveLength(1);

      // Second attempt: the receiver processes it but answers too late.
      now = new Date(start.getTime() + minute);
      expect(await run()).toMatchObject({ delivered: 0, retried: 1 });
      expect(receiver.requests).toHaveLength(2);
      const [second] = await deliveryRows();
      expect(second).toMatchObject({ status: 'pending', attempts: 2, last_status_code: null, last_error: 'no answer within 0.3 s', next_attempt_at: now.getTime() + 5 * minute });

      now = new Date(now.getTime() + 5 * minute);
      expect(await run()).toMatchObject({ delivered: 1 });
      // Delivered: two ticks running together send nothing more.
      await Promise.all([run(), run()]);
      expect(receiver.requests).toHaveLength(3);

      // Send again repeats it under the same webhook-id; two ticks at once still send it once.
      const [delivered] = await database.db.$client.execute('select id from webhook_deliveries').then((result) => result.rows);
      expect(await sendDeliveryAgain(database.db, Number(delivered!.id), null, now)).toMatchObject({ kind: 'queued' });
      expect(await sendDeliveryAgain(database.db, Number(delivered!.id), null, now)).toEqual({ kind: 'already-pending' });
      await Promise.all([run(), run()]);
      expect(receiver.requests).toHaveLength(4);

      const ids = new Set(receiver.requests.map((request) => request.headers['webhook-id']));
      expect(ids.size).toBe(1);
      const [eventId] = ids;
      expect(eventId).toMatch(/^msg_[0-9a-f]{32}$/);
      expect(receiver.requests.every((request) => request.signatureValid)).toBe(true);
      expect(new Set(receiver.requests.map((request) => request.body)).size).toBe(1);
      // Each attempt is signed at its own time.
      expect(receiver.requests.map((request) => Number(request.headers['webhook-timestamp']))).toEqual(
        [start.getTime(), start.getTime() + minute, start.getTime() + 6 * minute, start.getTime() + 6 * minute].map((time) => time / 1000),
      );
      expect(receiver.processed).toEqual(new Map([[eventId, 1]]));
      // The 200 after the timeout and the one after Send again were repeats the receiver recognised.
      expect(receiver.repeatsDropped()).toBe(2);
      const rows = await deliveryRows();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ event_id: eventId, endpoint: receiver.url, status: 'delivered', attempts: 1, last_status_code: 200, last_error: null });
      const body = JSON.parse(receiver.requests[0]!.body);
      expect(body).toMatchObject({ type: 'nps.answered', data: { score: 3, category: 'detractor', comment: 'fine', source: 'webhook' } });
    } finally {
      await receiver.close();
    }
  });

  it('waits 1 min, 5 min, 30 min, 2 h and 12 h between attempts, then gives up', async () => {
    let now = start;
    const receiver = await startReceiver(Array.from({ length: 10 }, () => '500' as const), () => now);
    try {
      await storeAnswers([10]);
      const run = () => deliverNotifications(database.db, targetsFor(receiver.url), { now: () => now, timeoutMs: 2000 });
      const waits = [minute, 5 * minute, 30 * minute, 120 * minute, 720 * minute];
      await run();
      for (const [index, wait] of waits.entries()) {
        const [row] = await deliveryRows();
        expect(row).toMatchObject({ status: 'pending', attempts: index + 1, next_attempt_at: now.getTime() + wait });
        now = new Date(now.getTime() + wait);
        await run();
      }
      const [last] = await deliveryRows();
      expect(last).toMatchObject({ status: 'failed', attempts: 6, last_error: 'HTTP 500' });
      now = new Date(now.getTime() + 30 * 24 * 60 * minute);
      expect(await run()).toMatchObject({ delivered: 0, retried: 0, failed: 0 });
      expect(receiver.requests).toHaveLength(6);
    } finally {
      await receiver.close();
    }
  });

  it('sends each of many events once when two ticks run at the same time', async () => {
    const receiver = await startReceiver([], () => start);
    try {
      await storeAnswers([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 9]);
      const targets = targetsFor(receiver.url);
      // Two connections, as two tick processes would have.
      const other = await openDatabase({ url: database.url });
      const [a, b] = await Promise.all([
        deliverNotifications(database.db, targets, { now: () => start }),
        deliverNotifications(other, targets, { now: () => start }),
      ]).finally(() => other.$client.close());
      expect(a.delivered + b.delivered).toBe(12);
      const ids = receiver.requests.map((request) => request.headers['webhook-id']);
      expect(ids).toHaveLength(12);
      expect(new Set(ids).size).toBe(12);
      expect(receiver.requests.every((request) => request.signatureValid)).toBe(true);
    } finally {
      await receiver.close();
    }
  });

  it('refuses a tampered body or timestamp, and a signature made with another secret', async () => {
    const receiver = await startReceiver([], () => start);
    try {
      await storeAnswers([9]);
      await deliverNotifications(database.db, targetsFor(receiver.url), { now: () => start });
      const [request] = receiver.requests;
      const nowSeconds = start.getTime() / 1000;
      expect(verifyStandardWebhook(secret, request!.headers, request!.body, nowSeconds)).toBe(true);
      expect(verifyStandardWebhook(secret, request!.headers, request!.body.replace('"score":9', '"score":10'), nowSeconds)).toBe(false);
      const shifted = { ...request!.headers, 'webhook-timestamp': String(nowSeconds + 1) };
      expect(verifyStandardWebhook(secret, shifted, request!.body, nowSeconds)).toBe(false);
      expect(verifyStandardWebhook(`whsec_${randomBytes(32).toString('base64')}`, request!.headers, request!.body, nowSeconds)).toBe(false);
      // A replay long after the fact is refused even with a valid signature.
      expect(verifyStandardWebhook(secret, request!.headers, request!.body, nowSeconds + 3600)).toBe(false);
    } finally {
      await receiver.close();
    }
  });

  it('counts a redirect and a refused connection as failures, to try again later', async () => {
    const redirecting = createServer((_request, response) => response.writeHead(302, { location: 'https://elsewhere.example/' }).end());
    await new Promise<void>((done) => redirecting.listen(0, '127.0.0.1', done));
    const redirectUrl = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/hook`;
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const refusedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/hook`;
    await new Promise<void>((done) => closed.close(() => done()));
    try {
      await storeAnswers([9]);
      const targets = targetsFor(redirectUrl);
      targets.webhooks.push({ ...targets.webhooks[0]!, url: refusedUrl });
      expect(await deliverNotifications(database.db, targets, { now: () => start })).toMatchObject({ delivered: 0, retried: 2 });
      const rows = await deliveryRows();
      expect(rows.find((row) => row.endpoint === redirectUrl)).toMatchObject({ status: 'pending', last_status_code: 302, last_error: 'HTTP 302' });
      expect(rows.find((row) => row.endpoint === refusedUrl)).toMatchObject({ status: 'pending', last_status_code: null });
      expect(String(rows.find((row) => row.endpoint === refusedUrl)!.last_error)).toContain('ECONNREFUSED');
    } finally {
      await new Promise<void>((done) => redirecting.close(() => done()));
    }
  });

  it('gives an endpoint added later only the events from then on', async () => {
    const receiver = await startReceiver([], () => start);
    try {
      await storeAnswers([9]);
      await deliverNotifications(database.db, { ...targetsFor(receiver.url), webhooks: [] }, { now: () => start });
      await storeAnswers([10]);
      await deliverNotifications(database.db, targetsFor(receiver.url), { now: () => start });
      expect(receiver.requests.map((request) => JSON.parse(request.body).data.score)).toEqual([10]);
    } finally {
      await receiver.close();
    }
  });

  it('deletes events and finished deliveries after 90 days, never one still waiting', async () => {
    const receiver = await startReceiver([], () => start);
    try {
      await storeAnswers([9, 3]);
      const targets = targetsFor(receiver.url);
      await deliverNotifications(database.db, targets, { now: () => start });
      // One of them is queued again and waits (its receiver is gone by then).
      await database.db.$client.execute("update webhook_deliveries set status = 'pending', next_attempt_at = 9e15 where id = (select min(id) from webhook_deliveries)");
      const { rows: events } = await database.db.$client.execute('select occurred_at from outbox_events');
      const last = Math.max(...events.map((row) => Number(row.occurred_at)));
      await deliverNotifications(database.db, targets, { now: () => new Date(last + 89 * 24 * 60 * minute) });
      expect((await deliveryRows()).length).toBe(2);
      await deliverNotifications(database.db, targets, { now: () => new Date(last + 91 * 24 * 60 * minute) });
      expect(await deliveryRows()).toMatchObject([{ status: 'pending' }]);
      expect((await database.db.$client.execute('select count(*) as n from outbox_events')).rows[0]!.n).toBe(1);
    } finally {
      await receiver.close();
    }
  });

  it('keeps a delivery waiting, with the reason, while its secret is missing', async () => {
    const receiver = await startReceiver([], () => start);
    try {
      await storeAnswers([9]);
      const targets = targetsFor(receiver.url);
      targets.webhooks[0]!.secret = undefined;
      await deliverNotifications(database.db, targets, { now: () => start });
      expect(receiver.requests).toHaveLength(0);
      const [row] = await deliveryRows();
      expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: "WEBHOOK_SECRET is not set: set it to the endpoint's signing secret" });
    } finally {
      await receiver.close();
    }
  });
});

describe('on a remote libSQL server (sqld)', () => {
  it('writes events with the facts and two ticks on two connections deliver each once', async () => {
    const server = await startSqld();
    const first = await openDatabase({ url: server.url });
    const second = await openDatabase({ url: server.url });
    const receiver = await startReceiver([], () => start);
    try {
      await migrateDatabase(first);
      await storeNpsAnswers(first, Array.from({ length: 6 }, (_, index) => ({ email: `remote${index}@example.com`, score: index + 4, locale: 'en' })), { source: 'webhook', defaultLocale: 'en' });
      const targets = targetsFor(receiver.url);
      await Promise.all([deliverNotifications(first, targets, { now: () => start }), deliverNotifications(second, targets, { now: () => start })]);
      const ids = receiver.requests.map((request) => request.headers['webhook-id']);
      expect(ids).toHaveLength(6);
      expect(new Set(ids).size).toBe(6);
      expect(receiver.requests.every((request) => request.signatureValid)).toBe(true);
      expect(receiver.requests.map((request) => JSON.parse(request.body).data.score).sort()).toEqual([4, 5, 6, 7, 8, 9]);
    } finally {
      await receiver.close();
      first.$client.close();
      second.$client.close();
      await server.stop();
    }
  }, 60_000);
});
