import { eq } from 'drizzle-orm';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../db/client.ts';
import { incentives, reviewRequests, reviews } from '../../../db/schema.ts';
import { messagesFor } from '../../../src/lib/i18n/index.ts';
import { generateToken } from '../../../src/lib/tokens.ts';
import { projectRoot, startApp, type RunningApp } from '../../helpers/app.ts';
import { createJpeg, createPixelBomb } from '../../helpers/images.ts';
import { createReviewLink } from '../../helpers/review-links.ts';

// The review form through the real server (npm start), with JavaScript's help nowhere: plain form posts.
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

const formUrl = (token: string, query = '') => `${app.url}/r/${token}${query}`;

interface FormFields {
  rating?: string;
  body?: string;
  nameDisplay?: string;
  role?: string;
  company?: string;
  consent?: string | null;
  lang?: string;
  photo?: { bytes: Uint8Array; name: string; type: string };
}

/** Posts the form as a browser with JavaScript off would: multipart, to ?_action=review.submit. */
function post(token: string, fields: FormFields = {}, headers: Record<string, string> = {}): Promise<Response> {
  const form = new FormData();
  form.set('token', token);
  form.set('lang', fields.lang ?? 'uk');
  form.set('rating', fields.rating ?? '5');
  form.set('body', fields.body ?? 'Підтримка відповіла за п’ять хвилин і все пояснила.');
  form.set('nameDisplay', fields.nameDisplay ?? 'first_initial');
  form.set('role', fields.role ?? 'Менеджерка з підтримки');
  form.set('company', fields.company ?? 'Квітка');
  if (fields.consent !== null) form.set('consent', fields.consent ?? 'on');
  if (fields.photo) form.set('photo', new File([new Uint8Array(fields.photo.bytes)], fields.photo.name, { type: fields.photo.type }));
  else form.set('photo', new File([], '', { type: 'application/octet-stream' }));
  return fetch(`${formUrl(token)}?_action=review.submit`, { method: 'POST', body: form, headers: { Origin: app.url, ...headers }, redirect: 'manual' });
}

async function storedFor(requestId: number) {
  const found = await db.select().from(reviews).where(eq(reviews.requestId, requestId));
  const ledger = await db.select().from(incentives).innerJoin(reviews, eq(reviews.id, incentives.reviewId)).where(eq(reviews.requestId, requestId));
  return { reviews: found, incentives: ledger.map((row) => row.incentives) };
}

