// schema.org markup for the public pages. Built here, in TypeScript, so schema-dts rejects a
// wrong property at type-check time; the .astro pages only embed the serialized result.
import type { AggregateRating, Graph, Review, Thing, WithContext } from 'schema-dts';
import type { ReviewWallConfig } from '../config-schema.ts';
import { showsAverageRating, type CollectionDescription } from './collection.ts';
import { authorName, publishedDate, summarizeRatings, testimonialPath } from './review-presentation.ts';
import type { PublicReview } from '../server/publish/public-reviews.ts';

/**
 * JSON for a `<script type="application/ld+json">` block. `<`, `>` and `&` become \u003c,
 * \u003e and \u0026, so review text such as `</script>` or `<!--` cannot end the block or
 * open a comment; JSON parsers read the escapes back as the original characters.
 * U+2028/U+2029 are escaped too, for parsers that treat them as line ends.
 */
export function serializeJsonLd(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The configured thing that customers review (Product, SoftwareApplication, …). */
export function itemReviewedJsonLd(config: ReviewWallConfig, aggregateRating?: AggregateRating): Thing {
  const { type } = config.itemReviewed;
  const common = { name: config.itemReviewed.name, ...(aggregateRating ? { aggregateRating } : {}) };
  switch (type) {
    case 'Product':
      return { '@type': 'Product', ...common };
    case 'SoftwareApplication':
      return { '@type': 'SoftwareApplication', ...common };
    case 'Service':
      return { '@type': 'Service', ...common };
    case 'Course':
      return { '@type': 'Course', ...common };
    case 'Book':
      return { '@type': 'Book', ...common };
    case 'Organization':
      return { '@type': 'Organization', url: config.business.website, ...common };
    case 'LocalBusiness':
      return { '@type': 'LocalBusiness', url: config.business.website, ...common };
  }
}

/** Absolute URL of a path on the public site. */
function absolute(siteUrl: string, path: string): string {
  return `${siteUrl.replace(/\/+$/, '')}${path}`;
}

/** One review as schema.org `Review`, matching what its card shows. */
export function reviewJsonLd(review: PublicReview, config: ReviewWallConfig, siteUrl: string): Review {
  return {
    '@type': 'Review',
    // The page URL names the page; the review inside it gets a fragment of its own.
    '@id': `${absolute(siteUrl, testimonialPath(review.id))}#review`,
    url: absolute(siteUrl, testimonialPath(review.id)),
    author: { '@type': 'Person', name: authorName(review.displayName, review.locale) },
    reviewRating: { '@type': 'Rating', ratingValue: review.rating, bestRating: 5, worstRating: 1 },
    datePublished: publishedDate(review.submittedAt),
    reviewBody: review.body,
    inLanguage: review.locale,
    itemReviewed: itemReviewedJsonLd(config),
  };
}

/** `AggregateRating` over every published review; null unless every one came from an invitation of every respondent. */
export function aggregateRatingJsonLd(ratings: readonly number[], collection: CollectionDescription): AggregateRating | null {
  const summary = summarizeRatings(ratings);
  if (!showsAverageRating(collection) || !summary) return null;
  return { '@type': 'AggregateRating', ratingValue: summary.average, reviewCount: summary.count, bestRating: 5, worstRating: 1 };
}

/** The markup of one testimonial page. */
export function testimonialPageJsonLd(review: PublicReview, config: ReviewWallConfig, siteUrl: string): WithContext<Review> {
  return { '@context': 'https://schema.org', ...reviewJsonLd(review, config, siteUrl) };
}

/**
 * The markup of a listing (the wall, a listing's first page, an archive page): the reviews it
 * shows, and, only when every published review came from an invitation of every respondent
 * (`collection`), the reviewed item with its aggregate rating over all of them. `published` is
 * null on archive pages, which carry no aggregate: it would change on every approval.
 */
export function listingJsonLd(
  shown: readonly PublicReview[],
  published: { ratings: readonly number[]; collection: CollectionDescription } | null,
  config: ReviewWallConfig,
  siteUrl: string,
): Graph {
  const graph: Thing[] = shown.map((review) => reviewJsonLd(review, config, siteUrl));
  const aggregate = published && aggregateRatingJsonLd(published.ratings, published.collection);
  if (aggregate) graph.push(itemReviewedJsonLd(config, aggregate));
  return { '@context': 'https://schema.org', '@graph': graph };
}
