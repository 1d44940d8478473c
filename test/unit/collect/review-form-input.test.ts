import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reviewSubmissionSchema } from '../../../src/lib/collect/review-submission.ts';
import { isDirectReviewFormPost, reviewFormInput } from '../../../src/lib/server/collect/review-form-posts.ts';
import type { IncomingMessage } from 'node:http';

// The site server turns an urlencoded review form into the action's input itself; Astro Actions do
// it with formDataToObject. Both must give the schema the same object, or a post would be judged
// differently depending on who answers it. Astro's function is internal: imported from its file.
const { formDataToObject } = (await import('../../../node_modules/astro/dist/actions/runtime/server.js')) as {
  formDataToObject: (formData: FormData, schema: typeof reviewSubmissionSchema) => Record<string, unknown>;
};

const fieldNames = ['token', 'lang', 'rating', 'body', 'nameDisplay', 'role', 'company', 'removePhoto', 'consent', 'photo', 'other'];
const values = fc.oneof(
  fc.constantFrom('', 'on', 'true', 'false', '0', '3', '5', '6', '2.5', ' 4 ', 'abc', 'full', 'first_initial', 'anonymous', 'uk', 'en-GB'),
  fc.string({ maxLength: 40 }),
  fc.constant('Підтримка відповіла за п’ять хвилин і все пояснила.'),
);
const forms = fc.array(fc.tuple(fc.constantFrom(...fieldNames), values), { maxLength: 14 });

describe('reviewFormInput', () => {
  it('gives the schema what Astro’s formDataToObject gives it, for any urlencoded form', () => {
    fc.assert(
      fc.property(forms, (entries) => {
        const params = new URLSearchParams(entries);
        const formData = new FormData();
        for (const [name, value] of params) formData.append(name, value);
        const ours = reviewSubmissionSchema.safeParse(reviewFormInput(params));
        const astros = reviewSubmissionSchema.safeParse(formDataToObject(formData, reviewSubmissionSchema));
        expect(ours.success).toBe(astros.success);
        if (ours.success && astros.success) expect(ours.data).toEqual(astros.data);
        else expect(ours.error?.issues.map((issue) => [issue.path, issue.message])).toEqual(astros.error?.issues.map((issue) => [issue.path, issue.message]));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('isDirectReviewFormPost', () => {
  const token = 'abcdefghijklmnopqrstuvwxyz234567';
  const request = (overrides: { method?: string; url?: string; headers?: Record<string, string>; encrypted?: boolean } = {}) =>
    ({
      method: overrides.method ?? 'POST',
      url: overrides.url ?? `/r/${token}?_action=review.submit`,
      headers: { host: 'reviews.example.com', origin: 'http://reviews.example.com', 'content-type': 'application/x-www-form-urlencoded', 'content-length': '120', ...overrides.headers },
      socket: { encrypted: overrides.encrypted ?? false },
    }) as unknown as IncomingMessage;

  it('takes a plain same-origin urlencoded post of the form', () => {
    expect(isDirectReviewFormPost(request())).toBe(true);
    expect(isDirectReviewFormPost(request({ encrypted: true, headers: { origin: 'https://reviews.example.com' } }))).toBe(true);
    expect(isDirectReviewFormPost(request({ headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' } }))).toBe(true);
  });

  it.each([
    ['another origin', { headers: { origin: 'https://evil.example' } }],
    ['http origin over https', { encrypted: true }],
    ['no origin', { headers: { origin: '' } }],
    ['multipart (a photo may come)', { headers: { 'content-type': 'multipart/form-data; boundary=x' } }],
    ['a chunked body', { headers: { 'transfer-encoding': 'chunked', 'content-length': '' } }],
    ['a large body', { headers: { 'content-length': String(65 * 1024) } }],
    ['a session cookie', { headers: { cookie: 'review_wall_session=abc' } }],
    ['a __Host- session cookie', { headers: { cookie: '__Host-review_wall_session=abc' } }],
    ['the RPC endpoint', { url: '/_actions/review.submit' }],
    ['another action', { url: `/r/${token}?_action=review.other` }],
    ['a malformed token', { url: '/r/NOT-A-TOKEN?_action=review.submit' }],
    ['a GET', { method: 'GET' }],
  ])('leaves %s to Astro', (_, overrides) => {
    expect(isDirectReviewFormPost(request(overrides))).toBe(false);
  });
});
