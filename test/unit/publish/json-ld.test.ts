import fc from 'fast-check';
import type { Review } from 'schema-dts';
import { describe, expect, it } from 'vitest';
import { parseReviewWallConfig } from '../../../src/lib/config-schema.ts';
import { describeCollection } from '../../../src/lib/publish/collection.ts';
import { listingJsonLd, serializeJsonLd, testimonialPageJsonLd } from '../../../src/lib/publish/json-ld.ts';
import { listingPagePath, paginateList, summarizeRatings } from '../../../src/lib/publish/review-presentation.ts';
import type { PublicReview } from '../../../src/lib/server/publish/public-reviews.ts';

const baseConfig = {
  business: { name: 'Acme', website: 'https://acme.example' },
  itemReviewed: { type: 'Product', name: 'Acme Anvil' },
  incentive: { text: 'a mug' },
} as const;

const review = (overrides: Partial<PublicReview> = {}): PublicReview => ({
  id: '3f9a0c1b7e2d4a56',
  formerId: null,
  rating: 4,
  body: 'Solid anvil.',
  redacted: false,
  displayName: 'Anna K.',
  role: null,
  company: null,
  photoPath: null,
  locale: 'pl',
  featured: false,
  submittedAt: new Date('2026-03-12T22:30:00Z'),
  incentive: 'a mug',
  ...overrides,
});

describe('serializeJsonLd', () => {
  it.each([
    ['</script><script>alert(1)</script>'],
    ['<!-- comment'],
    ['a & b > c'],
    ['line\u2028separator'],
  ])('keeps %j inside the script block and parses back to the same text', (text) => {
    const serialized = serializeJsonLd({ reviewBody: text });
    expect(serialized).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(serialized)).toEqual({ reviewBody: text });
  });

  it('round-trips any text without a raw <, > or &', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const serialized = serializeJsonLd({ text, nested: [text] });
        expect(serialized).not.toMatch(/[<>&]/);
        expect(JSON.parse(serialized)).toEqual({ text, nested: [text] });
      }),
    );
  });
});

describe('review markup', () => {
  it('describes one testimonial with every property rich results need', () => {
    const config = parseReviewWallConfig(baseConfig);
    expect(testimonialPageJsonLd(review(), config, 'https://reviews.example')).toEqual({
      '@context': 'https://schema.org',
      '@type': 'Review',
      '@id': 'https://reviews.example/testimonials/3f9a0c1b7e2d4a56/#review',
      url: 'https://reviews.example/testimonials/3f9a0c1b7e2d4a56/',
      author: { '@type': 'Person', name: 'Anna K.' },
      reviewRating: { '@type': 'Rating', ratingValue: 4, bestRating: 5, worstRating: 1 },
      datePublished: '2026-03-12',
      reviewBody: 'Solid anvil.',
      inLanguage: 'pl',
      itemReviewed: { '@type': 'Product', name: 'Acme Anvil' },
    });
  });

  it('names an anonymous reviewer as the card and the form did, in the review’s language ("Verified customer")', () => {
    const config = parseReviewWallConfig(baseConfig);
    expect(testimonialPageJsonLd(review({ displayName: null, locale: 'en' }), config, 'https://r.example').author).toEqual({ '@type': 'Person', name: 'Verified customer' });
    expect(testimonialPageJsonLd(review({ displayName: null, locale: 'pl' }), config, 'https://r.example').author).toEqual({ '@type': 'Person', name: 'Zweryfikowany klient' });
  });

  it('adds AggregateRating over all published reviews only when every one came from an invitation of every respondent, whatever the config says', () => {
    const shown = [review()];
    const ratings = [5, 4, 4];
    const invitation = (audience: 'promoters' | 'all') => ({ audience, sentAt: new Date('2026-03-01T10:00:00Z'), incentive: 'a mug' });
    const partlyPromoters = describeCollection([invitation('all'), invitation('promoters'), invitation('all')]);
    const configAll = parseReviewWallConfig({ ...baseConfig, invite: { audience: 'all' } });
    expect(JSON.stringify(listingJsonLd(shown, { ratings, collection: partlyPromoters }, configAll, 'https://r.example'))).not.toContain('AggregateRating');
    expect(JSON.stringify(listingJsonLd(shown, { ratings, collection: describeCollection([]) }, configAll, 'https://r.example'))).not.toContain('AggregateRating');
    const configPromoters = parseReviewWallConfig(baseConfig);
    const everyone = listingJsonLd(shown, { ratings, collection: describeCollection([invitation('all'), invitation('all')]) }, configPromoters, 'https://r.example');
    expect(everyone['@graph'].at(-1)).toEqual({
      '@type': 'Product',
      name: 'Acme Anvil',
      aggregateRating: { '@type': 'AggregateRating', ratingValue: 4.3, reviewCount: 3, bestRating: 5, worstRating: 1 },
    });
  });

  it('lets schema-dts reject a misspelled property (checked by npm run typecheck)', () => {
    // @ts-expect-error ratingValu is not a property of Rating
    const wrong: Review = { '@type': 'Review', reviewRating: { '@type': 'Rating', ratingValu: 5 } };
    expect(wrong).toBeTruthy();
  });
});

describe('listing helpers', () => {
  it('cuts lists into pages of 24 whose first page is the listing itself', () => {
    const pages = paginateList(Array.from({ length: 50 }, (_, index) => index));
    expect(pages.map((page) => page.items.length)).toEqual([24, 24, 2]);
    expect(pages.map((page) => listingPagePath('/testimonials/', page.page))).toEqual(['/testimonials/', '/testimonials/page/2/', '/testimonials/page/3/']);
    expect(paginateList([])).toEqual([{ items: [], page: 1, pageCount: 1 }]);
  });

  it('averages ratings to one decimal', () => {
    expect(summarizeRatings([5, 5, 4])).toEqual({ average: 4.7, count: 3 });
    expect(summarizeRatings([])).toBeNull();
  });
});
