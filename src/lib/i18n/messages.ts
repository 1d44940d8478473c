import type { ReviewFormErrorKey } from '../collect/review-submission.ts';
import type { PluralForms } from '../plural.ts';

// The shape every language's catalog (en.ts, pl.ts, …) must have, feature by feature: TypeScript
// rejects a catalog with a missing or misspelt key. `{name}` in a text marks a value filled in by
// `fill`. A text with a number in it has a form for each plural category its language uses
// (PluralForms: one, few, many, other…), chosen by the number its comment names (see fillCounted).
// A sentence with a {date} ends with it: some languages end a date with an abbreviation ("2026 г.")
// whose dot is also the sentence's full stop.

/** Every text of the review form and its link pages. */
export interface ReviewFormStrings {
  pageTitle: string;
  heading: string;
  intro: string;
  incentiveNotice: string;
  honestyNotice: string;
  languageLabel: string;
  required: string;
  optional: string;
  ratingLegend: string;
  starLabels: [string, string, string, string, string];
  bodyLabel: string;
  /** By {max}. */
  bodyHint: PluralForms;
  nameDisplayLegend: string;
  nameFull: string;
  nameFirstInitial: string;
  nameAnonymous: string;
  shownAs: string;
  roleLabel: string;
  companyLabel: string;
  photoLabel: string;
  photoHint: string;
  /** Shown (with JavaScript) while the browser shrinks a chosen photo. */
  photoPreparing: string;
  /** Shown (with JavaScript) once it has: `{size}` is the new size in megabytes. */
  photoShrunk: string;
  photoCurrent: string;
  removePhoto: string;
  photoChooseAgain: string;
  consentLabel: string;
  submit: string;
  saveChanges: string;
  errorSummaryTitle: string;
  /** Texts with a limit in them have plural forms, by that limit ({min} or {max}). */
  errors: Record<ReviewFormErrorKey, string | PluralForms>;
  rateLimited: string;
  formTooLarge: string;
  alreadyModerated: string;
  serverError: string;
  savedTitle: string;
  savedBody: string;
  editingNotice: string;
  notFoundTitle: string;
  notFoundBody: string;
  expiredTitle: string;
  /** By {days}. */
  expiredBody: PluralForms;
  statusTitle: string;
  statusApproved: string;
  statusNotPublished: string;
  /** The incentive is still to be sent (whatever the moderation outcome). */
  statusIncentivePending: string;
  /** The incentive was emailed on {date}. */
  statusIncentiveSent: string;
}

/** Every text of the invitation email. */
export interface InviteEmailStrings {
  subject: string;
  greeting: string;
  greetingWithoutName: string;
  thanks: string;
  ask: string;
  /** Promises the incentive whatever the review says (FTC 16 CFR 465.4). */
  incentive: string;
  action: string;
  linkNote: string;
  footer: string;
  unsubscribe: string;
}

/** Texts of the unsubscribe page reached from the invitation email. */
export interface UnsubscribePageStrings {
  title: string;
  question: string;
  button: string;
  notFoundTitle: string;
  notFound: string;
}

/** Every text of the incentive (thank-you) email. */
export interface IncentiveEmailStrings {
  subject: string;
  greeting: string;
  greetingWithoutName: string;
  thanks: string;
  code: string;
  independence: string;
  footer: string;
}

/** Subjects of a moderator's reply by email, in the customer's language. */
export interface AdminReplyStrings {
  /** Replying to a review; `{item}` is the thing reviewed. */
  review: string;
  /** Replying to an NPS answer; `{business}` is the business name. */
  feedback: string;
}

/** Every text in one language, by feature. */
export interface Messages {
  /** The language's own name, for language switchers ("Polski", not "Polish"). */
  languageName: string;
  /**
   * The name shown for a reviewer who chose to stay anonymous: in the form's preview, and with
   * their review wherever it is published (in the review's language).
   */
  anonymousAuthor: string;
  reviewForm: ReviewFormStrings;
  inviteEmail: InviteEmailStrings;
  unsubscribePage: UnsubscribePageStrings;
  incentiveEmail: IncentiveEmailStrings;
  adminReply: AdminReplyStrings;
}
