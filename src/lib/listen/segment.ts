import { z } from 'astro/zod';

/** The longest segment kept: a region, plan or team name, not a note. */
export const segmentMaxLength = 60;

/**
 * An optional segment (region, plan, team) as a CSV cell or a webhook field gives it: inner runs
 * of whitespace become one space, blank means none, longer than 60 characters is refused.
 */
export const segmentSchema = z.preprocess(
  (value) => (typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() || undefined : value === null ? undefined : value),
  z.string({ message: 'segment must be text' }).max(segmentMaxLength, `segment is longer than ${segmentMaxLength} characters`).optional(),
);
