import { queueQuery, type QueueFilter } from './queue-filter.ts';

/** The moderation forms that act on one review, by what they did. */
export type ReviewModerated = 'approved' | 'rejected' | 'hidden' | 'featured' | 'unfeatured' | 'redacted';

/** What a moderation form did: the answer of each `server.admin.*` action, for the page to switch on. */
export type ModerationDone =
  | { kind: ReviewModerated; reviewId: number }
  /** Bulk approval: `skipped` were no longer pending; `changed` changed since the moderator loaded the page and stay pending. */
  | { kind: 'approved-selected'; approved: number[]; skipped: number[]; changed: number[] };

/** A message above the queue. */
export interface QueueNotice {
  kind: 'success' | 'error';
  text: string;
}

/** The `done` value of the queue's address after each kind of action (a contract: bookmarks and tests use it). */
const doneKeys = {
  approved: 'approve',
  rejected: 'reject',
  hidden: 'hide',
  featured: 'feature',
  unfeatured: 'unfeature',
  redacted: 'redact',
  'approved-selected': 'approveSelected',
} as const satisfies Record<ModerationDone['kind'], string>;
type DoneKey = (typeof doneKeys)[keyof typeof doneKeys];

const successTexts: Record<DoneKey, (id: string, count: string) => string> = {
  approve: (id) => `Review ${id} approved.`,
  approveSelected: (_id, count) => `${count} review${count === '1' ? '' : 's'} approved.`,
  reject: (id) => `Review ${id} rejected.`,
  hide: (id) => `Review ${id} hidden from the wall.`,
  feature: (id) => `Review ${id} featured.`,
  unfeature: (id) => `Review ${id} no longer featured.`,
  redact: (id) => `Personal data removed from review ${id}.`,
};

/**
 * Where the queue goes after a moderation form succeeded (POST/redirect/GET: a reload never
 * repeats the action): the same filter and page, what was done to which review, and that review
 * in view. Only ids and counts travel in the address; readQueueNotice chooses the words.
 */
export function moderationDoneLocation(done: ModerationDone, filter: QueueFilter): string {
  const query = new URLSearchParams(queueQuery(filter));
  query.set('done', doneKeys[done.kind]);
  if (done.kind === 'approved-selected') {
    const reviewId = done.approved[0] ?? done.changed[0] ?? 0;
    query.set('review', String(reviewId));
    query.set('count', String(done.approved.length));
    if (done.changed.length > 0) query.set('changed', done.changed.join(','));
    return `/admin/?${query.toString()}#review-${reviewId}`;
  }
  query.set('review', String(done.reviewId));
  return `/admin/?${query.toString()}#review-${done.reviewId}`;
}

/**
 * The notice on the page a moderation form redirected to, or null when the address names no
 * action. Every text is fixed here and only digits are taken from the address, so a crafted link
 * cannot put words on the page.
 */
export function readQueueNotice(searchParams: URLSearchParams): QueueNotice | null {
  const doneKey = searchParams.get('done') ?? '';
  if (!Object.hasOwn(successTexts, doneKey)) return null;
  const id = (searchParams.get('review') ?? '').replace(/\D/g, '').slice(0, 12);
  const count = (searchParams.get('count') ?? '').replace(/\D/g, '').slice(0, 6);
  const text = successTexts[doneKey as DoneKey](id, count);
  // Ticked reviews left pending because they changed after the page was loaded (ids only).
  const changed = (searchParams.get('changed') ?? '').split(',').filter((part) => /^\d{1,12}$/.test(part)).slice(0, 200);
  if (doneKey !== 'approveSelected' || changed.length === 0) return { kind: 'success', text };
  const which = changed.length === 1 ? `Review ${changed[0]} was` : `Reviews ${changed.join(', ')} were`;
  return {
    kind: 'error',
    text: `${text} ${which} not approved: ${changed.length === 1 ? 'it has' : 'they have'} changed since you loaded the page — please read ${changed.length === 1 ? 'it' : 'them'} again.`,
  };
}

/** A moderation form's failure as Astro reports it: the parts of its ActionError the page reads. */
export interface ModerationFailure {
  status: number;
  message: string;
  /** Field messages, when the form's input was refused. */
  fields?: Record<string, string[] | undefined>;
}

/** The HTTP status and notice of a page after a moderation form failed. */
export function describeModerationFailure(failure: ModerationFailure): { status: number; notice: QueueNotice } {
  const text = failure.fields
    ? Object.values(failure.fields).flat().filter(Boolean).join(' ') || 'Please check the form.'
    : failure.message || 'Something went wrong.';
  return { status: failure.status >= 400 ? failure.status : 500, notice: { kind: 'error', text } };
}

/** The review a failed form was about (its `reviewId` field), so the page can mark the field that failed. */
export function failedReviewId(form: FormData | null): number | null {
  const id = Number(form?.get('reviewId'));
  return Number.isInteger(id) && id > 0 ? id : null;
}
