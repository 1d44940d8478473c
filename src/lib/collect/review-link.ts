import type { NameDisplay } from './display-name.ts';

/** A review as its author may see and edit it through their link. */
export interface OwnReview {
  id: number;
  rating: number;
  body: string;
  nameDisplay: NameDisplay;
  role: string | null;
  company: string | null;
  photoPath: string | null;
  locale: string;
  status: string;
}

/**
 * What a link can do now: `open` (no review yet), `editable` (a pending review), `moderated`
 * (approved, rejected or hidden: shown as a status page) or `expired`.
 */
export type ReviewLinkState = 'open' | 'editable' | 'moderated' | 'expired';

/**
 * The state of a link. A moderated review's status stays visible after the link expires; an
 * unmoderated one can no longer be written or changed once it has.
 */
export function reviewLinkState(link: { expiresAt: Date; review: { status: string } | null }, now = new Date()): ReviewLinkState {
  if (link.review && link.review.status !== 'pending') return 'moderated';
  if (link.expiresAt.getTime() <= now.getTime()) return 'expired';
  return link.review ? 'editable' : 'open';
}
