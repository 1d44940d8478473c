import { and, desc, eq, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import type { Database } from '../../../../db/client.ts';
import { adminUsers, auditLog, contacts, npsResponses } from '../../../../db/schema.ts';
import type { DashboardFilter } from '../../moderate/dashboard-filter.ts';
import { answerFilterSql } from './dashboard-filter-sql.ts';
import type { InStatement } from '@libsql/client';

// Detractors (0–6) and passives (7–8) deserve a personal word from the team. Each such answer
// waits here until a marketer marks it followed up; the dashboard times how long that took.

/** The highest score that asks for a personal follow-up: passives and detractors. */
export const followUpMaxScore = 8;

/** The time the dashboard measures follow-ups against. */
export const followUpTargetHours = 48;

/** One answer on the follow-up page. */
export interface FollowUpItem {
  responseId: number;
  score: number;
  comment: string | null;
  respondedAt: Date;
  segment: string | null;
  contactEmail: string;
  contactName: string | null;
  contactLocale: string;
  followedUpAt: Date | null;
  /** The admin's email; null when waiting, or when that admin account was removed. */
  followedUpBy: string | null;
  note: string | null;
}

/** What the follow-up page lists. */
export interface FollowUpLists {
  /** Waiting answers, newest first (at most `limit`). */
  waiting: FollowUpItem[];
  /** How many wait in all. */
  waitingTotal: number;
  /** Answers followed up most recently first (at most `limit`), each with an undo. */
  done: FollowUpItem[];
}

const needsFollowUp = lte(npsResponses.score, followUpMaxScore);

function listQuery(db: Database) {
  return db
    .select({
      responseId: npsResponses.id,
      score: npsResponses.score,
      comment: npsResponses.comment,
      respondedAt: npsResponses.respondedAt,
      segment: npsResponses.segment,
      contactEmail: contacts.email,
      contactName: contacts.name,
      contactLocale: contacts.locale,
      followedUpAt: npsResponses.followedUpAt,
      followedUpBy: adminUsers.email,
      note: npsResponses.followUpNote,
    })
    .from(npsResponses)
    // Erased customers have no contact row and no answers left; the join keeps any stray answer out too.
    .innerJoin(contacts, eq(contacts.id, npsResponses.contactId))
    .leftJoin(adminUsers, eq(adminUsers.id, npsResponses.followedUpBy));
}

/** The detractor and passive answers waiting for a follow-up (newest first) and the latest ones followed up. */
export async function listFollowUps(db: Database, options: { limit?: number } = {}): Promise<FollowUpLists> {
  const limit = options.limit ?? 100;
  const waitingWhere = and(needsFollowUp, isNull(npsResponses.followedUpAt));
  const waiting = await listQuery(db).where(waitingWhere).orderBy(desc(npsResponses.respondedAt), desc(npsResponses.id)).limit(limit);
  const [total] = await db
    .select({ value: sql<number>`count(*)` })
    .from(npsResponses)
    .innerJoin(contacts, eq(contacts.id, npsResponses.contactId))
    .where(waitingWhere);
  const done = await listQuery(db)
    .where(and(needsFollowUp, isNotNull(npsResponses.followedUpAt)))
    .orderBy(desc(npsResponses.followedUpAt), desc(npsResponses.id))
    .limit(limit);
  return { waiting, waitingTotal: Number(total?.value ?? 0), done };
}

/** What marking or undoing did. */
export type FollowUpOutcome =
  | { kind: 'marked'; responseId: number }
  | { kind: 'undone'; responseId: number }
  | { kind: 'not-found' }
  /** A promoter's answer: nothing to follow up. */
  | { kind: 'not-needed' }
  /** Someone marked it already (mark) or nobody had (undo). */
  | { kind: 'unchanged'; followedUpAt: Date | null };

/** The longest note kept with a follow-up. */
export const followUpNoteMaxLength = 500;

async function currentState(db: Database, responseId: number): Promise<FollowUpOutcome | { kind: 'found'; followedUpAt: Date | null }> {
  const [row] = await db
    .select({ score: npsResponses.score, followedUpAt: npsResponses.followedUpAt })
    .from(npsResponses)
    .innerJoin(contacts, eq(contacts.id, npsResponses.contactId))
    .where(eq(npsResponses.id, responseId));
  if (!row) return { kind: 'not-found' };
  if (row.score > followUpMaxScore) return { kind: 'not-needed' };
  return { kind: 'found', followedUpAt: row.followedUpAt };
}

/** The audit entry of a follow-up change, written in the same batch as the change itself. The note stays out: it may name the customer. */
function auditStatement(action: 'follow-up.mark' | 'follow-up.undo', admin: { id: number; email: string }, responseId: number): InStatement {
  return {
    sql: `insert into audit_log (actor_id, actor_label, action, subject_type, subject_id)
          select ?, ?, ?, 'nps_response', ? where changes() = 1`,
    args: [admin.id, admin.email, action, responseId],
  };
}

/**
 * Records that `admin` followed up on an answer (now, or at `at`), with an optional note. Only a
 * waiting answer changes: a second marker gets `unchanged`, and the first marker's time stays.
 */
export async function markFollowedUp(
  db: Database,
  input: { responseId: number; admin: { id: number; email: string }; note?: string | null; at?: Date },
): Promise<FollowUpOutcome> {
  const state = await currentState(db, input.responseId);
  if (state.kind !== 'found') return state;
  const note = input.note?.trim().slice(0, followUpNoteMaxLength) || null;
  const at = (input.at ?? new Date()).getTime();
  const [update] = await db.$client.batch(
    [
      {
        sql: `update nps_responses set followed_up_at = ?, followed_up_by = ?, follow_up_note = ?
              where id = ? and followed_up_at is null and score <= ?`,
        args: [at, input.admin.id, note, input.responseId, followUpMaxScore],
      },
      auditStatement('follow-up.mark', input.admin, input.responseId),
    ],
    'write',
  );
  if (update!.rowsAffected === 0) {
    const now = await currentState(db, input.responseId);
    return now.kind === 'found' ? { kind: 'unchanged', followedUpAt: now.followedUpAt } : now;
  }
  return { kind: 'marked', responseId: input.responseId };
}

/** Puts a followed-up answer back on the waiting list (a mistaken click), forgetting who, when and the note. */
export async function undoFollowUp(db: Database, input: { responseId: number; admin: { id: number; email: string } }): Promise<FollowUpOutcome> {
  const state = await currentState(db, input.responseId);
  if (state.kind !== 'found') return state;
  const [update] = await db.$client.batch(
    [
      {
        sql: 'update nps_responses set followed_up_at = null, followed_up_by = null, follow_up_note = null where id = ? and followed_up_at is not null',
        args: [input.responseId],
      },
      auditStatement('follow-up.undo', input.admin, input.responseId),
    ],
    'write',
  );
  if (update!.rowsAffected === 0) return { kind: 'unchanged', followedUpAt: null };
  return { kind: 'undone', responseId: input.responseId };
}

/** How quickly detractors and passives were followed up, over the answers the dashboard's filter selects. */
export interface FollowUpFigures {
  /** Detractor and passive answers in the filter. */
  needed: number;
  followedUp: number;
  /** Still waiting now. */
  waiting: number;
  /** Median hours from answer to follow-up, over those followed up; null when none was. */
  medianHours: number | null;
  /** Followed up within 48 hours of the answer. */
  withinTarget: number;
  /**
   * withinTarget ÷ answers whose 48 hours are over or that were followed up, in percent (answers
   * younger than 48 h still waiting could yet make it, so they count neither way); null when none.
   */
  withinTargetRate: number | null;
}

/** Median of sorted numbers. */
function median(sorted: number[]): number | null {
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Time-to-follow-up figures over the answers the filter selects, as of `now`. */
export async function loadFollowUpFigures(db: Database, filter: DashboardFilter, now = new Date()): Promise<FollowUpFigures> {
  const { where, args } = answerFilterSql(filter);
  const { rows } = await db.$client.execute({
    sql: `select r.responded_at, r.followed_up_at from nps_responses r join contacts c on c.id = r.contact_id
          where r.score <= ? and ${where}`,
    args: [followUpMaxScore, ...args],
  });
  const targetMs = followUpTargetHours * 3_600_000;
  const delays: number[] = [];
  let waiting = 0;
  let decided = 0;
  let withinTarget = 0;
  for (const row of rows) {
    const answeredAt = Number(row.responded_at);
    if (row.followed_up_at === null) {
      waiting++;
      if (now.getTime() - answeredAt > targetMs) decided++;
      continue;
    }
    // A follow-up recorded before an imported answer's time (clock skew) counts as immediate.
    const delay = Math.max(0, Number(row.followed_up_at) - answeredAt);
    delays.push(delay);
    decided++;
    if (delay <= targetMs) withinTarget++;
  }
  delays.sort((a, b) => a - b);
  const medianMs = median(delays);
  return {
    needed: rows.length,
    followedUp: delays.length,
    waiting,
    medianHours: medianMs === null ? null : Math.round((medianMs / 3_600_000) * 10) / 10,
    withinTarget,
    withinTargetRate: decided === 0 ? null : Math.round((withinTarget / decided) * 1000) / 10,
  };
}
