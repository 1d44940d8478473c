// How a public review is worded wherever it appears (pages, JSON-LD, feed, widget), so that
// the markup and the visible page can never disagree.
import { messagesFor } from '../i18n/index.ts';
import { normalizeLocale } from '../locales.ts';
import { incentiveName } from './collection.ts';

/**
 * The author shown for a reviewer who chose to stay anonymous, in their review's language: the
 * words the form showed them ("Shown as: Verified customer"), from the same catalog.
 */
export function anonymousAuthorName(locale: string): string {
  return messagesFor(normalizeLocale(locale, 'en')).anonymousAuthor;
}

/** Testimonials per listing page and on the wall. */
export const reviewsPerPage = 24;

/** Photo widths published for each avatar (CSS pixels 64, at 1×, 2× and 4×). */
export const photoWidths = [64, 128, 256] as const;

/** The author as displayed, for a review written in `locale`. */
export function authorName(displayName: string | null, locale: string): string {
  return displayName ?? anonymousAuthorName(locale);
}

/** "Head of Support, Brightlane", or null. */
export function byline(role: string | null, company: string | null): string | null {
  return [role, company].filter(Boolean).join(', ') || null;
}

/**
 * The visible incentive disclosure (FTC Endorsement Guides §255.5), naming what this reviewer's
 * invitation promised (null: sent before that was recorded).
 */
export function incentiveDisclosure(incentive: string | null): string {
  return `Offered ${incentiveName(incentive)} for writing an honest review, regardless of rating.`;
}

/** The accessible name of a star rating. */
export function ratingLabel(rating: number): string {
  return `Rated ${rating} out of 5`;
}

/** ★★★★☆ */
export function ratingStars(rating: number): string {
  return '★'.repeat(rating) + '☆'.repeat(5 - rating);
}

/** The publication date as shown and as marked up: YYYY-MM-DD (UTC). */
export function publishedDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

// Made once: creating a formatter costs far more than formatting (it was a quarter of a publish).
const readableDateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** "12 March 2026": the same day as `publishedDate`, for people. */
export function readableDate(date: Date): string {
  return readableDateFormat.format(date);
}

/** The mark shown when a moderator removed personal data. */
export const redactionMark = '[edited to remove personal data]';

/** Average rating with one decimal, and the count; null when there are no reviews. */
export function summarizeRatings(ratings: readonly number[]): { average: number; count: number } | null {
  if (ratings.length === 0) return null;
  const sum = ratings.reduce((total, rating) => total + rating, 0);
  return { average: Math.round((sum / ratings.length) * 10) / 10, count: ratings.length };
}

/** The public path of one testimonial, by its public id (never the row id: see PublicReview.id). */
export function testimonialPath(publicId: string): string {
  return `/testimonials/${publicId}/`;
}

/** The widget's feed of one language's testimonials. */
export function widgetFeedPath(locale: string): string {
  return `/testimonials/lang/${locale}/featured.json`;
}

/** The address a testimonial published before public ids had, by its row id: it redirects to `testimonialPath`. */
export function formerTestimonialPath(rowId: number): string {
  return `/testimonials/${rowId}/`;
}

/** The public path of a published photo of one width, by the testimonial's public id. */
export function photoPath(publicId: string, width: number): string {
  return `/testimonials/photos/${publicId}-${width}.webp`;
}

/** One page of a list, 1-based; pages past the end are empty. */
export interface ListPage<T> {
  items: T[];
  page: number;
  pageCount: number;
}

/** Cuts a list into pages of `size`; an empty list still has one (empty) page. */
export function paginateList<T>(items: readonly T[], size: number = reviewsPerPage): ListPage<T>[] {
  const pageCount = Math.max(1, Math.ceil(items.length / size));
  return Array.from({ length: pageCount }, (_, index) => ({
    items: items.slice(index * size, (index + 1) * size),
    page: index + 1,
    pageCount,
  }));
}

/** The path of page N of a listing whose first page is `base` (ending in "/"). */
export function listingPagePath(base: string, page: number): string {
  return page <= 1 ? base : `${base}page/${page}/`;
}