describe('review link states', () => {
  it('says a link is not valid in the language the browser asks for', async () => {
    const response = await fetch(formUrl('a'.repeat(32)), { headers: { 'Accept-Language': 'de-DE, uk;q=0.9, en;q=0.5' } });
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain('<html lang="uk"');
    expect(html).toContain(messagesFor('uk').reviewForm.notFoundTitle);
    const english = await (await fetch(formUrl('a'.repeat(32)), { headers: { 'Accept-Language': 'de-DE' } })).text();
    expect(english).toContain('<html lang="en"');
  });

  it('answers 404 "not valid" for unknown, forged and malformed tokens', async () => {
    for (const token of [generateToken(), 'a'.repeat(32), 'not-a-token', 'A'.repeat(32), '%27%20or%201%3D1']) {
      const response = await fetch(formUrl(token));
      expect(response.status, token).toBe(404);
      expect(await response.text()).toContain('This link is not valid');
    }
  });

  it('answers 410 for an expired link and says how to get a new one, in the contact’s language', async () => {
    const link = await createReviewLink(db, { expired: true, locale: 'pl' });
    const response = await fetch(formUrl(link.token));
    expect(response.status).toBe(410);
    const html = await response.text();
    expect(html).toContain('Ten link wygasł');
    expect(html).toContain('odpowiedz na e-mail z zaproszeniem');
  });

  it('records the first opening only, and a GET never creates or changes a review', async () => {
    const link = await createReviewLink(db);
    const first = await fetch(formUrl(link.token));
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const [opened] = await db.select().from(reviewRequests).where(eq(reviewRequests.id, link.requestId));
    expect(opened?.openedAt).toBeInstanceOf(Date);
    await fetch(formUrl(link.token, '?lang=en'));
    const [again] = await db.select().from(reviewRequests).where(eq(reviewRequests.id, link.requestId));
    expect(again).toEqual(opened);
    expect((await storedFor(link.requestId)).reviews).toHaveLength(0);

    await post(link.token);
    const [before] = await db.select().from(reviews).where(eq(reviews.requestId, link.requestId));
    await fetch(formUrl(link.token));
    await fetch(formUrl(link.token, '?_action=review.submit'));
    const [after] = await db.select().from(reviews).where(eq(reviews.requestId, link.requestId));
    expect(after).toEqual(before);
  });

  it('lets the reviewer edit a pending review through the same link, then shows the status after moderation', async () => {
    const link = await createReviewLink(db);
    const saved = await post(link.token, { rating: '4' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`/r/${link.token}?lang=uk&saved=1`);
    const thanks = await (await fetch(`${app.url}${saved.headers.get('location')}`)).text();
    expect(thanks).toContain('Дякуємо! Ваш відгук збережено.');
    expect(thanks).toContain('Підтримка відповіла за п’ять хвилин');
    expect(thanks).toMatch(/id="rating-4"[^>]*checked/);

    const edited = await post(link.token, { rating: '2', body: 'Насправді довелося чекати відповіді два дні.', lang: 'en' });
    expect(edited.status).toBe(303);
    const stored = await storedFor(link.requestId);
    expect(stored.reviews).toHaveLength(1);
    expect(stored.reviews[0]).toMatchObject({ rating: 2, locale: 'en', status: 'pending' });
    expect(stored.incentives).toHaveLength(1);

    await db.update(reviews).set({ status: 'approved', moderatedAt: new Date() }).where(eq(reviews.requestId, link.requestId));
    const approved = await fetch(formUrl(link.token));
    expect(approved.status).toBe(200);
    const approvedHtml = await approved.text();
    expect(approvedHtml).toContain('Your review has been approved');
    expect(approvedHtml).not.toContain('<form');
    await db.update(reviews).set({ status: 'rejected', rejectionReason: 'off-topic' }).where(eq(reviews.requestId, link.requestId));
    const rejectedHtml = await (await fetch(formUrl(link.token))).text();
    expect(rejectedHtml).toContain('your review will not be published');
    expect(rejectedHtml).not.toContain('off-topic');
    // The incentive, whatever the outcome: still to come, then sent, and the page says which.
    expect(rejectedHtml).toContain('You will receive a $10 gift card as promised, whatever the outcome.');
    const [review] = await db.select().from(reviews).where(eq(reviews.requestId, link.requestId));
    await db.update(incentives).set({ state: 'sent', sentAt: new Date('2026-12-21T09:30:00Z') }).where(eq(incentives.reviewId, review!.id));
    const thankedHtml = await (await fetch(formUrl(link.token))).text();
    expect(thankedHtml).toContain('As promised, whatever the outcome, we emailed you a $10 gift card on December 21, 2026.');
    expect(thankedHtml).not.toContain('You will receive');
    const latvian = await (await fetch(formUrl(link.token, '?lang=lv'))).text();
    expect(latvian).toContain('mēs jums e-pastā nosūtījām 10 $ dāvanu karti 2026. gada 21. decembrī.');

    const late = await post(link.token, { rating: '5' });
    expect(late.status).not.toBe(303);
    expect((await storedFor(link.requestId)).reviews[0]).toMatchObject({ rating: 2, status: 'rejected' });
  });
});

describe('the form page', () => {
  it('speaks the contact’s language, promises the incentive before any field, and previews each name choice', async () => {
    const link = await createReviewLink(db, { name: 'Olena Shevchenko', locale: 'uk' });
    const html = await (await fetch(formUrl(link.token))).text();
    expect(html).toContain('<html lang="uk"');
    const promise = html.indexOf('подарункову картку на 10 $');
    expect(promise).toBeGreaterThan(0);
    expect(promise).toBeLessThan(html.indexOf('name="rating"'));
    expect(html).toContain('не залежить ні від вашої оцінки');
    expect(html).toContain('Olena Shevchenko');
    expect(html).toContain('Olena S.');
    expect(html).toContain('Перевірений клієнт');
    for (const code of ['en', 'pl', 'ru', 'uk', 'lv', 'bg']) expect(html).toContain(`href="?lang=${code}"`);
    // The page names its customer: search engines are told to keep it out, even if the link leaks.
    expect(html).toContain('<meta name="robots" content="noindex, nofollow">');
  });

  it('is sent compressed to a browser that accepts it (br first, then gzip), and whole to one that does not', async () => {
    const link = await createReviewLink(db, { name: 'Jānis Ozols', locale: 'lv' });
    /** The raw answer, bytes as sent, to a GET with this Accept-Encoding (fetch would decode them). */
    const raw = (acceptEncoding: string | null) =>
      new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
        const url = new URL(formUrl(link.token));
        const headers: Record<string, string> = acceptEncoding === null ? {} : { 'Accept-Encoding': acceptEncoding };
        request(url, { headers }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
        })
          .on('error', reject)
          .end();
      });
    const plain = await raw(null);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const html = plain.body.toString('utf8');
    expect(html).toContain('Jānis Ozols');
    const brotli = await raw('gzip, deflate, br, zstd');
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers.vary).toMatch(/Accept-Encoding/i);
    expect(brotli.body.byteLength).toBeLessThan(html.length / 2);
    expect(brotliDecompressSync(brotli.body).toString('utf8')).toBe(html);
    expect(brotli.headers['content-security-policy']).toContain("default-src 'self'");
    const gzipped = await raw('br;q=0, gzip');
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.body).toString('utf8')).toBe(html);
    expect((await raw('identity')).headers['content-encoding']).toBeUndefined();
  });

  it('names the incentive the customer’s invitation promised, in the page’s language, not today’s config', async () => {
    const honey = await createReviewLink(db, {
      locale: 'uk',
      terms: { audience: 'promoters', incentive: 'a jar of honey', incentiveTranslations: { en: 'a jar of honey', uk: 'банку меду', pl: 'słoik miodu' } },
    });
    const ukrainian = await (await fetch(formUrl(honey.token))).text();
    expect(ukrainian).toContain('На подяку за ваш час ви отримаєте банку меду.');
    expect(ukrainian).not.toContain('подарункову картку');
    expect(await (await fetch(formUrl(honey.token, '?lang=pl'))).text()).toContain('otrzymasz słoik miodu.');
    // A language the invitation had no words for: its English promise, not today's gift.
    const russian = await (await fetch(formUrl(honey.token, '?lang=ru'))).text();
    expect(russian).toContain('вы получите a jar of honey.');
    expect(russian).not.toContain('подарочную карту');
  });

  it.each([
    ['en', 'How was your experience with'],
    ['pl', 'Jak oceniasz współpracę z'],
    ['ru', 'Как вам работа с'],
    ['lv', 'Kāda bija jūsu pieredze ar'],
    ['bg', 'Какъв беше опитът ви с'],
  ])('switches to %s with ?lang and keeps it in the form', async (code, heading) => {
    const link = await createReviewLink(db);
    const html = await (await fetch(formUrl(link.token, `?lang=${code}`))).text();
    expect(html).toContain(`<html lang="${code}"`);
    expect(html).toContain(heading);
    expect(html).toContain(`name="lang" value="${code}"`);
  });
});

