import { z } from 'astro/zod';
import { segmentSchema } from './segment.ts';

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/**
 * One NPS answer as it arrives from a CSV row or the webhook. `score` is optional so a file of
 * contacts alone (email, name, locale) imports too.
 */
export const npsAnswerSchema = z.object({
  email: z.preprocess(
    blankToUndefined,
    z
      .string({ message: 'email is required' })
      .trim()
      .toLowerCase()
      .pipe(z.email({ message: 'email is not a valid address' }).max(254, 'email is longer than 254 characters')),
  ),
  name: z.preprocess(blankToUndefined, z.string().trim().max(200, 'name is longer than 200 characters').optional()),
  locale: z.preprocess(blankToUndefined, z.string().trim().max(35).optional()),
  score: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ message: 'score must be a whole number from 0 to 10' })
      .int('score must be a whole number from 0 to 10')
      .min(0, 'score must be a whole number from 0 to 10')
      .max(10, 'score must be a whole number from 0 to 10')
      .optional(),
  ),
  comment: z.preprocess(blankToUndefined, z.string().trim().max(5000, 'comment is longer than 5000 characters').optional()),
  responded_at: z.preprocess(
    blankToUndefined,
    z.iso
      .datetime({ offset: true, local: false, message: 'responded_at must be an ISO 8601 date-time such as 2026-05-01T13:28:00Z' })
      .optional(),
  ),
  /** The customer's region, plan or team, kept with the answer as it was then. */
  segment: segmentSchema,
});

/** A validated NPS answer. */
export type NpsAnswer = z.output<typeof npsAnswerSchema>;
