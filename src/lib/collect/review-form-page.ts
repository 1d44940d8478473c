// What the review form's page (/r/TOKEN) shows, decided from the link, the post it answers and the
// request, so the page itself only renders.
import { formatDateInSentence } from '../i18n/dates.ts';
import { fill, fillCounted, messagesFor } from '../i18n/index.ts';
import { chooseLocale, type Locale } from '../locales.ts';
import { nameDisplayChoices, type NameDisplay } from './display-name.ts';
import type { OwnReview, ReviewLinkState } from './review-link.ts';
import { isReviewFormErrorKey, reviewFormLimits, type ReviewFormErrorKey } from './review-submission.ts';

/** The form's fields, in the order the error summary lists them. */
export const reviewFormFields = ['rating', 'body', 'nameDisplay', 'role', 'company', 'photo', 'consent'] as const;
export type ReviewFormField = (typeof reviewFormFields)[number];

/** The element each field's entry in the error summary links to. */
export const reviewFormFieldAnchors: Record<ReviewFormField, string> = {
  rating: 'rating-1',
  body: 'body',
  nameDisplay: 'name-display-full',
  role: 'role',
  company: 'company',
  photo: 'photo',
  consent: 'consent',
};

/** A failed post of the form, as Astro reports it: the parts of the action's error the page reads. */
export interface ReviewFormFailure {
  code: string;
  status: number;
  /** A translation key (see src/actions/review.ts) or, for an unexpected error, anything. */
  message: string;
  /** Each field's messages, when the input was refused. */
  fields?: Record<string, string[] | undefined>;
}

/** A message about the whole form, by its translation key. */
export type ReviewFormMessage = 'rateLimited' | 'formTooLarge' | 'alreadyModerated' | 'serverError';

/** What the form's fields show. */
export interface ReviewFormValues {
  rating: number | null;
  body: string;
  nameDisplay: NameDisplay | null;
  role: string;
  company: string;
  consent: boolean;
  removePhoto: boolean;
}

/** The form as the page shows it. */
export interface ReviewFormState {
  /** The review already sent through this link (being edited), or null for a first review. */
  review: OwnReview | null;
  contactName: string | null;
  values: ReviewFormValues;
  fieldErrors: Partial<Record<ReviewFormField, ReviewFormErrorKey>>;
  message: ReviewFormMessage | null;
  /** Just saved: the page thanks the reviewer. */
  saved: boolean;
  /** A photo was chosen for the post that failed; browsers cannot keep it, so the page says to choose it again. */
  choseFile: boolean;
}

/** What a review link's page shows, in which language, with which HTTP status. */
export type ReviewFormPage = { locale: Locale; status: number } & (
  | { kind: 'not-found' }
  | { kind: 'expired' }
  /** The review was moderated: the page says how it ended, and what became of the incentive. */
  | { kind: 'status'; review: OwnReview; incentiveSentAt: Date | null }
  | { kind: 'form'; form: ReviewFormState; retryAfterSeconds?: number }
);

/** What the page knows when it answers a request. */
export interface ReviewFormPageInput {
  /** The link and what it can do now; null for a token we never issued. */
  link: { state: ReviewLinkState; locale: string; contactName: string | null; review: OwnReview | null; incentiveSentAt?: Date | null } | null;
  /** Why the post this page answers failed; null for a GET. */
  failure: ReviewFormFailure | null;
  /** The fields of that post, when its body was read (see mayShowPostedForm). */
  posted: FormData | null;
  /** The page's query: `lang` (chosen in the language switcher) and `saved=1` (after a save). */
  query: URLSearchParams;
  acceptLanguage: string | null;
  /** How long a rate-limited reviewer must wait, when known. */
  retryAfterSeconds?: number;
  locales: { enabled: readonly Locale[]; default: Locale };
}

/**
 * Whether the page may read a failed post to show back what was typed: not a body refused for its
 * size, nor one the rate-limit gate (middleware.ts) turned away unread.
 */
export function mayShowPostedForm(failure: ReviewFormFailure | null, bodyUnread: boolean | undefined): boolean {
  return failure !== null && failure.code !== 'CONTENT_TOO_LARGE' && !bodyUnread;
}

