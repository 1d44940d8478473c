import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildWidgetFeed } from '../../../src/lib/publish/review-feed.ts';
import { compactScript } from '../../../src/lib/publish/widget-script.ts';
import type { PublicReview } from '../../../src/lib/server/publish/public-reviews.ts';
import { parseReviewWallConfig } from '../../../src/lib/config-schema.ts';
import { describeCollection } from '../../../src/lib/publish/collection.ts';
import { incentiveDisclosure } from '../../../src/lib/publish/review-presentation.ts';
import { supportedLocales, type Locale } from '../../../src/lib/locales.ts';
import { widgetStrings } from '../../../src/lib/i18n/widget.ts';
import { projectRoot } from '../../helpers/app.ts';
import { testConfig } from '../../helpers/config.ts';

const source = readFileSync(join(projectRoot, 'src', 'widget', 'review-wall-widget.js'), 'utf8');

describe('/widget.js as served', () => {
  it('is under 3 KB gzipped (as the publish precompresses it)', () => {
    const served = compactScript(source);
    expect(gzipSync(served, { level: 9 }).byteLength).toBeLessThan(3 * 1024);
  });

  it('is still valid JavaScript', () => {
    expect(() => new Function(compactScript(source))).not.toThrow();
  });

  it('drops comment lines and indentation only', () => {
    expect(compactScript("  // why\n  const a = 'http://x'; // kept\n\n  return a;\n")).toBe("const a = 'http://x'; // kept\nreturn a;\n");
  });
});

const review = (id: string, locale: string, featured: boolean, daysAgo: number): PublicReview => ({
  id,
  formerId: null,
  rating: 5,
  body: `Review ${id}`,
  redacted: false,
  displayName: `Author ${id}`,
  role: null,
  company: null,
  photoPath: null,
  locale,
  featured,
  submittedAt: new Date(Date.UTC(2026, 10, 30 - daysAgo)),
  incentive: 'a $10 gift card',
});

describe('the widget feeds', () => {
  const config = parseReviewWallConfig({ ...testConfig, locales: { default: 'pl', enabled: ['en', 'pl', 'uk'] } });
  const reviews = [review('a', 'en', true, 1), review('b', 'pl', true, 2), review('c', 'pl', false, 3), ...Array.from({ length: 8 }, (_, index) => review(`e${index}`, 'en', false, 4 + index))];
  const everyone = describeCollection(reviews.map((item) => ({ audience: 'all' as const, sentAt: item.submittedAt, incentive: item.incentive })));
  const published = { ratings: reviews.map((item) => item.rating), collection: everyone };

  it('of all languages: counts every published review, labels in every enabled language, the default first', () => {
    const feed = buildWidgetFeed(reviews, published, config, 'https://reviews.example', null);
    expect(feed.counts).toEqual({ reviews: 11, featured: 2 });
    expect(feed.reviews.map((item) => item.id).slice(0, 2)).toEqual(['a', 'b']);
    expect(Object.keys(feed.labels)).toEqual(['pl', 'en', 'uk']);
    expect(feed.labels.en!.average).toBe('5.0 out of 5 from 11 reviews');
    expect(feed.labels.pl!.average).toBe('Średnia 5,0 na 5 z 11 opinii');
    expect(feed.labels.uk!.readMore).toBe('Читати далі');
  });

  it('of one language: only its reviews and counts, labels in it alone; the average still covers every review', () => {
    const feed = buildWidgetFeed(reviews, published, config, 'https://reviews.example', 'pl');
    expect(feed.reviews.map((item) => item.language)).toEqual(['pl', 'pl']);
    expect(feed.counts).toEqual({ reviews: 2, featured: 1 });
    expect(Object.keys(feed.labels)).toEqual(['pl']);
    expect(feed.aggregateRating).toEqual({ ratingValue: 5, reviewCount: 11 });
  });

  it('words the incentive disclosure in every language, the English one as the wall words it', () => {
    const fill = (locale: Locale, incentive: string | null) => {
      const t = widgetStrings(locale);
      return t.offered.replace('{incentive}', incentive ?? t.gift);
    };
    expect(fill('en', 'a $10 gift card')).toBe(incentiveDisclosure('a $10 gift card'));
    expect(fill('en', null)).toBe(incentiveDisclosure(null));
    for (const locale of supportedLocales) {
      expect(widgetStrings(locale).offered, locale).toContain('{incentive}');
      if (locale !== 'en') expect(fill(locale, 'X'), locale).not.toBe(fill('en', 'X'));
    }
    const feed = buildWidgetFeed(reviews, published, config, 'https://reviews.example', null);
    expect(feed.reviews.every((item) => 'incentive' in item)).toBe(true);
    expect(feed.labels.pl!.offered).toBe(widgetStrings('pl').offered);
  });

  it('says "selected" and shows no average when promoters alone were invited', () => {
    const selected = describeCollection(reviews.map((item) => ({ audience: 'promoters' as const, sentAt: item.submittedAt, incentive: item.incentive })));
    const feed = buildWidgetFeed(reviews, { ratings: published.ratings, collection: selected }, config, 'https://reviews.example', 'en');
    expect(feed.labels.en).toMatchObject({ heading: 'Selected testimonials', average: null });
  });
});
