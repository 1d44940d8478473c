import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../db/client.ts';
import { contacts } from '../../../db/schema.ts';
import { createReviewRequest } from '../../../src/lib/server/ask/review-requests.ts';
import { startApp, type RunningApp } from '../../helpers/app.ts';

describe('one-click unsubscribe at /r/TOKEN/unsubscribe', () => {
  let app: RunningApp;
  let db: Database;
  let counter = 0;

  /** A contact with a review link, as npm run invite leaves it. */
  async function invitedContact(locale = 'pl') {
    counter++;
    const [contact] = await db.insert(contacts).values({ email: `unsubscribe-${counter}@example.test`, name: 'Anna', locale }).returning({ id: contacts.id });
    const request = await createReviewRequest(db, { contactId: contact!.id, responseId: null, locale, lifetimeDays: 30, terms: { audience: 'promoters', incentive: 'a $10 gift card' } });
    return { contactId: contact!.id, token: request!.token };
  }
  async function unsubscribedAt(contactId: number) {
    const result = await db.$client.execute({ sql: 'select unsubscribed_at from contacts where id = ?', args: [contactId] });
    return result.rows[0]?.unsubscribed_at ?? null;
  }

  beforeAll(async () => {
    app = await startApp();
    db = await openDatabase({ url: app.env.DATABASE_URL! });
  });
  afterAll(async () => {
    db?.$client.close();
    await app?.stop();
  });

  it('GET shows a localized question with a POST button and changes nothing (mail scanners prefetch links)', async () => {
    const { contactId, token } = await invitedContact('pl');
    for (let visit = 0; visit < 2; visit++) {
      const response = await fetch(`${app.url}/r/${token}/unsubscribe`);
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain('<html lang="pl"');
      expect(html).toContain('Czy chcesz przestać otrzymywać wiadomości od Acme Support Desk?');
      expect(html).toMatch(/<form method="post"[^>]*>/);
      expect(html).toContain('Wypisz mnie</button>');
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
    expect(await unsubscribedAt(contactId)).toBeNull();
  });

  it('a one-click POST from a mail provider (RFC 8058, no Origin header) unsubscribes', async () => {
    const { contactId, token } = await invitedContact('uk');
    const response = await fetch(`${app.url}/r/${token}/unsubscribe`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(response.status).toBe(200);
    // It stops surveys and reminders too (the contact is unsubscribed), and the page says so.
    expect(await response.text()).toContain('Ви відписалися. Acme Support Desk більше не надсилатиме вам опитувань і прохань про відгук.');
    expect(await unsubscribedAt(contactId)).not.toBeNull();
  });

  it('a multipart one-click POST with a foreign Origin works too, and repeating it keeps the first time', async () => {
    const { contactId, token } = await invitedContact('en');
    const form = new FormData();
    form.set('List-Unsubscribe', 'One-Click');
    const first = await fetch(`${app.url}/r/${token}/unsubscribe`, { method: 'POST', headers: { Origin: 'https://mail.example' }, body: form });
    expect(first.status).toBe(200);
    const firstTime = await unsubscribedAt(contactId);
    expect(firstTime).not.toBeNull();
    const again = await fetch(`${app.url}/r/${token}/unsubscribe`, { method: 'POST', headers: { Origin: 'https://mail.example' }, body: form });
    expect(again.status).toBe(200);
    expect(await unsubscribedAt(contactId)).toBe(firstTime);
  });

  it('the page button (a same-origin form post) unsubscribes', async () => {
    const { contactId, token } = await invitedContact('lv');
    const response = await fetch(`${app.url}/r/${token}/unsubscribe`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: app.url },
      body: '',
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Gatavs: Acme Support Desk jums vairs nesūtīs aptaujas un lūgumus pēc atsauksmes.');
    expect(await unsubscribedAt(contactId)).not.toBeNull();
  });

  it('an unknown or forged token gets a 404 page, for GET and POST', async () => {
    for (const method of ['GET', 'POST']) {
      const response = await fetch(`${app.url}/r/${'a'.repeat(32)}/unsubscribe`, {
        method,
        ...(method === 'POST' ? { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' } : {}),
      });
      expect(response.status, method).toBe(404);
      expect(await response.text()).toContain('This link is not valid.');
    }
  });

  it('keeps Astro refusing cross-site form posts everywhere else', async () => {
    const { token } = await invitedContact('en');
    const response = await fetch(`${app.url}/r/${token}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' },
      body: 'rating=5',
    });
    expect(response.status).toBe(403);
  });

  it('does not let the one-click exemption carry a cross-site action call (?_action=…)', async () => {
    const { contactId, token } = await invitedContact('en');
    for (const action of ['admin.approve', 'adminErasure.erase', 'adminPublish.start', 'review.submit']) {
      const response = await fetch(`${app.url}/r/${token}/unsubscribe?_action=${action}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(response.status, action).toBe(403);
    }
    expect(await unsubscribedAt(contactId)).toBeNull();
  });

  it('the NPS webhook answers 503 with a clear message while NPS_WEBHOOK_SECRET is unset', async () => {
    const response = await fetch(`${app.url}/api/nps`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: 'the NPS webhook is off: set NPS_WEBHOOK_SECRET on the server to turn it on' });
  });
});
