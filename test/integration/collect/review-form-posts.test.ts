import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../db/client.ts';
import { incentives, reviews } from '../../../db/schema.ts';
import { startApp, type RunningApp } from '../../helpers/app.ts';
import { createReviewLink } from '../../helpers/review-links.ts';

// The site server stores a plain urlencoded review form post itself when it is saved, and leaves
// every other case to Astro (review-form-posts.ts). Whichever answers, a reviewer must see the same:
// each case is posted once urlencoded (the direct path) and once multipart (always Astro).
let app: RunningApp;
let db: Database;
beforeAll(async () => {
  app = await startApp({ args: ['--no-demo'], env: { SUBMISSION_RATE_LIMIT_PER_IP: '100000' } });
  db = await openDatabase({ url: app.env.DATABASE_URL! });
}, 120_000);
afterAll(async () => {
  db?.$client.close();
  await app?.stop();
});

type Encoding = 'urlencoded' | 'multipart';

function post(encoding: Encoding, token: string, fields: Record<string, string | null> = {}, origin = app.url): Promise<Response> {
  const values: Record<string, string | null> = {
    token,
    lang: 'uk',
    rating: '5',
    body: 'Підтримка відповіла за п’ять хвилин і все пояснила.',
    nameDisplay: 'first_initial',
    role: 'Менеджерка з підтримки',
    company: 'Сонях & Co',
    consent: 'on',
    ...fields,
  };
  const entries = Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== null);
  let body: URLSearchParams | FormData;
  if (encoding === 'urlencoded') body = new URLSearchParams(entries);
  else {
    body = new FormData();
    for (const [name, value] of entries) body.set(name, value);
    body.set('photo', new File([], '', { type: 'application/octet-stream' }));
  }
  return fetch(`${app.url}/r/${token}?_action=review.submit`, { method: 'POST', body, headers: { Origin: origin }, redirect: 'manual' });
}

async function storedFor(requestId: number) {
  const [review] = await db.select().from(reviews).where(eq(reviews.requestId, requestId));
  const ledger = review ? await db.select().from(incentives).where(eq(incentives.reviewId, review.id)) : [];
  return { review, incentives: ledger.length };
}

/** What a reviewer can tell of an answer: status, where it leads, the headers that matter, the page's words. */
async function seen(response: Response, token: string) {
  const headers = Object.fromEntries([...response.headers].filter(([name]) => !['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length'].includes(name)));
  const text = (await response.text()).replaceAll(token, 'TOKEN');
  return { status: response.status, headers: { ...headers, location: headers.location?.replace(token, 'TOKEN') }, text };
}

describe('a review form post answers the same urlencoded (stored by the site server) as multipart (by Astro)', () => {
  it('saves: 303 to the saved page with the security headers, one review, one incentive', async () => {
    const results = [];
    for (const encoding of ['urlencoded', 'multipart'] as const) {
      const link = await createReviewLink(db);
      const response = await post(encoding, link.token);
      if (encoding === 'urlencoded') {
        // Answered by the site server itself, not streamed by Astro: the direct path was taken.
        expect(response.headers.get('content-length')).toBe('0');
      } else expect(response.headers.get('transfer-encoding')).toBe('chunked');
      const { review, incentives: count } = await storedFor(link.requestId);
      results.push({
        answer: await seen(response, link.token),
        review: review && { rating: review.rating, body: review.body, nameDisplay: review.nameDisplay, role: review.role, company: review.company, locale: review.locale, status: review.status, photoPath: review.photoPath },
        incentives: count,
      });
    }
    expect(results[0]!.answer.status).toBe(303);
    expect(results[0]!.answer.headers.location).toBe('/r/TOKEN?lang=uk&saved=1');
    expect(results[0]!.incentives).toBe(1);
    expect(results[0]).toEqual(results[1]);
  });

  it.each([
    ['a text too short', { body: 'Закоротко.' }],
    ['no consent', { consent: null }],
    ['no rating', { rating: '' }],
    ['rating 6', { rating: '6' }],
    ['an unknown name choice', { nameDisplay: 'nickname' }],
    ['a form in a language the site does not speak', { lang: 'xx' }],
  ])('%s: the same page (or redirect) and the same stored review', async (_, fields) => {
    const results = [];
    for (const encoding of ['urlencoded', 'multipart'] as const) {
      const link = await createReviewLink(db);
      const response = await post(encoding, link.token, fields);
      const stored = await storedFor(link.requestId);
      results.push({ answer: await seen(response, link.token), stored: stored.review ? { rating: stored.review.rating, locale: stored.review.locale } : null, incentives: stored.incentives });
    }
    expect(results[0]).toEqual(results[1]);
  });

  it('for a moderated, an expired or an unknown link: the same page, and nothing written twice', async () => {
    for (const state of ['moderated', 'expired', 'unknown'] as const) {
      const results = [];
      for (const encoding of ['urlencoded', 'multipart'] as const) {
        const link = await createReviewLink(db, { expired: state === 'expired' });
        if (state === 'moderated') {
          expect((await post(encoding, link.token, { rating: '3' })).status).toBe(303);
          await db.update(reviews).set({ status: 'approved', moderatedAt: new Date() }).where(eq(reviews.requestId, link.requestId));
        }
        const token = state === 'unknown' ? 'a'.repeat(32) : link.token;
        const response = await post(encoding, token);
        const stored = await storedFor(link.requestId);
        results.push({ answer: await seen(response, token), stored: stored.review ? { rating: stored.review.rating, status: stored.review.status } : null, incentives: stored.incentives });
      }
      expect(results[0], state).toEqual(results[1]);
      expect(results[0]!.answer.status, state).not.toBe(303);
    }
  });

  it('past the link limit: the first refused post shows what was typed, later ones are turned away; counted the same', async () => {
    const results = [];
    for (const encoding of ['urlencoded', 'multipart'] as const) {
      const link = await createReviewLink(db);
      for (let attempt = 0; attempt < 10; attempt++) expect((await post(encoding, link.token)).status).toBe(303);
      const first = await post(encoding, link.token, { body: 'Текст, який не можна загубити через ліміт.' });
      const firstAnswer = await seen(first, link.token);
      expect(firstAnswer.status).toBe(429);
      expect(firstAnswer.text).toContain('Текст, який не можна загубити через ліміт.');
      const later = await seen(await post(encoding, link.token, { body: 'Ще одна спроба, яку вже не читають.' }), link.token);
      const [counter] = (await db.$client.execute({ sql: 'select count from rate_limits where key = ?', args: [`review-submit:request:${link.requestId}`] })).rows;
      results.push({
        first: { ...firstAnswer, headers: { ...firstAnswer.headers, 'retry-after': 'n' } },
        later: { ...later, headers: { ...later.headers, 'retry-after': 'n' } },
        counted: Number(counter?.[0]),
      });
    }
    expect(results[0]!.later.text).not.toContain('Ще одна спроба');
    expect(results[0]).toEqual(results[1]);
  });

  it('a cross-site urlencoded post is refused by Astro’s origin check and stores nothing', async () => {
    const link = await createReviewLink(db);
    const response = await post('urlencoded', link.token, {}, 'https://evil.example');
    expect(response.status).toBe(403);
    expect((await storedFor(link.requestId)).review).toBeUndefined();
  });
});
