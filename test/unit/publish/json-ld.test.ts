import fc from 'fast-check';
import type { Review } from 'schema-dts';
import { describe, expect, it } from 'vitest';
import { parseReviewWallConfig } from '../../../src/lib/config-schema.ts';
import { describeCollection } from '../../../src/lib/publish/collection.ts';
import { listingJsonLd, serializeJsonLd, testimonialPageJsonLd } from '../../../src/lib/publish/json-ld.ts';
import { archivePages, frontPage, listingPagePath, summarizeRatings } from '../../../src/lib/publish/review-presentation.ts';
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
  it('numbers archive pages from the oldest review, so adding reviews leaves every older page as it was', () => {
    // Newest first, as the listings hold them: 49 is the newest review, 0 the oldest.
    const newestFirst = (count: number) => Array.from({ length: count }, (_, index) => count - 1 - index);
    const pages = archivePages(newestFirst(50));
    expect(pages.map((page) => page.items.length)).toEqual([24, 24, 2]);
    expect(pages[0]).toEqual({ items: newestFirst(24), page: 1, olderPage: null, newest: false });
    expect(pages[2]).toEqual({ items: [49, 48], page: 3, olderPage: 2, newest: true });
    expect(pages.map((page) => listingPagePath('/testimonials/', page.page))).toEqual(['/testimonials/page/1/', '/testimonials/page/2/', '/testimonials/page/3/']);
    // One more review changes only the newest page; ten more fill it and start a fourth.
    const after = archivePages(newestFirst(51));
    expect(after.slice(0, 2)).toEqual(pages.slice(0, 2));
    expect(after[2]!.items).toEqual([50, 49, 48]);
    const later = archivePages(newestFirst(73));
    expect(later.slice(0, 2)).toEqual(pages.slice(0, 2));
    expect(later.map((page) => [page.page, page.items.length, page.newest])).toEqual([[1, 24, false], [2, 24, false], [3, 24, false], [4, 1, true]]);
    expect(archivePages([])).toEqual([]);
  });

  it('shows at least a page of the newest reviews first, in whole archive pages, then links to the older page', () => {
    const newestFirst = (count: number) => Array.from({ length: count }, (_, index) => count - 1 - index);
    expect(frontPage(newestFirst(0))).toEqual({ items: [], olderPage: null });
    expect(frontPage(newestFirst(24))).toEqual({ items: newestFirst(24), olderPage: null });
    // 25: page 1 (24) and page 2 (1) are too few apart, so both show.
    expect(frontPage(newestFirst(25))).toEqual({ items: newestFirst(25), olderPage: null });
    // 50: pages 2 and 3 (24 + 2) show; page 1 is older.
    expect(frontPage(newestFirst(50))).toEqual({ items: newestFirst(50).slice(0, 26), olderPage: 1 });
    // 72: page 3 is full and shows alone; page 2 is older.
    expect(frontPage(newestFirst(72))).toEqual({ items: newestFirst(72).slice(0, 24), olderPage: 2 });
    // The front page and the older pages together hold every review once.
    for (const count of [1, 23, 24, 25, 47, 48, 49, 100]) {
      const list = newestFirst(count);
      const front = frontPage(list);
      const older = archivePages(list).filter((page) => front.olderPage !== null && page.page <= front.olderPage);
      expect([...front.items, ...older.toReversed().flatMap((page) => page.items)]).toEqual(list);
    }
  });

  it('averages ratings to one decimal', () => {
    expect(summarizeRatings([5, 5, 4])).toEqual({ average: 4.7, count: 3 });
    expect(summarizeRatings([])).toBeNull();
  });
});