describe('bad input keeps what was typed and stores nothing', () => {
  const cases: Array<[string, () => Promise<FormFields>, number, string]> = [
    ['a huge text field', async () => ({ body: 'Дуже довго. '.repeat(40_000) }), 400, 'Відгук має бути не довшим за 2000 символів.'],
    ['a missing consent', async () => ({ consent: null }), 400, 'Позначте згоду на публікацію відгуку.'],
    ['rating 0', async () => ({ rating: '0' }), 400, 'Виберіть оцінку від 1 до 5 зірок.'],
    ['rating 6', async () => ({ rating: '6' }), 400, 'Виберіть оцінку від 1 до 5 зірок.'],
    ['a text file named .jpg', async () => ({ photo: { bytes: new TextEncoder().encode('just text, not a photo'), name: 'me.jpg', type: 'image/jpeg' } }), 422, 'Цей файл не вдається прочитати як зображення.'],
    // A real JPEG with bytes after its end (decoders ignore them): only its size is wrong.
    ['a photo over 20 MB', async () => ({ photo: { bytes: Buffer.concat([await createJpeg(), Buffer.alloc(20 * 1024 * 1024)]), name: 'big.jpg', type: 'image/jpeg' } }), 400, 'Фото більше за 20 МБ.'],
    ['an iPhone HEIC photo', async () => ({ photo: { bytes: readFileSync(join(projectRoot, 'test', 'fixtures', 'iphone.heic')), name: 'IMG_0042.HEIC', type: 'image/heic' } }), 422, 'Це фото у форматі HEIC'],
    ['a pixel bomb', async () => ({ photo: { bytes: await createPixelBomb(), name: 'bomb.png', type: 'image/png' } }), 422, 'У зображенні забагато пікселів'],
  ];

  it.each(cases)('%s', async (_, fields, status, message) => {
    const link = await createReviewLink(db);
    const response = await post(link.token, { role: 'Керівниця відділу', company: 'Сонях & Co', ...(await fields()) });
    expect(response.status).toBe(status);
    const html = await response.text();
    expect(html).toContain(message);
    expect(html).toMatch(/<div class="error-summary"[^>]*role="alert"/);
    expect(html).toMatch(/aria-invalid="true"/);
    // What was typed is still there (the file input cannot be refilled, and the page says so when a file was chosen).
    expect(html).toContain('value="Керівниця відділу"');
    expect(html).toContain('value="Сонях &amp; Co"');
    expect(html).toContain('<html lang="uk"');
    if (/photo|pixel|\.jpg|HEIC/.test(_)) expect(html).toContain('виберіть його ще раз');
    const stored = await storedFor(link.requestId);
    expect(stored.reviews).toHaveLength(0);
    expect(stored.incentives).toHaveLength(0);
  });

  it('links each error in the summary to its field', async () => {
    const link = await createReviewLink(db);
    const html = await (await post(link.token, { rating: '', consent: null, body: 'short' })).text();
    expect(html).toContain('href="#rating-1"');
    expect(html).toContain('href="#body"');
    expect(html).toContain('href="#consent"');
    expect(html).toMatch(/id="body"[^>]*aria-describedby="body-hint body-error"/);
    expect(html).toContain('>short</textarea>');
  });

  it('refuses a body over the server limit (24 MB) without reading it, and says what to do in the browser’s language', async () => {
    const link = await createReviewLink(db);
    // Refused before the link or the form's language field are read: the browser's language it is.
    const response = await post(link.token, { photo: { bytes: new Uint8Array(25 * 1024 * 1024), name: 'huge.jpg', type: 'image/jpeg' } }, { 'Accept-Language': 'uk' });
    expect(response.status).toBe(413);
    expect(await response.text()).toContain('Форма завелика — зазвичай тому, що фото більше за 20 МБ.');
    expect((await storedFor(link.requestId)).reviews).toHaveLength(0);
  });

  it('answers 429 with a clear message once a link has been used too often', async () => {
    const link = await createReviewLink(db);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 11; attempt++) statuses.push((await post(link.token)).status);
    expect(statuses.slice(0, 10).every((status) => status === 303)).toBe(true);
    expect(statuses[10]).toBe(429);
    const html = await (await post(link.token)).text();
    expect(html).toContain('Забагато спроб за короткий час');
  });

  it('keeps what was typed on the first refused post, says when to retry, and turns later posts away unread', async () => {
    const link = await createReviewLink(db);
    for (let attempt = 0; attempt < 10; attempt++) expect((await post(link.token)).status).toBe(303);

    // The first post over the limit is read and counted: the page shows back what was typed.
    const first = await post(link.token, { body: 'Текст, який не можна загубити через ліміт.' });
    expect(first.status).toBe(429);
    expect(Number(first.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(first.headers.get('retry-after'))).toBeLessThanOrEqual(600);
    expect(await first.text()).toContain('Текст, який не можна загубити через ліміт.');

    // After that, a post is answered before its body is read: this body never ends.
    const controller = new AbortController();
    const neverEnding = new ReadableStream<Uint8Array>({
      start(stream) {
        stream.enqueue(new TextEncoder().encode(`token=${link.token}&rating=5&body=`));
      },
    });
    const unread = await fetch(`${formUrl(link.token)}?_action=review.submit`, {
      method: 'POST',
      body: neverEnding,
      headers: { Origin: app.url, 'Content-Type': 'application/x-www-form-urlencoded' },
      redirect: 'manual',
      signal: controller.signal,
      duplex: 'half',
    } as RequestInit);
    expect(unread.status).toBe(429);
    expect(Number(unread.headers.get('retry-after'))).toBeGreaterThan(0);
    const page = await unread.text();
    expect(page).toContain('Забагато спроб за короткий час');
    // The saved review is still there and still shown.
    expect(page).toContain('Підтримка відповіла за п’ять хвилин');
    controller.abort();
    expect((await storedFor(link.requestId)).reviews).toHaveLength(1);

    // A cross-site post is refused by the origin check, limit or not.
    const crossSite = await fetch(`${formUrl(link.token)}?_action=review.submit`, {
      method: 'POST',
      body: new URLSearchParams({ token: link.token, rating: '5' }),
      headers: { Origin: 'https://evil.example' },
      redirect: 'manual',
    });
    expect(crossSite.status).toBe(403);
  });
});

