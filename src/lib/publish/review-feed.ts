// The public JSON feed (/testimonials.json) and the widget's smaller feed. Built from the narrow
// PublicReview shape, field by field, so nothing private can ride along.
import type { ReviewWallConfig } from '../config-schema.ts';
import {
  authorName,
  byline,
  incentiveDisclosure,
  photoPath,
  photoWidths,
  publishedDate,
  redactionMark,
  showsAverageRating,
  summarizeRatings,
  testimonialPath,
} from './review-presentation.ts';
import type { PublicReview } from '../server/publish/public-reviews.ts';

/** One testimonial in the feed. */
export interface FeedReview {
  id: number;
  url: string;
  author: string;
  byline: string | null;
  rating: number;
  body: string;
  language: string;
  datePublished: string;
  featured: boolean;
  /** "[edited to remove personal data]" when a moderator removed personal data, else null. */
  edited: string | null;
  /** Square WebP photos by width, or null. */
  photo: Record<string, string> | null;
  disclosure: string;
}

/** The whole feed. */
export interface Feed {
  business: { name: string; website: string };
  itemReviewed: { type: string; name: string };
  /** "selected": only promoters were invited; "all": every respondent. */
  collection: 'selected' | 'all';
  howWeCollect: string;
  /** Only when every respondent was invited. */
  aggregateRating?: { ratingValue: number; reviewCount: number };
  reviews: FeedReview[];
}

/** How many testimonials the widget shows at most. */
export const widgetReviewLimit = 6;

/** One review as the feed publishes it. */
export function toFeedReview(review: PublicReview, incentiveText: string, siteUrl: string): FeedReview {
  return {
    id: review.id,
    url: `${siteUrl}${testimonialPath(review.id)}`,
    author: authorName(review.displayName),
    byline: byline(review.role, review.company),
    rating: review.rating,
    body: review.body,
    language: review.locale,
    datePublished: publishedDate(review.submittedAt),
    featured: review.featured,
    edited: review.redacted ? redactionMark : null,
    photo: review.photoPath ? Object.fromEntries(photoWidths.map((width) => [String(width), `${siteUrl}${photoPath(review.id, width)}`])) : null,
    disclosure: incentiveDisclosure(incentiveText),
  };
}

/** The feed of the given reviews; the aggregate always covers `allRatings`. */
export function buildFeed(
  reviews: readonly PublicReview[],
  allRatings: readonly number[],
  config: ReviewWallConfig,
  incentiveText: string,
  siteUrl: string,
): Feed {
  const summary = showsAverageRating(config) ? summarizeRatings(allRatings) : null;
  return {
    business: { name: config.business.name, website: config.business.website },
    itemReviewed: { type: config.itemReviewed.type, name: config.itemReviewed.name },
    collection: config.invite.audience === 'promoters' ? 'selected' : 'all',
    howWeCollect: `${siteUrl}/how-we-collect-reviews/`,
    ...(summary ? { aggregateRating: { ratingValue: summary.average, reviewCount: summary.count } } : {}),
    reviews: reviews.map((review) => toFeedReview(review, incentiveText, siteUrl)),
  };
}

/** The widget's testimonials: featured first, then the newest, at most `widgetReviewLimit`. */
export function selectWidgetReviews(reviews: readonly PublicReview[]): PublicReview[] {
  const featured = reviews.filter((review) => review.featured);
  const rest = reviews.filter((review) => !review.featured).sort((a, b) => b.submittedAt.getTime() - a.submittedAt.getTime() || b.id - a.id);
  return [...featured, ...rest].slice(0, widgetReviewLimit);
}