/** Decides what a review link's page shows. */
export function reviewFormPage(input: ReviewFormPageInput): ReviewFormPage {
  const { link, failure, posted } = input;
  const locale = chooseLocale([input.query.get('lang'), posted?.get('lang'), link?.review?.locale, link?.locale], {
    // A link that is not valid says nothing about its reader: ask their browser.
    acceptLanguage: input.acceptLanguage,
    enabled: input.locales.enabled,
    fallback: input.locales.default,
  });
  if (!link || failure?.code === 'NOT_FOUND') return { kind: 'not-found', locale, status: 404 };
  if (link.state === 'moderated' && link.review) return { kind: 'status', locale, status: 200, review: link.review, incentiveSentAt: link.incentiveSentAt ?? null };
  if (link.state === 'expired' || failure?.code === 'GONE') return { kind: 'expired', locale, status: 410 };

  const form: ReviewFormState = {
    review: link.review,
    contactName: link.contactName,
    values: posted ? postedValues(posted) : savedValues(link.review),
    fieldErrors: {},
    message: null,
    saved: !failure && input.query.get('saved') === '1' && link.review !== null,
    choseFile: posted?.get('photo') instanceof File && (posted.get('photo') as File).size > 0,
  };
  if (!failure) return { kind: 'form', locale, status: 200, form };
  if (failure.fields) {
    for (const field of reviewFormFields) {
      const messages = failure.fields[field];
      const key = messages?.find(isReviewFormErrorKey);
      // A message that is not one of ours (zod's own) still marks the field.
      if (key) form.fieldErrors[field] = key;
      else if (messages?.length) form.fieldErrors[field] = field === 'photo' ? 'photoNotAnImage' : 'ratingRequired';
    }
    return { kind: 'form', locale, status: 400, form };
  }
  // A photo refused by its content comes back as the error's message.
  if (isReviewFormErrorKey(failure.message)) {
    form.fieldErrors.photo = failure.message;
    return { kind: 'form', locale, status: failure.status, form };
  }
  switch (failure.code) {
    case 'TOO_MANY_REQUESTS':
      return { kind: 'form', locale, status: 429, form: { ...form, message: 'rateLimited' }, retryAfterSeconds: input.retryAfterSeconds };
    case 'CONTENT_TOO_LARGE':
      return { kind: 'form', locale, status: 413, form: { ...form, message: 'formTooLarge' } };
    case 'CONFLICT':
      return { kind: 'form', locale, status: 409, form: { ...form, message: 'alreadyModerated' } };
    default:
      return { kind: 'form', locale, status: failure.status >= 400 ? failure.status : 500, form: { ...form, message: 'serverError' } };
  }
}

/** The photo limit as the form's texts state it, in whole megabytes. */
export const photoMaxMegabytes = Math.floor(reviewFormLimits.photoMaxBytes / (1024 * 1024));

/** The text of a field error in the form's language, with the limit it refers to (and the plural form that limit takes). */
export function reviewFormErrorText(locale: Locale, key: ReviewFormErrorKey): string {
  const max =
    key === 'roleTooLong' ? reviewFormLimits.roleMaxLength : key === 'companyTooLong' ? reviewFormLimits.companyMaxLength : reviewFormLimits.bodyMaxLength;
  const min = reviewFormLimits.bodyMinLength;
  return fillCounted(locale, messagesFor(locale).reviewForm.errors[key], key === 'bodyTooShort' ? min : max, { min, max, megabytes: photoMaxMegabytes });
}

/** The text of a message about the whole form, in the form's language. */
export function reviewFormMessageText(locale: Locale, key: ReviewFormMessage): string {
  return fill(messagesFor(locale).reviewForm[key], { megabytes: photoMaxMegabytes });
}

/**
 * What the status page says about the incentive: that it was emailed, and when, or that it will
 * be. The reviewer gets it whatever the moderation outcome, so a rejected review's page says so too.
 */
export function incentiveStatusText(locale: Locale, incentive: string, sentAt: Date | null): string {
  const t = messagesFor(locale).reviewForm;
  return sentAt
    ? fill(t.statusIncentiveSent, { incentive, date: formatDateInSentence(locale, sentAt, 'on') })
    : fill(t.statusIncentivePending, { incentive });
}

/** The hint under the review's text box: how long it may be. */
export function reviewBodyHint(locale: Locale): string {
  const { bodyMinLength: min, bodyMaxLength: max } = reviewFormLimits;
  return fillCounted(locale, messagesFor(locale).reviewForm.bodyHint, max, { min, max });
}

/** What was just posted, cut to a sane length (the form refused it, so it may be anything). */
function postedValues(posted: FormData): ReviewFormValues {
  const text = (name: string, maxLength: number) => {
    const value = posted.get(name);
    return typeof value === 'string' ? value.slice(0, maxLength) : '';
  };
  const nameDisplay = text('nameDisplay', 20);
  return {
    rating: Number(text('rating', 2)) || null,
    body: text('body', reviewFormLimits.bodyMaxLength * 5),
    nameDisplay: (nameDisplayChoices as readonly string[]).includes(nameDisplay) ? (nameDisplay as NameDisplay) : null,
    role: text('role', reviewFormLimits.roleMaxLength * 5),
    company: text('company', reviewFormLimits.companyMaxLength * 5),
    consent: posted.has('consent'),
    removePhoto: posted.has('removePhoto'),
  };
}

/** The saved review, or the defaults of a first review. */
function savedValues(review: OwnReview | null): ReviewFormValues {
  return {
    rating: review?.rating ?? null,
    body: review?.body ?? '',
    nameDisplay: review?.nameDisplay ?? 'first_initial',
    role: review?.role ?? '',
    company: review?.company ?? '',
    consent: review !== null,
    removePhoto: false,
  };
}