describe('saving', () => {
  it('stores a review with a photo as pending, with its incentive pending', async () => {
    const link = await createReviewLink(db);
    const response = await post(link.token, { photo: { bytes: await createJpeg(), name: 'me.jpg', type: 'image/jpeg' } });
    expect(response.status).toBe(303);
    const stored = await storedFor(link.requestId);
    expect(stored.reviews[0]).toMatchObject({ status: 'pending', locale: 'uk', rating: 5, nameDisplay: 'first_initial' });
    expect(stored.reviews[0]?.photoPath).toMatch(/^review-photos\/[a-z2-7]{32}\.webp$/);
    expect(stored.incentives).toEqual([expect.objectContaining({ state: 'pending' })]);
  });

  it('turns ten concurrent posts through one link into one review and one incentive', async () => {
    const link = await createReviewLink(db);
    const responses = await Promise.all(Array.from({ length: 10 }, (_, index) => post(link.token, { rating: String((index % 5) + 1) })));
    expect(responses.map((response) => response.status).every((status) => status === 303)).toBe(true);
    const stored = await storedFor(link.requestId);
    expect(stored.reviews).toHaveLength(1);
    expect(stored.incentives).toHaveLength(1);
  });

  it('refuses a cross-site post (Astro origin check)', async () => {
    const link = await createReviewLink(db);
    const form = new URLSearchParams({ token: link.token, rating: '5', body: 'x'.repeat(30), nameDisplay: 'full', consent: 'on' });
    const response = await fetch(`${formUrl(link.token)}?_action=review.submit`, {
      method: 'POST',
      body: form,
      headers: { Origin: 'https://evil.example' },
      redirect: 'manual',
    });
    expect(response.status).toBe(403);
    expect((await storedFor(link.requestId)).reviews).toHaveLength(0);
  });
});
