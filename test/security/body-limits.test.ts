import { eq } from 'drizzle-orm';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client.ts';
import { reviews } from '../../db/schema.ts';
import { reviewFormLimits } from '../../src/lib/collect/review-submission.ts';
import { signWebhookBody } from '../../src/lib/server/listen/nps-webhook.ts';
import { undeclaredBodyMaxBytes } from '../../src/lib/server/platform/body-limit.ts';
import { generateToken } from '../../src/lib/tokens.ts';
import { signInAdmin, startApp, type RunningApp } from '../helpers/app.ts';
import { createJpegLargerThan } from '../helpers/images.ts';
import { createReviewLink } from '../helpers/review-links.ts';

// An attacker posting bodies far larger than any form to every route that takes a POST, against
// the real server (npm start with the demo data), while the server's memory is watched.
const MB = 1024 * 1024;
const webhookSecret = 'a webhook secret long enough for anyone: 0123456789';
let app: RunningApp;
let db: Database;
let reviewToken: string;
beforeAll(async () => {
  app = await startApp({ env: { NPS_WEBHOOK_SECRET: webhookSecret } });
  db = await openDatabase({ url: app.env.DATABASE_URL! });
  reviewToken = (await createReviewLink(db, { locale: 'en' })).token;
}, 120_000);
afterAll(async () => {
  db?.$client.close();
  await app?.stop();
});

/** The server process's resident memory, in bytes. */
function residentBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  if (!line) throw new Error(`no VmRSS for process ${pid}`);
  return Number(line[1]) * 1024;
}

/** What became of a large post: the answer, or how the connection ended, and how much went out before. */
interface Delivery {
  status: number | null;
  error: string | null;
  bytesSent: number;
}

// One 64 KB piece written again and again: the test streams 300 MB without holding it.
const piece = Buffer.alloc(64 * 1024, 'a');

/**
 * Streams `bytes` of body to `path`, declared in Content-Length or sent chunked, and stops
 * sending as soon as the server answers or drops the connection.
 */
function sendLargeBody(path: string, options: { bytes: number; chunked: boolean; method?: string; headers?: Record<string, string> }): Promise<Delivery> {
  const target = new URL(app.url);
  return new Promise((resolve) => {
    let bytesSent = 0;
    let settled = false;
    const outgoing = request({
      host: target.hostname,
      port: target.port,
      path,
      method: options.method ?? 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: app.url,
        ...(options.chunked ? {} : { 'Content-Length': String(options.bytes) }),
        ...options.headers,
      },
    });
    const settle = (outcome: Omit<Delivery, 'bytesSent'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outgoing.destroy();
      resolve({ ...outcome, bytesSent });
    };
    const timer = setTimeout(() => settle({ status: null, error: 'no answer within 60 s' }), 60_000);
    outgoing.on('response', (response) => {
      response.resume();
      settle({ status: response.statusCode ?? null, error: null });
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => settle({ status: null, error: error.code ?? error.message }));
    outgoing.on('close', () => settle({ status: null, error: 'closed' }));
    const pump = () => {
      while (!settled && bytesSent < options.bytes) {
        const size = Math.min(piece.length, options.bytes - bytesSent);
        bytesSent += size;
        if (!outgoing.write(size === piece.length ? piece : piece.subarray(0, size))) {
          outgoing.once('drain', pump);
          return;
        }
      }
      if (!settled) outgoing.end();
    };
    pump();
  });
}

// Every kind of route that takes a POST, spelled as an attacker might; unknown tokens, so
// nothing happens to the demo's customer when a post gets through to a page.
const unknownToken = generateToken();
const postRoutes: [string, string, number][] = [
  ['sign-in', '/admin/sign-in', 256 * 1024],
  ['sign-out', '/admin/sign-out', 256 * 1024],
  ['unsubscribe (form and one-click)', `/r/${unknownToken}/unsubscribe`, 64 * 1024],
  ['the NPS webhook', '/api/nps', 64 * 1024],
  ['a webhook not written yet', '/api/events/ticket-resolved', 64 * 1024],
  ['the review action (RPC)', '/_actions/review.submit', reviewFormLimits.postMaxBytes],
  ['the review action, name encoded', '/_actions/review%2Esubmit', 64 * 1024],
  ['the review action, doubled slash', '/_actions//review.submit', 64 * 1024],
  ['an admin action behind a public one', '/_actions/review.submit/_actions/admin.hide', 64 * 1024],
  ['an admin action (RPC)', '/_actions/admin.approve', 64 * 1024],
  ['the review form', `/r/${unknownToken}?_action=review.submit`, reviewFormLimits.postMaxBytes],
  ['?_action= on a static page', '/testimonials/?_action=review.submit', 64 * 1024],
  ['?_action= on another page', `/r/${unknownToken}/unsubscribe?_action=review.submit`, 64 * 1024],
  ['an admin form post', '/admin/?_action=admin.approve', 256 * 1024],
  ['an admin erasure', '/admin/erase/?_action=adminErasure.erase', 256 * 1024],
  ['a path that does not exist', '/no/such/page', 64 * 1024],
];

