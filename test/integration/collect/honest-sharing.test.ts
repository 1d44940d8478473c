import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../db/client.ts';
import { sharingStrings } from '../../../src/lib/i18n/sharing.ts';
import { startApp, type RunningApp } from '../../helpers/app.ts';
import { writeConfigVariant } from '../../helpers/config.ts';
import { createReviewLink } from '../../helpers/review-links.ts';

// Honest sharing: after sending a review, every reviewer is offered the business's public review
// profiles with their own text to copy, whatever their rating. Showing them only to happy
// reviewers would be review gating, which Google forbids; so the page must not depend on the rating.

const profiles = [
  { site: 'G2', url: 'https://www.g2.com/products/acme-helpdesk/reviews' },
  { site: 'Trustpilot', url: 'https://www.trustpilot.com/review/acme.example' },
];

let configDirectory: string;
let app: RunningApp;
let db: Database;
beforeAll(async () => {
  configDirectory = mkdtempSync(join(tmpdir(), 'review-wall-sharing-'));
  const config = writeConfigVariant(configDirectory, (config) => ({ ...config, sharing: { profiles } }));
  app = await startApp({ args: ['--no-demo'], env: { REVIEW_WALL_CONFIG: config, SUBMISSION_RATE_LIMIT_PER_IP: '100000' } });
  db = await openDatabase({ url: app.env.DATABASE_URL! });
}, 120_000);
afterAll(async () => {
  db?.$client.close();
  await app?.stop();
  rmSync(configDirectory, { recursive: true, force: true });
});

/** Sends a review as a browser without JavaScript does, and returns the thank-you page it is sent to. */
async function sendReview(token: string, rating: number, body: string, lang = 'uk'): Promise<string> {
  const form = new FormData();
  for (const [name, value] of Object.entries({ token, lang, rating: String(rating), body, nameDisplay: 'first_initial', role: '', company: '', consent: 'on' })) form.set(name, value);
  form.set('photo', new File([], '', { type: 'application/octet-stream' }));
  const posted = await fetch(`${app.url}/r/${token}?_action=review.submit`, { method: 'POST', body: form, headers: { Origin: app.url }, redirect: 'manual' });
  expect(posted.status).toBe(303);
  const location = posted.headers.get('location')!;
  expect(location).toContain('saved=1');
  const page = await fetch(new URL(location, app.url));
  expect(page.status).toBe(200);
  return page.text();
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&#39;').replace(/"/g, '&quot;');

describe('honest sharing after a review', () => {
  it('shows a 1-star and a 5-star reviewer the very same page, apart from their own review', async () => {
    const unhappy = await createReviewLink(db, { locale: 'uk' });
    const happy = await createReviewLink(db, { locale: 'uk' });
    const unhappyText = 'Support took three days to answer & never fixed my problem.';
    const happyText = 'Support answered in five minutes and fixed everything.';
    const low = await sendReview(unhappy.token, 1, unhappyText);
    const high = await sendReview(happy.token, 5, happyText);

    const t = sharingStrings('uk');
    for (const [html, text] of [[low, unhappyText], [high, happyText]] as const) {
      expect(html).toContain(t.heading);
      expect(html).toMatch(new RegExp(`<textarea[^>]*readonly[^>]*>${escapeHtml(text).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</textarea>`));
      for (const profile of profiles) expect(html).toContain(`href="${profile.url}"`);
    }

    // Take out what is the reviewer's own: their link, their text, and which star is checked.
    const normalise = (html: string, token: string, text: string, rating: number) =>
      html
        .replaceAll(token, 'TOKEN')
        .replaceAll(escapeHtml(text), 'TEXT')
        .replace(new RegExp(`(<input[^>]*name="rating"[^>]*value="${rating}"[^>]*?) checked`, 'g'), '$1')
        .replace(new RegExp(`(<input[^>]*?) checked([^>]*name="rating"[^>]*value="${rating}")`, 'g'), '$1$2');
    const lowNormalised = normalise(low, unhappy.token, unhappyText, 1);
    const highNormalised = normalise(high, happy.token, happyText, 5);
    expect(lowNormalised).not.toContain('TEXT TEXT');
    expect(lowNormalised).toContain('TEXT');
    expect(lowNormalised).toBe(highNormalised);
  });

  it('offers the profiles in the reviewer’s language', async () => {
    const link = await createReviewLink(db, { locale: 'lv' });
    const html = await sendReview(link.token, 3, 'Labs atbalsts, bet lietotne varētu būt ātrāka.', 'lv');
    const t = sharingStrings('lv');
    expect(html).toContain(t.heading);
    expect(html).toContain('Publicēt vietnē G2');
  });
});

describe('without profiles in the config', () => {
  let plain: RunningApp;
  let plainDb: Database;
  beforeAll(async () => {
    plain = await startApp({ args: ['--no-demo'] });
    plainDb = await openDatabase({ url: plain.env.DATABASE_URL! });
  }, 120_000);
  afterAll(async () => {
    plainDb?.$client.close();
    await plain?.stop();
  });

  it('shows no sharing section at all', async () => {
    const link = await createReviewLink(plainDb, { locale: 'en' });
    const form = new FormData();
    for (const [name, value] of Object.entries({ token: link.token, lang: 'en', rating: '5', body: 'Quick and friendly support, thank you.', nameDisplay: 'anonymous', consent: 'on' })) form.set(name, value);
    const posted = await fetch(`${plain.url}/r/${link.token}?_action=review.submit`, { method: 'POST', body: form, headers: { Origin: plain.url }, redirect: 'manual' });
    expect(posted.status).toBe(303);
    const html = await (await fetch(new URL(posted.headers.get('location')!, plain.url))).text();
    expect(html).toContain('Thank you! Your review has been saved.');
    expect(html).not.toContain('data-share');
    expect(html).not.toContain(sharingStrings('en').heading);
  });
});
