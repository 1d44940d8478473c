// The public JSON feed (/testimonials.json) and the widget's smaller feed. Built from the narrow
// PublicReview shape, field by field, so nothing private can ride along.
import type { ReviewWallConfig } from '../config-schema.ts';
import { fill, fillCounted } from '../i18n/index.ts';
import { widgetStrings, type WidgetStrings } from '../i18n/widget.ts';
import type { Locale } from '../locales.ts';
import { collectionStatement, showsAverageRating, type CollectionDescription } from './collection.ts';
import {
  authorName,
  byline,
  incentiveDisclosure,
  photoPath,
  photoWidths,
  publishedDate,
  redactionMark,
  summarizeRatings,
  testimonialPath,
} from './review-presentation.ts';
import type { PublicReview } from '../server/publish/public-reviews.ts';

/** One testimonial in the feed. */
export interface FeedReview {
  /** The public id, as in `url` (never the database's row id). */
  id: string;
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
  /** The incentive disclosure, in English (the widget words it in the reader's language from `incentive`). */
  disclosure: string;
  /** What this reviewer's invitation promised, in the words it was promised in; null when sent before that was recorded. */
  incentive: string | null;
}

/** The whole feed. */
export interface Feed {
  business: { name: string; website: string };
  itemReviewed: { type: string; name: string };
  /**
   * "all": every published review came from an invitation of every respondent; "selected": some
   * came from invitations of promoters only (or none is published yet).
   */
  collection: 'selected' | 'all';
  /** Whom the business invited, over time, in the wall's words. */
  collectionStatement: string;
  howWeCollect: string;
  /** Only when `collection` is "all". */
  aggregateRating?: { ratingValue: number; reviewCount: number };
  reviews: FeedReview[];
}

/** How many testimonials the widget shows at most. */
export const widgetReviewLimit = 6;

/** One review as the feed publishes it. */
export function toFeedReview(review: PublicReview, siteUrl: string): FeedReview {
  return {
    id: review.id,
    url: `${siteUrl}${testimonialPath(review.id)}`,
    author: authorName(review.displayName, review.locale),
    byline: byline(review.role, review.company),
    rating: review.rating,
    body: review.body,
    language: review.locale,
    datePublished: publishedDate(review.submittedAt),
    featured: review.featured,
    edited: review.redacted ? redactionMark : null,
    photo: review.photoPath ? Object.fromEntries(photoWidths.map((width) => [String(width), `${siteUrl}${photoPath(review.id, width)}`])) : null,
    disclosure: incentiveDisclosure(review.incentive),
    incentive: review.incentive,
  };
}

/** The feed of the given reviews; the collection and the aggregate always cover every published review. */
export function buildFeed(
  reviews: readonly PublicReview[],
  published: { ratings: readonly number[]; collection: CollectionDescription },
  config: ReviewWallConfig,
  siteUrl: string,
): Feed {
  const summary = showsAverageRating(published.collection) ? summarizeRatings(published.ratings) : null;
  return {
    business: { name: config.business.name, website: config.business.website },
    itemReviewed: { type: config.itemReviewed.type, name: config.itemReviewed.name },
    collection: published.collection.kind === 'everyone' ? 'all' : 'selected',
    collectionStatement: collectionStatement(published.collection),
    howWeCollect: `${siteUrl}/how-we-collect-reviews/`,
    ...(summary ? { aggregateRating: { ratingValue: summary.average, reviewCount: summary.count } } : {}),
    reviews: reviews.map((review) => toFeedReview(review, siteUrl)),
  };
}

/** The widget's testimonials: featured first, then the newest, at most `widgetReviewLimit`. */
export function selectWidgetReviews(reviews: readonly PublicReview[]): PublicReview[] {
  const featured = reviews.filter((review) => review.featured);
  // Ties keep the order they came in (the database's: newest row first); the sort is stable.
  const rest = reviews.filter((review) => !review.featured).sort((a, b) => b.submittedAt.getTime() - a.submittedAt.getTime());
  return [...featured, ...rest].slice(0, widgetReviewLimit);
}

/**
 * The widget's words in one language, ready to show: its texts (WidgetStrings) as they are, but
 * the heading chosen and the average filled in.
 */
export type WidgetLabels = Omit<WidgetStrings, 'reviews' | 'selected' | 'average'> & {
  /** "Reviews", or "Selected testimonials" when some invitations went to promoters only. */
  heading: string;
  /** "4.2 out of 5 from 5 reviews", only where an average is allowed (see showsAverageRating). */
  average: string | null;
};

/** The widget's feed: the small feed, with what the widget's options need. */
export interface WidgetFeed extends Feed {
  /** Published reviews in this feed's scope (its language, or all), and how many are featured: for `data-min`. */
  counts: { reviews: number; featured: number };
  /** The labels by language: the feed's language only, or every enabled one, the default first. */
  labels: Record<string, WidgetLabels>;
}

/** The widget's labels in `locale`, for the feed `feed` (its collection and average). */
export function widgetLabels(locale: Locale, feed: Pick<Feed, 'collection' | 'aggregateRating'>): WidgetLabels {
  const t = widgetStrings(locale);
  const rating = feed.aggregateRating;
  const average = rating
    ? fillCounted(locale, t.average, rating.reviewCount, {
        rating: new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(rating.ratingValue),
        count: new Intl.NumberFormat(locale).format(rating.reviewCount),
      })
    : null;
  const { reviews, selected, average: _forms, ...texts } = t;
  return { ...texts, heading: feed.collection === 'all' ? reviews : selected, average };
}

/**
 * The widget's feed: the published reviews in `locale` (or all, for null), chosen as
 * selectWidgetReviews does, with counts and labels. One file per language and one for all: a
 * small fixed set of cacheable URLs, whatever the options on the embedding page.
 */
export function buildWidgetFeed(
  reviews: readonly PublicReview[],
  published: { ratings: readonly number[]; collection: CollectionDescription },
  config: ReviewWallConfig,
  siteUrl: string,
  locale: Locale | null,
): WidgetFeed {
  const inScope = locale ? reviews.filter((review) => review.locale === locale) : reviews;
  const feed = buildFeed(selectWidgetReviews(inScope), published, config, siteUrl);
  const { default: first, enabled } = config.locales;
  const languages = locale ? [locale] : [first, ...enabled.filter((code) => code !== first)];
  return {
    ...feed,
    counts: { reviews: inScope.length, featured: inScope.filter((review) => review.featured).length },
    labels: Object.fromEntries(languages.map((code) => [code, widgetLabels(code, feed)])),
  };
}
