import { request, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../helpers/app.ts';

// The site behind a TLS-terminating proxy at an https SITE_URL, as browsers reach it: every kind of
// answer must tell them to keep to https (HSTS), and the session cookie must carry the __Host-
// prefix. A site on plain http (local development) must do neither.

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  cookies: string[];
}

/**
 * One request to the running app. `declaredBytes` declares a body of that size and sends none of
 * it (the server's body limit answers first).
 */
function send(
  app: RunningApp,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; declaredBytes?: number } = {},
): Promise<Answer> {
  const target = new URL(app.url);
  return new Promise((resolve, reject) => {
    const body = options.body ?? '';
    const outgoing = request(
      {
        host: target.hostname,
        port: target.port,
        path,
        method: options.method ?? 'GET',
        headers: { 'Content-Length': String(options.declaredBytes ?? Buffer.byteLength(body)), ...options.headers },
      },
      (response) => {
        response.resume();
        resolve({ status: response.statusCode!, headers: response.headers, cookies: response.headers['set-cookie'] ?? [] });
        outgoing.destroy();
      },
    );
    outgoing.on('error', reject);
    if (options.declaredBytes === undefined) outgoing.end(body);
    else outgoing.flushHeaders();
  });
}

const publicUrl = 'https://reviews.example.com';
/** What the proxy adds to a request from `address`. */
const viaProxy = (address: string, extra: Record<string, string> = {}) => ({
  host: 'reviews.example.com',
  'x-forwarded-proto': 'https',
  'x-forwarded-for': address,
  origin: publicUrl,
  ...extra,
});
const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe('with an https SITE_URL behind a proxy', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp({ env: { TRUST_PROXY: '1', SITE_URL: publicUrl } });
  }, 120_000);
  afterAll(() => app?.stop());

  const expectHttpsHeaders = (answer: Answer, what: string) => {
    // A year, for this host only (see security-headers.ts for why not includeSubDomains).
    expect(answer.headers['strict-transport-security'], what).toBe('max-age=31536000');
    expect(answer.headers['content-security-policy'], what).toContain("frame-ancestors 'none'");
    // No cookie ever goes out under the name without the prefix.
    for (const cookie of answer.cookies) expect(cookie, what).toMatch(/^__Host-review_wall_session=/);
  };

  it('sends HSTS on static pages, on-demand pages, 404s, 413s and 429s', async () => {
    const staticPage = await send(app, '/', { headers: viaProxy('203.0.113.10') });
    expect(staticPage.status).toBe(200);
    expectHttpsHeaders(staticPage, 'static page');
    const feed = await send(app, '/testimonials.json', { headers: viaProxy('203.0.113.10') });
    expect(feed.status).toBe(200);
    expectHttpsHeaders(feed, 'feed');

    const onDemand = await send(app, '/admin/sign-in', { headers: viaProxy('203.0.113.10') });
    expect(onDemand.status).toBe(200);
    expectHttpsHeaders(onDemand, 'on-demand page');

    for (const path of ['/no/such/page/', '/testimonials/999999/', '/r/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa']) {
      const missing = await send(app, path, { headers: viaProxy('203.0.113.10') });
      expect(missing.status, path).toBe(404);
      expectHttpsHeaders(missing, `404 ${path}`);
    }

    const tooLarge = await send(app, '/admin/sign-in', { method: 'POST', headers: { ...viaProxy('203.0.113.11'), ...form }, declaredBytes: 50 * 1024 * 1024 });
    expect(tooLarge.status).toBe(413);
    expectHttpsHeaders(tooLarge, '413');

    // 20 sign-in attempts per address in 15 minutes, then 429.
    let refused: Answer | undefined;
    for (let attempt = 0; attempt < 21; attempt++) {
      const body = new URLSearchParams({ email: `guess-${attempt}@example.com`, password: 'wrong password' }).toString();
      refused = await send(app, '/admin/sign-in', { method: 'POST', headers: { ...viaProxy('198.51.100.77'), ...form }, body });
    }
    expect(refused!.status).toBe(429);
    expectHttpsHeaders(refused!, '429');
  });

  it('signs in with a __Host- cookie (Secure, Path=/, no Domain) on a redirect with HSTS, and reads only that cookie', async () => {
    const guarded = await send(app, '/admin/', { headers: viaProxy('203.0.113.20') });
    expect(guarded.status).toBe(303);
    expectHttpsHeaders(guarded, 'redirect to sign-in');

    const body = new URLSearchParams({ email: app.adminEmail!, password: app.adminPassword! }).toString();
    const signedIn = await send(app, '/admin/sign-in', { method: 'POST', headers: { ...viaProxy('203.0.113.20'), ...form }, body });
    expect(signedIn.status).toBe(303);
    expectHttpsHeaders(signedIn, 'sign-in redirect');
    expect(signedIn.cookies).toHaveLength(1);
    const [cookie] = signedIn.cookies;
    const attributes = cookie!.split(';').map((part) => part.trim().toLowerCase());
    expect(attributes).toContain('secure');
    expect(attributes).toContain('path=/');
    expect(attributes).toContain('httponly');
    expect(attributes.some((attribute) => attribute.startsWith('domain'))).toBe(false);
    const pair = cookie!.split(';')[0]!;

    const admin = await send(app, '/admin/', { headers: viaProxy('203.0.113.20', { cookie: pair }) });
    expect(admin.status).toBe(200);
    expectHttpsHeaders(admin, 'admin page');
    // The same token under the bare name is not a session on https.
    const bare = await send(app, '/admin/', { headers: viaProxy('203.0.113.20', { cookie: pair.replace(/^__Host-/, '') }) });
    expect(bare.status).toBe(303);

    const signedOut = await send(app, '/admin/sign-out', { method: 'POST', headers: { ...viaProxy('203.0.113.20', { cookie: pair }), ...form } });
    expect(signedOut.status).toBe(303);
    expectHttpsHeaders(signedOut, 'sign-out redirect');
    expect(signedOut.cookies.join('\n')).toMatch(/^__Host-review_wall_session=;.*Max-Age=0/im);
  });
});

describe('with a plain http SITE_URL (local development)', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp();
  }, 120_000);
  afterAll(() => app?.stop());

  it('sends no HSTS, and keeps the bare cookie name, without Secure', async () => {
    for (const path of ['/', '/admin/sign-in', '/no/such/page/']) {
      const answer = await send(app, path);
      expect(answer.headers['strict-transport-security'], path).toBeUndefined();
      expect(answer.headers['content-security-policy'], path).toContain("frame-ancestors 'none'");
      // Public pages go without Cross-Origin-Opener-Policy (see adminPageHeaders); admin pages have it.
      expect(answer.headers['cross-origin-opener-policy'], path).toBeUndefined();
    }
    const body = new URLSearchParams({ email: app.adminEmail!, password: app.adminPassword! }).toString();
    const signedIn = await send(app, '/admin/sign-in', { method: 'POST', headers: { origin: app.url, ...form }, body });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers['strict-transport-security']).toBeUndefined();
    expect(signedIn.cookies[0]).toMatch(/^review_wall_session=/);
    expect(signedIn.cookies[0]).not.toMatch(/;\s*secure/i);
    const admin = await send(app, '/admin/', { headers: { cookie: signedIn.cookies[0]!.split(';')[0]! } });
    expect(admin.status).toBe(200);
    expect(admin.headers['cross-origin-opener-policy']).toBe('same-origin');
  });
});