describe('request bodies larger than a route accepts', () => {
  it('are refused with 413 on every POST route as soon as Content-Length says so, before any of the body is read', async () => {
    for (const [name, path] of postRoutes) {
      const delivery = await sendLargeBody(path, { bytes: 300 * MB, chunked: false });
      expect(delivery.status, `${name}: ${delivery.error} after ${delivery.bytesSent}`).toBe(413);
      // Only what the kernel's socket buffers took in before the answer: the server read nothing.
      expect(delivery.bytesSent, name).toBeLessThan(40 * MB);
    }
    const put = await sendLargeBody('/admin/sign-in', { bytes: 100 * MB, chunked: false, method: 'PUT' });
    expect(put.status).toBe(413);
  });

  it('tell a client that asks first (Expect: 100-continue) 413 without inviting the body, and 100 Continue when it fits', async () => {
    const target = new URL(app.url);
    // The first status line a client that waits for permission sees, without sending any body.
    const firstStatusLine = (path: string, contentLength: number) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(Number(target.port), target.hostname, () => {
          socket.write(`POST ${path} HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${contentLength}\r\nExpect: 100-continue\r\n\r\n`);
        });
        let received = '';
        socket.on('data', (chunk) => {
          received += chunk;
          if (received.includes('\r\n')) {
            resolve(received.slice(0, received.indexOf('\r\n')));
            socket.destroy();
          }
        });
        socket.on('error', reject);
      });
    expect(await firstStatusLine('/admin/sign-in', 300 * MB)).toBe('HTTP/1.1 413 Payload Too Large');
    expect(await firstStatusLine('/api/nps', 300 * MB)).toBe('HTTP/1.1 413 Payload Too Large');
    expect(await firstStatusLine('/admin/sign-in', 100)).toBe('HTTP/1.1 100 Continue');
  });

  it('are cut off at the limit when sent chunked, with no size announced', async () => {
    for (const [name, path, limit] of postRoutes) {
      const delivery = await sendLargeBody(path, { bytes: 300 * MB, chunked: true });
      // Dropped at the limit, or answered by a route that reads no body, and then closed: never taken in whole.
      expect(delivery.bytesSent, `${name}: ${delivery.status ?? delivery.error}`).toBeLessThan(Math.min(limit, undeclaredBodyMaxBytes) + 40 * MB);
    }
  });

  it('say why in the language of the review form, and in the shape of an action error for actions', async () => {
    // Content-Length larger than the body sent: the server answers from the header alone.
    const formText = await postAndRead(`/r/${unknownToken}?_action=review.submit`, reviewFormLimits.postMaxBytes + MB, { 'Accept-Language': 'uk' });
    expect(formText.status).toBe(413);
    expect(formText.body).toContain('Форма завелика');
    const action = await postAndRead('/_actions/review.submit', reviewFormLimits.postMaxBytes + MB, {});
    expect(action.status).toBe(413);
    expect(JSON.parse(action.body)).toMatchObject({ type: 'AstroActionError', code: 'CONTENT_TOO_LARGE' });
    const signIn = await postAndRead('/admin/sign-in', MB, {});
    expect(signIn.status).toBe(413);
    expect(signIn.body).toContain('at most 256 KB');
    expect(signIn.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('leave the server’s memory flat: several 300 MB posts, declared and chunked, on every route', async () => {
    const attack = async (bytes: number) => {
      for (const [, path] of postRoutes) {
        await sendLargeBody(path, { bytes, chunked: false });
        await sendLargeBody(path, { bytes, chunked: true });
      }
    };
    // Small posts first load every route's code: memory a server spends once, whatever it is sent.
    await attack(100);
    const baseline = residentBytes(app.pid);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, residentBytes(app.pid))), 20);
    try {
      for (let round = 0; round < 2; round++) await attack(300 * MB);
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, residentBytes(app.pid));
    expect((peak - baseline) / MB, `grew from ${Math.round(baseline / MB)} MB to ${Math.round(peak / MB)} MB`).toBeLessThan(50);
  });
});

