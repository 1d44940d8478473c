import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../helpers/app.ts';

/** A sign-in post with the headers a reverse proxy (or a forger) would send. */
function postSignIn(app: RunningApp, headers: Record<string, string>, email = 'nobody@example.com'): Promise<{ status: number; body: string }> {
  const target = new URL(app.url);
  return new Promise((resolve, reject) => {
    const sent = request(
      { host: target.hostname, port: target.port, path: '/admin/sign-in', method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, body }));
      },
    );
    sent.on('error', reject);
    sent.end(new URLSearchParams({ email, password: 'wrong password' }).toString());
  });
}

const publicUrl = 'https://reviews.example.com';
const fromProxy = (forwardedFor: string) => ({
  host: 'reviews.example.com',
  'x-forwarded-proto': 'https',
  'x-forwarded-for': forwardedFor,
  origin: publicUrl,
});

describe('behind a TLS-terminating reverse proxy (TRUST_PROXY=1)', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp({ args: ['--no-demo'], env: { TRUST_PROXY: '1', SITE_URL: publicUrl } });
  }, 120_000);
  afterAll(() => app?.stop());

  it('accepts a form post from the public https origin and refuses one from another site', async () => {
    const accepted = await postSignIn(app, fromProxy('203.0.113.1'));
    expect(accepted.status).toBe(401);
    expect(accepted.body).toContain('That email and password do not match an account.');
    expect((await postSignIn(app, { ...fromProxy('203.0.113.1'), origin: 'https://evil.example' })).status).toBe(403);
  });

  it('counts rate limits per visitor, from the entry the proxy added, whatever the visitor forged before it', async () => {
    const statuses: number[] = [];
    // 20 sign-in attempts per address in 15 minutes; other emails each time, so only the address limit applies.
    for (let attempt = 0; attempt < 21; attempt++) {
      const forged = `10.0.0.${attempt}`;
      statuses.push((await postSignIn(app, fromProxy(`${forged}, 198.51.100.7`), `guess-${attempt}@example.com`)).status);
    }
    expect(statuses.slice(0, 20).every((status) => status === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
    // Another visitor behind the same proxy is not affected.
    expect((await postSignIn(app, fromProxy('198.51.100.8'), 'other@example.com')).status).toBe(401);
  });
});

describe('reached directly (TRUST_PROXY unset)', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp({ args: ['--no-demo'] });
  }, 120_000);
  afterAll(() => app?.stop());

  it('ignores X-Forwarded-For, so a client cannot dodge a rate limit by forging it', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 21; attempt++) {
      statuses.push((await postSignIn(app, { origin: app.url, 'x-forwarded-for': `192.0.2.${attempt}` }, `guess-${attempt}@example.com`)).status);
    }
    expect(statuses[19]).toBe(401);
    expect(statuses[20]).toBe(429);
  });

  it('turns a refused address away from the action endpoint before reading the body', async () => {
    const form = (token: string) => new URLSearchParams({ token, rating: '5', body: 'x'.repeat(40), nameDisplay: 'full', consent: 'on', lang: 'en' });
    // 60 review posts per address in 10 minutes (here, to links that do not exist: each shows the
    // not-found page), and the 61st is counted as refused.
    for (let post = 0; post < 61; post++) {
      const token = `${'a'.repeat(31)}${'abcdefghijklmnopqrstuvwxyz234567'[post % 32]}`;
      const response = await fetch(`${app.url}/r/${token}?_action=review.submit`, { method: 'POST', body: form(token), headers: { Origin: app.url }, redirect: 'manual' });
      expect(response.status).toBe(404);
    }
    // From now on a post to the action endpoint is answered before its body is read: this one never ends.
    const controller = new AbortController();
    const neverEnding = new ReadableStream<Uint8Array>({
      start(stream) {
        stream.enqueue(new TextEncoder().encode('token=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb&body='));
      },
    });
    const rpc = await fetch(`${app.url}/_actions/review.submit`, {
      method: 'POST',
      body: neverEnding,
      headers: { Origin: app.url, 'Content-Type': 'application/x-www-form-urlencoded' },
      signal: controller.signal,
      duplex: 'half',
    } as RequestInit);
    expect(rpc.status).toBe(429);
    expect(Number(rpc.headers.get('retry-after'))).toBeGreaterThan(0);
    // In the shape Astro's action client reads.
    expect(await rpc.json()).toMatchObject({ type: 'AstroActionError', code: 'TOO_MANY_REQUESTS', message: 'rateLimited' });
    controller.abort();
  });
});
