import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../db/client.ts';
import { signWebhookBody } from '../../../src/lib/server/listen/nps-webhook.ts';
import { signInAdmin, startApp, type RunningApp } from '../../helpers/app.ts';
import { writeConfigVariant } from '../../helpers/config.ts';

// The whole path through the real server (npm start): its startup publish and a signed NPS
// webhook call become events, its own tick delivers them (a signed webhook, a Slack message),
// and the admin's Deliveries page lists them and sends one again.

const received: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
const receiver = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    received.push({ path: request.url ?? '', headers: request.headers, body });
    response.writeHead(204).end();
  });
});

let app: RunningApp;
let db: Database;
let cookie: string;
let configDirectory: string;
let base: string;
const npsSecret = randomBytes(32).toString('hex');

beforeAll(async () => {
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  configDirectory = mkdtempSync(join(tmpdir(), 'review-wall-deliveries-'));
  const config = writeConfigVariant(configDirectory, (input) => ({
    ...input,
    notifications: { webhooks: [{ url: `${base}/hooks/crm?token=abc`, events: ['site.published', 'nps.answered'], secretEnv: 'CRM_WEBHOOK_SECRET' }] },
  }));
  app = await startApp({
    env: {
      REVIEW_WALL_CONFIG: config,
      CRM_WEBHOOK_SECRET: `whsec_${randomBytes(32).toString('base64')}`,
      SLACK_WEBHOOK_URL: `${base}/services/T1/B1/slack-secret-path`,
      NPS_WEBHOOK_SECRET: npsSecret,
      TICK_INTERVAL_SECONDS: '1',
    },
  });
  db = await openDatabase({ url: app.env.DATABASE_URL! });
  cookie = await signInAdmin(app);
}, 180_000);

afterAll(async () => {
  db?.$client.close();
  await app?.stop();
  receiver.closeAllConnections();
  await new Promise<void>((done) => receiver.close(() => done()));
  rmSync(configDirectory, { recursive: true, force: true });
});

async function until<T>(what: string, check: () => T | undefined | false): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; server output:\n${app.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const sendAgain = (deliveryId: number, headers: Record<string, string>) => {
  const body = new FormData();
  body.set('deliveryId', String(deliveryId));
  return fetch(`${app.url}/admin/deliveries/?_action=adminNotifications.sendAgain`, { method: 'POST', body, headers: { Origin: app.url, ...headers }, redirect: 'manual' });
};

describe('notifications through the running server', () => {
  it('delivers the startup publish and a webhook NPS answer: signed to the endpoint, as a message to Slack', async () => {
    const published = await until('site.published', () => received.find((request) => request.path === '/hooks/crm?token=abc' && request.body.includes('"site.published"')));
    expect(published.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(published.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);

    const body = JSON.stringify({ email: 'unhappy@example.com', score: 2, comment: 'Too slow' });
    const timestamp = Math.floor(Date.now() / 1000);
    const answered = await fetch(`${app.url}/api/nps`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Review-Wall-Timestamp': String(timestamp), 'X-Review-Wall-Signature': signWebhookBody(npsSecret, timestamp, body) },
      body,
    });
    expect(answered.status).toBeLessThan(300);
    const slack = await until('the Slack message', () => received.find((request) => request.path === '/services/T1/B1/slack-secret-path'));
    expect(JSON.parse(slack.body).text).toContain(':red_circle: *Detractor*: 2/10 from unhappy@example.com');
    expect(JSON.parse(slack.body).text).toContain(`<${app.url}/admin/follow-up/|`);
    const hook = await until('nps.answered', () => received.find((request) => request.body.includes('"nps.answered"')));
    expect(JSON.parse(hook.body)).toMatchObject({ type: 'nps.answered', data: { score: 2, comment: 'Too slow', contact: { email: 'unhappy@example.com' } } });
  });

  it('lists deliveries only for signed-in marketers, never shows the Slack URL, and Send again repeats one under the same webhook-id', async () => {
    const anonymous = await fetch(`${app.url}/admin/deliveries/`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toContain('/admin/sign-in');

    const { rows } = await db.$client.execute(
      "select d.id, d.event_id from webhook_deliveries d join outbox_events e on e.id = d.event_id where e.type = 'site.published' and d.status = 'delivered'",
    );
    const delivery = { id: Number(rows[0]!.id), eventId: String(rows[0]!.event_id) };
    expect((await sendAgain(delivery.id, {})).status).toBe(401);
    // Another site's form cannot post it (Astro's origin check).
    expect((await sendAgain(delivery.id, { Cookie: cookie, Origin: 'https://evil.example' })).status).toBe(403);

    const html = await fetch(`${app.url}/admin/deliveries/`, { headers: { Cookie: cookie } }).then((response) => response.text());
    expect(html).toContain('href="/admin/deliveries/"');
    expect(html).toMatch(new RegExp(`data-delivery="${delivery.id}" data-status="delivered"`));
    expect(html).toContain('site.published');
    expect(html).toContain(`127.0.0.1:${new URL(base).port}/hooks/crm?…`);
    expect(html).not.toContain('slack-secret-path');
    expect(html).not.toContain('token=abc');

    const before = received.filter((request) => request.headers['webhook-id'] === delivery.eventId).length;
    const response = await sendAgain(delivery.id, { Cookie: cookie });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/admin/deliveries/?queued=${delivery.id}`);
    await until('the repeat', () => received.filter((request) => request.headers['webhook-id'] === delivery.eventId).length === before + 1);
    const repeats = received.filter((request) => request.headers['webhook-id'] === delivery.eventId);
    expect(new Set(repeats.map((request) => request.body)).size).toBe(1);
    const audit = await db.$client.execute({ sql: "select actor_label from audit_log where action = 'delivery.send-again' and subject_id = ?", args: [delivery.id] });
    expect(audit.rows.map((row) => row.actor_label)).toEqual([app.adminEmail]);
    const after = await db.$client.execute({ sql: 'select count(*) as n from webhook_deliveries where event_id = ?', args: [delivery.eventId] });
    expect(Number(after.rows[0]!.n)).toBe(1);
  });
});