/** Posts a Content-Length of `declared` bytes and reads the answer (the server answers from the header). */
function postAndRead(path: string, declared: number, headers: Record<string, string>): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const target = new URL(app.url);
  return new Promise((resolve, reject) => {
    const outgoing = request({
      host: target.hostname,
      port: target.port,
      path,
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: app.url, 'Content-Length': String(declared), ...headers },
    });
    outgoing.on('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => {
        outgoing.destroy();
        resolve({ status: response.statusCode!, body, headers: response.headers });
      });
    });
    outgoing.on('error', reject);
    outgoing.write('email=a');
  });
}

describe('posts within the limits', () => {
  let cookie = '';

  it('sign in, and an admin form post goes through', async () => {
    cookie = await signInAdmin(app);
    const page = await fetch(`${app.url}/admin/`, { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
  });

  it('take a review with a photo of 4 MB and more through the form', async () => {
    const photo = await createJpegLargerThan(3 * MB);
    expect(photo.byteLength).toBeGreaterThan(4 * MB);
    expect(photo.byteLength).toBeLessThanOrEqual(reviewFormLimits.photoMaxBytes);
    const form = new FormData();
    form.set('token', reviewToken);
    form.set('lang', 'en');
    form.set('rating', '5');
    form.set('body', 'Support answered within five minutes and explained everything.');
    form.set('nameDisplay', 'first_initial');
    form.set('consent', 'on');
    form.set('photo', new File([new Uint8Array(photo)], 'me.jpg', { type: 'image/jpeg' }));
    const response = await fetch(`${app.url}/r/${reviewToken}?_action=review.submit`, { method: 'POST', body: form, headers: { Origin: app.url }, redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toContain('saved=1');
    const [stored] = await db.select().from(reviews).where(eq(reviews.body, 'Support answered within five minutes and explained everything.'));
    expect(stored?.photoPath).toMatch(/\.webp$/);

    // The marketer rejects it from the admin page: an admin form post within its limit.
    const rejected = await fetch(`${app.url}/admin/?_action=admin.reject`, {
      method: 'POST',
      body: new URLSearchParams({ reviewId: String(stored!.id), version: String(stored!.updatedAt.getTime()), reason: 'off_topic' }),
      headers: { Origin: app.url, Cookie: cookie },
      redirect: 'manual',
    });
    expect(rejected.status).toBe(303);
    const [after] = await db.select().from(reviews).where(eq(reviews.id, stored!.id));
    expect(after?.status).toBe('rejected');
  });

  it('take a signed webhook, an unsubscribe and a sign-out', async () => {
    const body = JSON.stringify({ email: 'webhook@example.com', score: 9 });
    const timestamp = Math.floor(Date.now() / 1000);
    const webhook = await fetch(`${app.url}/api/nps`, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json', 'X-Review-Wall-Timestamp': String(timestamp), 'X-Review-Wall-Signature': signWebhookBody(webhookSecret, timestamp, body) },
    });
    expect(webhook.status).toBe(201);
    // A mail provider's one-click unsubscribe (RFC 8058), body and all.
    const unsubscribe = await fetch(`${app.url}/r/${reviewToken}/unsubscribe`, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(unsubscribe.status).toBe(200);
    const signOut = await fetch(`${app.url}/admin/sign-out`, { method: 'POST', body: new URLSearchParams({ everywhere: '1' }), headers: { Origin: app.url, Cookie: cookie }, redirect: 'manual' });
    expect(signOut.status).toBe(303);
    expect((await fetch(`${app.url}/admin/`, { headers: { Cookie: cookie }, redirect: 'manual' })).status).toBe(303);
  });

  it('still reach a chunked body within the limit (a webhook sent without Content-Length)', async () => {
    const body = JSON.stringify({ email: 'chunked@example.com', score: 10 });
    const timestamp = Math.floor(Date.now() / 1000);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(body));
        controller.close();
      },
    });
    const webhook = await fetch(`${app.url}/api/nps`, {
      method: 'POST',
      body: stream,
      duplex: 'half',
      headers: { 'Content-Type': 'application/json', 'X-Review-Wall-Timestamp': String(timestamp), 'X-Review-Wall-Signature': signWebhookBody(webhookSecret, timestamp, body) },
    } as RequestInit);
    expect(webhook.status).toBe(201);
  });
});
