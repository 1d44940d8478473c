// What the public pages say about how the published reviews were collected: whom the business
// invited, and what it promised them. Derived from the invitations those reviews actually came
// through, never from today's config (EU Directive 2005/29 Art. 7(6)): a business that invited
// promoters in spring and everyone in summer must not be described by either rule alone.
import type { InviteAudience } from '../ask/invite-audience.ts';

/** The facts about the invitation behind one published review; nothing personal. */
export interface PublishedInvitation {
  audience: InviteAudience;
  /** When its email went out (or the request was made, if sending was never recorded). */
  sentAt: Date;
  /** The incentive it promised, as the public pages name it; null when sent before that was recorded. */
  incentive: string | null;
}

/** A stretch of consecutive invitations (in sending order) that shared one value. */
export interface CollectionPeriod<T> {
  value: T;
  from: Date;
  to: Date;
}

/** How the published reviews were collected. */
export type CollectionDescription =
  | { kind: 'empty' }
  | {
      /**
       * `everyone`: every published review came from an invitation of every respondent, so an
       * average over them is fair. `selected`: at least one came from a promoters-only invitation.
       */
      kind: 'everyone' | 'selected';
      /** Whom the invitations asked, in sending order. */
      audiences: CollectionPeriod<InviteAudience>[];
      /** What the invitations promised, in sending order. */
      incentives: CollectionPeriod<string | null>[];
    };

/** Cuts invitations, in sending order, into runs that share `valueOf`. */
function periods<T>(sorted: readonly PublishedInvitation[], valueOf: (invitation: PublishedInvitation) => T): CollectionPeriod<T>[] {
  const result: CollectionPeriod<T>[] = [];
  for (const invitation of sorted) {
    const value = valueOf(invitation);
    const last = result.at(-1);
    if (last && last.value === value) last.to = invitation.sentAt;
    else result.push({ value, from: invitation.sentAt, to: invitation.sentAt });
  }
  return result;
}

/** Describes how the published reviews were collected, from the invitations they came through. */
export function describeCollection(invitations: readonly PublishedInvitation[]): CollectionDescription {
  if (invitations.length === 0) return { kind: 'empty' };
  const sorted = [...invitations].sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime());
  return {
    kind: sorted.every((invitation) => invitation.audience === 'all') ? 'everyone' : 'selected',
    audiences: periods(sorted, (invitation) => invitation.audience),
    incentives: periods(sorted, (invitation) => invitation.incentive),
  };
}

/**
 * Whether the pages may show an average rating (and mark up `AggregateRating`): only when every
 * published review came from an invitation of every respondent. An average over hand-picked
 * promoters would mislead.
 */
export function showsAverageRating(collection: CollectionDescription): boolean {
  return collection.kind === 'everyone';
}

/** What the listings call their reviews: "Reviews", "Selected testimonials", or "Testimonials" while none is published. */
export function reviewsNoun(collection: CollectionDescription): string {
  return collection.kind === 'everyone' ? 'Reviews' : collection.kind === 'selected' ? 'Selected testimonials' : 'Testimonials';
}

/** The wall's heading. */
export function wallHeading(collection: CollectionDescription, itemName: string): string {
  return collection.kind === 'everyone' ? `Reviews of ${itemName}` : `${reviewsNoun(collection)} for ${itemName}`;
}

const monthAndYear = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const monthOnly = new Intl.DateTimeFormat('en-GB', { month: 'long', timeZone: 'UTC' });

function monthKey(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/** "in May 2026", "from March to May 2026", "from December 2025 to February 2026", or, for the latest period, "since June 2026". */
export function describePeriod(period: CollectionPeriod<unknown>, latest: boolean): string {
  if (latest) return `since ${monthAndYear.format(period.from)}`;
  if (monthKey(period.from) === monthKey(period.to)) return `in ${monthAndYear.format(period.from)}`;
  const sameYear = period.from.getUTCFullYear() === period.to.getUTCFullYear();
  return `from ${(sameYear ? monthOnly : monthAndYear).format(period.from)} to ${monthAndYear.format(period.to)}`;
}

const audienceNames: Record<InviteAudience, string> = { promoters: 'promoters', all: 'all respondents' };

/** Whom the business invited, over time: "promoters invited from March to May 2026, all respondents since June 2026". */
export function audienceRule(periods: readonly CollectionPeriod<InviteAudience>[]): string {
  return periods
    .map((period, index) => {
      const latest = index === periods.length - 1;
      return `${audienceNames[period.value]}${index === 0 ? ' invited' : ''} ${describePeriod(period, latest)}`;
    })
    .join(', ');
}

/** An incentive as the pages name it; one sent before the promise was recorded is "a thank-you gift". */
export function incentiveName(incentive: string | null): string {
  return incentive ?? 'a thank-you gift';
}

/** The sentence on whom the business invited, as the wall and the feed state it. */
export function collectionStatement(collection: CollectionDescription): string {
  switch (collection.kind) {
    case 'empty':
      return 'No reviews are published yet.';
    case 'everyone':
      return 'We invited every customer who answered our survey, whatever their score.';
    case 'selected':
      if (collection.audiences.length === 1) {
        return 'These are selected testimonials: we invited only customers who said they would recommend us (9 or 10 out of 10).';
      }
      return `These are selected testimonials: ${audienceRule(collection.audiences)}. Promoters are customers who said they would recommend us (9 or 10 out of 10).`;
  }
}

/**
 * The clause on the incentive: "every reviewer was offered a $10 gift card whatever their rating",
 * naming what each period's invitations promised when that changed over time. Null while nothing
 * is published.
 */
export function incentiveStatement(collection: CollectionDescription): string | null {
  if (collection.kind === 'empty') return null;
  const [only, ...others] = collection.incentives;
  if (only && others.length === 0 && only.value !== null) return `every reviewer was offered ${only.value} whatever their rating`;
  if (others.length === 0) return 'every reviewer was offered the thank-you gift their invitation promised, whatever their rating';
  const list = collection.incentives
    .map((period, index) => `${incentiveName(period.value)} if invited ${describePeriod(period, index === collection.incentives.length - 1)}`)
    .join(', ');
  return `every reviewer was offered the thank-you gift their invitation promised, whatever their rating: ${list}`;
}

/**
 * What a listing says about how its reviews were collected, as the words it shows: an archive page
 * is keyed by these, not by the invitations, so it is published again only when the words change.
 */
export interface CollectionWords {
  /** "Reviews", "Selected testimonials" or "Testimonials" (see reviewsNoun). */
  noun: string;
  statement: string;
  incentive: string | null;
}

/** The words of `collection` (see CollectionWords). */
export function collectionWords(collection: CollectionDescription): CollectionWords {
  return { noun: reviewsNoun(collection), statement: collectionStatement(collection), incentive: incentiveStatement(collection) };
}
