// How a public review is worded wherever it appears (pages, JSON-LD, feed, widget), so that
// the markup and the visible page can never disagree.
import { messagesFor } from '../i18n/index.ts';
import { isLocale, localeNames, normalizeLocale } from '../locales.ts';
import { incentiveName, showsAverageRating, type CollectionDescription } from './collection.ts';

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

/** The average rating a page may show: only over reviews collected from everyone (see showsAverageRating). */
export function collectionAverage(site: { collection: CollectionDescription; ratings: readonly number[] }): { average: number; count: number } | null {
  return showsAverageRating(site.collection) ? summarizeRatings(site.ratings) : null;
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

/**
 * One page of a listing's archive. Pages are numbered from the OLDEST review, so a page holds the
 * same reviews whatever is approved after it: a new review changes only the newest page (and the
 * listing's first page), and every older page's file can be reused as it is (issue 15).
 */
export interface ListPage<T> {
  /** Newest first. */
  items: T[];
  /** 1 holds the oldest reviews. */
  page: number;
  /** The page of the reviews just older than these, or null on page 1. */
  olderPage: number | null;
  /** Whether newer reviews exist: the newest page links to the listing's first page instead. */
  newest: boolean;
}

/** The first page of a listing (`/testimonials/`): the newest reviews and where the archive continues. */
export interface FrontPage<T> {
  /** Newest first: at least `size` reviews (all when fewer), ending at an archive page's start. */
  items: T[];
  /** The archive page with the reviews just older than these, or null when these are all. */
  olderPage: number | null;
}

/** How many archive pages a listing of `count` reviews has (none without reviews). */
function archivePageCount(count: number, size: number): number {
  return Math.ceil(count / size);
}

/**
 * Cuts a list, newest first, into archive pages numbered from its oldest end: page 1 holds the
 * oldest `size` reviews, page 2 the next, and the newest page what is left (1 to `size`).
 */
export function archivePages<T>(newestFirst: readonly T[], size: number = reviewsPerPage): ListPage<T>[] {
  const count = newestFirst.length;
  const pageCount = archivePageCount(count, size);
  return Array.from({ length: pageCount }, (_, index) => ({
    items: newestFirst.slice(Math.max(0, count - (index + 1) * size), count - index * size),
    page: index + 1,
    olderPage: index > 0 ? index : null,
    newest: index + 1 === pageCount,
  }));
}

/**
 * The first page of a listing: the newest reviews, whole archive pages of them, at least `size`
 * (so a newest page holding one review does not make a front page of one). It repeats the newest
 * one or two archive pages, and links on to the page older than those.
 */
export function frontPage<T>(newestFirst: readonly T[], size: number = reviewsPerPage): FrontPage<T> {
  const count = newestFirst.length;
  if (count <= size) return { items: [...newestFirst], olderPage: null };
  // The archive page holding the size-th newest review (counted from the oldest, 0-based: count - size).
  const firstShown = Math.floor((count - size) / size) + 1;
  return { items: newestFirst.slice(0, count - (firstShown - 1) * size), olderPage: firstShown > 1 ? firstShown - 1 : null };
}

/** A listing's heading: "All reviews", or "Reviews in Polish"; `noun` as reviewsNoun gives it. */
export function listingHeading(noun: string, locale: string | null): string {
  return locale ? `${noun} in ${isLocale(locale) ? localeNames[locale] : locale}` : `All ${noun.toLowerCase()}`;
}

/** The first page of the listing of every testimonial (locale null) or of one language's. */
export function listingBase(locale: string | null): string {
  return locale ? `/testimonials/lang/${locale}/` : '/testimonials/';
}

/** The path of archive page N of a listing whose first page is `base` (ending in "/"); page 1 holds the oldest reviews. */
export function listingPagePath(base: string, page: number): string {
  return `${base}page/${page}/`;
}

