import { z } from 'astro/zod';
import { segmentSchema } from './segment.ts';
import type { ReviewWallConfig } from '../config-schema.ts';

/** Why a survey went out. */
export type SurveyTrigger = 'manual' | 'ticket' | 'autopilot';

/** Who is asked for a review after answering: promoters (9–10) or everyone. */
export type InviteAudience = ReviewWallConfig['invite']['audience'];

const dayMs = 24 * 60 * 60 * 1000;

/** Whether an answer with this score is asked for a review under `audience`. */
export function isInInviteAudience(score: number, audience: InviteAudience): boolean {
  return audience === 'all' || score >= 9;
}

/** A score from a link's path ("0"…"10"), or null for anything else ("010", "11", "nine"). */
export function parseScore(value: string | undefined): number | null {
  return value !== undefined && /^(10|[0-9])$/.test(value) ? Number(value) : null;
}

/**
 * How long one survey round lasts: the autopilot's rhythm when it is on, else the quiet period
 * (nobody can be surveyed twice within it anyway), and at least a day.
 */
export function roundLengthDays(config: ReviewWallConfig): number {
  return Math.max(1, config.surveys.autopilot?.everyDays ?? config.surveys.quietPeriodDays);
}

/**
 * The round a survey created at `now` belongs to: the latest round while it lasts, else the next
 * one. Rounds are numbered from 1 and start with their first survey, so NPS can be compared round
 * by round whatever triggered each survey.
 */
export function surveyRoundAt(latest: { round: number; startedAt: Date } | null, now: Date, lengthDays: number): number {
  if (!latest) return 1;
  return now.getTime() - latest.startedAt.getTime() >= lengthDays * dayMs ? latest.round + 1 : latest.round;
}

/** The start of the quiet period before `now`: a contact surveyed after it is not surveyed again. */
export function quietPeriodStart(config: ReviewWallConfig, now: Date): Date {
  return new Date(now.getTime() - config.surveys.quietPeriodDays * dayMs);
}

/** The longest reason a respondent may give for their score. */
export const reasonMaxLength = 2000;

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** A resolved helpdesk ticket as `POST /api/events/ticket-resolved` receives it. */
export const ticketResolvedSchema = z.object({
  email: z.preprocess(
    blankToUndefined,
    z
      .string({ message: 'email is required' })
      .trim()
      .toLowerCase()
      .pipe(z.email({ message: 'email is not a valid address' }).max(254, 'email is longer than 254 characters')),
  ),
  name: z.preprocess(blankToUndefined, z.string().trim().max(200, 'name is longer than 200 characters').optional()),
  locale: z.preprocess(blankToUndefined, z.string().trim().max(35, 'locale is longer than 35 characters').optional()),
  ticket_id: z.preprocess(
    (value) => (typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : blankToUndefined(value)),
    z
      .string({ message: 'ticket_id is required (the helpdesk ticket number or id)' })
      .trim()
      .max(200, 'ticket_id is longer than 200 characters'),
  ),
  /** The question to ask (nps, csat or ces); surveys.afterTicketKind in the config when left out. */
  kind: z.preprocess(
    (value) => (typeof value === 'string' ? blankToUndefined(value.trim().toLowerCase()) : value),
    z.enum(['nps', 'csat', 'ces'], { message: 'kind must be nps, csat or ces' }).optional(),
  ),
  resolved_at: z.preprocess(
    blankToUndefined,
    z.iso
      .datetime({ offset: true, local: false, message: 'resolved_at must be an ISO 8601 date-time such as 2026-05-01T13:28:00Z' })
      .optional(),
  ),
  /** The customer's region, plan or team: kept with the contact, the survey and its answer. */
  segment: segmentSchema,
});

/** A validated ticket event. */
export type TicketResolved = z.output<typeof ticketResolvedSchema>;

const isoDay = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A date range from two days (YYYY-MM-DD, UTC, both included) as the dashboard's form sends them:
 * the range, null when neither is given, or what is wrong.
 */
export function parseDayRange(from: string | null | undefined, to: string | null | undefined): { from: Date; to: Date } | { error: string } | null {
  if (!from && !to) return null;
  if (!from || !to) return { error: 'Give both the first and the last day.' };
  if (!isoDay.test(from) || !isoDay.test(to) || Number.isNaN(Date.parse(`${from}T00:00:00Z`)) || Number.isNaN(Date.parse(`${to}T00:00:00Z`))) {
    return { error: 'Days are written YYYY-MM-DD.' };
  }
  const start = new Date(`${from}T00:00:00Z`);
  const end = new Date(Date.parse(`${to}T00:00:00Z`) + dayMs);
  if (end.getTime() <= start.getTime()) return { error: 'The last day comes before the first.' };
  return { from: start, to: end };
}
