import { z } from 'astro/zod';
import { nameDisplayChoices } from './display-name.ts';

/** Limits of the review form, shared by the schema, the page's hints and the tests. */
export const reviewFormLimits = {
  bodyMinLength: 20,
  bodyMaxLength: 2000,
  roleMaxLength: 80,
  companyMaxLength: 100,
  /**
   * A photo straight from a phone's camera: 12 MP shots are 2–6 MB, 48–50 MP ones 8–15 MB (more
   * when the scene is detailed). With JavaScript on, the browser shrinks it before sending anyway.
   */
  photoMaxBytes: 20 * 1024 * 1024,
  /**
   * The whole form post, photo included: room for a photo somewhat over its limit, so it is read
   * and refused with the rest of the form kept. Both the server's body limit and Astro's
   * actionBodySizeLimit use it.
   */
  postMaxBytes: 24 * 1024 * 1024,
} as const;

/**
 * Error messages are keys of the form's translations (`reviewForm.errors` in each catalog under
 * src/lib/i18n/), so the page can show each one in the reviewer's language.
 */
export const reviewFormErrorKeys = [
  'ratingRequired',
  'bodyTooShort',
  'bodyTooLong',
  'nameDisplayRequired',
  'roleTooLong',
  'companyTooLong',
  'photoTooLarge',
  'photoNotAnImage',
  'photoTooManyPixels',
  'photoHeic',
  'consentRequired',
] as const;

/** A field error's translation key. */
export type ReviewFormErrorKey = (typeof reviewFormErrorKeys)[number];

// Astro fills a missing optional field with null unless the schema itself is optional, and a
// transformed schema is not: hence nullish().
const optionalLine = (maxLength: number, tooLong: ReviewFormErrorKey) =>
  z
    .string()
    .trim()
    .max(maxLength, tooLong)
    .nullish()
    .transform((value) => (value ? value : null));

/**
 * The review form as posted (multipart or urlencoded). Astro Actions turn the FormData into an
 * object of this shape: numbers are converted, a checkbox becomes a boolean, the photo a File.
 */
export const reviewSubmissionSchema = z.object({
  token: z.string().max(64),
  /** The language of the form the reviewer used; normalised by the handler. */
  lang: z.string().max(16).optional(),
  rating: z.number({ message: 'ratingRequired' }).int('ratingRequired').min(1, 'ratingRequired').max(5, 'ratingRequired'),
  // Browsers send textarea line breaks as CRLF; count them as one character, as the reader sees them.
  body: z
    .string({ message: 'bodyTooShort' })
    .transform((value) => value.replace(/\r\n?/g, '\n').trim())
    .pipe(
      z
        .string()
        .min(reviewFormLimits.bodyMinLength, 'bodyTooShort')
        .max(reviewFormLimits.bodyMaxLength, 'bodyTooLong'),
    ),
  nameDisplay: z.enum(nameDisplayChoices, { message: 'nameDisplayRequired' }),
  role: optionalLine(reviewFormLimits.roleMaxLength, 'roleTooLong'),
  company: optionalLine(reviewFormLimits.companyMaxLength, 'companyTooLong'),
  // An empty file input still posts a nameless, empty File: that means "no photo".
  photo: z
    .instanceof(File, { message: 'photoNotAnImage' })
    .nullish()
    .transform((file) => (file && file.size > 0 ? file : null))
    .refine((file) => !file || file.size <= reviewFormLimits.photoMaxBytes, 'photoTooLarge'),
  removePhoto: z.boolean().default(false),
  consent: z.boolean().refine((value) => value, 'consentRequired'),
});

/** The posted form before validation. */
export type ReviewSubmissionInput = z.input<typeof reviewSubmissionSchema>;
/** A valid review form. */
export type ReviewSubmission = z.output<typeof reviewSubmissionSchema>;

/** Whether a zod message is one of the form's translation keys (anything else is shown generically). */
export function isReviewFormErrorKey(value: string): value is ReviewFormErrorKey {
  return (reviewFormErrorKeys as readonly string[]).includes(value);
}
