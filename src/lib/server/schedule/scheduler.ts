import type { InStatement } from '@libsql/client';
import { randomUUID } from 'node:crypto';
import type { Database } from '../../../../db/client.ts';
import { thisProcessHolder } from '../platform/command-lock.ts';

/** Work to do at a time. `key` is unique: scheduling the same work again changes nothing. */
export interface JobToSchedule {
  kind: string;
  key: string;
  /** Ids only, never personal data (it is kept after the work is done, for the admin's history). */
  payload?: Record<string, unknown>;
  /** The customer it concerns: erasing them removes the job. */
  contactId?: number | null;
  dueAt: Date;
}

/** A job claimed by this tick: nobody else works on it until its claim expires. */
export interface ClaimedJob {
  id: number;
  kind: string;
  key: string;
  payload: Record<string, unknown>;
  contactId: number | null;
  dueAt: Date;
  /** Claims so far, this one included. */
  attempts: number;
  /** The provider request an earlier attempt handed its email to, if any. */
  batchKey: string | null;
}

/** How long a claim lasts: a tick that dies holding jobs frees them after this. */
export const claimLeaseMs = 5 * 60 * 1000;
/** A job that failed this many times is finished as failed and waits for a person. */
export const maxJobAttempts = 8;

/** The statement that schedules a job (for a caller's own transaction). */
export function scheduleJobStatement(job: JobToSchedule): InStatement {
  return {
    sql: `insert into scheduled_jobs (kind, key, payload, contact_id, due_at) values (?, ?, ?, ?, ?) on conflict (key) do nothing`,
    args: [job.kind, job.key, JSON.stringify(job.payload ?? {}), job.contactId ?? null, job.dueAt.getTime()],
  };
}

/** Schedules a job; false when one with the same key exists (done or not). */
export async function scheduleJob(db: Database, job: JobToSchedule): Promise<boolean> {
  const result = await db.$client.execute(scheduleJobStatement(job));
  return result.rowsAffected > 0;
}

/** A name for one tick run: unique even for two ticks of the same process. */
export function newTickHolder(): string {
  return `${thisProcessHolder()}:${randomUUID().slice(0, 8)}`;
}

/**
 * Claims up to `limit` due jobs in one statement: rows not done, due, and not claimed by anyone
 * whose claim is still running. SQLite and libSQL servers run a statement atomically, so two
 * ticks started together never claim the same row.
 */
export async function claimDueJobs(
  db: Database,
  options: { holder: string; now: Date; limit: number; kinds?: readonly string[] | undefined; leaseMs?: number },
): Promise<ClaimedJob[]> {
  const now = options.now.getTime();
  const kinds = options.kinds ?? [];
  const kindFilter = kinds.length ? ` and kind in (${kinds.map(() => '?').join(', ')})` : '';
  const { rows } = await db.$client.execute({
    sql: `update scheduled_jobs set claimed_by = ?, claim_expires_at = ?, attempts = attempts + 1
          where id in (
            select id from scheduled_jobs
            where done_at is null and due_at <= ? and (claim_expires_at is null or claim_expires_at <= ?)${kindFilter}
            order by due_at, id limit ?)
          returning id, kind, key, payload, contact_id, due_at, attempts, batch_key`,
    args: [options.holder, now + (options.leaseMs ?? claimLeaseMs), now, now, ...kinds, options.limit],
  });
  return rows
    .map((row) => ({
      id: Number(row.id),
      kind: String(row.kind),
      key: String(row.key),
      payload: parsePayload(String(row.payload)),
      contactId: row.contact_id === null ? null : Number(row.contact_id),
      dueAt: new Date(Number(row.due_at)),
      attempts: Number(row.attempts),
      batchKey: row.batch_key === null ? null : String(row.batch_key),
    }))
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.id - b.id);
}

/** A job payload from its stored JSON ({} when unreadable). */
export function parsePayload(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Finishes a job this holder still holds, with what it did (e.g. "sent", "skipped: unsubscribed"). */
export function completeJobStatement(jobId: number, holder: string, outcome: string, now: Date): InStatement {
  return {
    sql: `update scheduled_jobs set done_at = ?, outcome = ?, last_error = null, claimed_by = null, claim_expires_at = null
          where id = ? and claimed_by = ? and done_at is null`,
    args: [now.getTime(), outcome, jobId, holder],
  };
}

/** How long to wait before attempt `attempts + 1`: one minute, doubling, at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 60 * 60 * 1000);
}

/**
 * Hands a job back after a failure: due again later (at `retryAt`, or after the backoff), or,
 * after `maxJobAttempts`, finished as failed so a person can look at it.
 */
export function retryJobStatement(job: ClaimedJob, holder: string, error: string, now: Date, retryAt?: Date): InStatement {
  const reason = error.split('\n')[0]!.slice(0, 500);
  if (!retryAt && job.attempts >= maxJobAttempts) {
    return {
      sql: `update scheduled_jobs set done_at = ?, outcome = 'failed', last_error = ?, claimed_by = null, claim_expires_at = null
            where id = ? and claimed_by = ? and done_at is null`,
      args: [now.getTime(), reason, job.id, holder],
    };
  }
  const due = retryAt ?? new Date(now.getTime() + retryDelayMs(job.attempts));
  return {
    sql: `update scheduled_jobs set due_at = ?, last_error = ?, claimed_by = null, claim_expires_at = null
          where id = ? and claimed_by = ? and done_at is null`,
    args: [due.getTime(), reason, job.id, holder],
  };
}

/** Jobs waiting and jobs finished, for the admin. */
export interface JobListing {
  id: number;
  kind: string;
  key: string;
  dueAt: Date;
  attempts: number;
  claimedBy: string | null;
  lastError: string | null;
  outcome: string | null;
  doneAt: Date | null;
}

function toListing(row: Record<string, unknown>): JobListing {
  return {
    id: Number(row.id),
    kind: String(row.kind),
    key: String(row.key),
    dueAt: new Date(Number(row.due_at)),
    attempts: Number(row.attempts),
    claimedBy: row.claimed_by === null ? null : String(row.claimed_by),
    lastError: row.last_error === null ? null : String(row.last_error),
    outcome: row.outcome === null ? null : String(row.outcome),
    doneAt: row.done_at === null ? null : new Date(Number(row.done_at)),
  };
}

/** The next jobs due (soonest first) and the latest finished ones, with counts of each. */
export async function listScheduledJobs(db: Database, limit = 50): Promise<{ pending: JobListing[]; done: JobListing[]; pendingCount: number; pendingByKind: { kind: string; count: number }[] }> {
  const columns = 'id, kind, key, due_at, attempts, claimed_by, last_error, outcome, done_at';
  const [pending, done, byKind] = await db.$client.batch(
    [
      { sql: `select ${columns} from scheduled_jobs where done_at is null order by due_at, id limit ?`, args: [limit] },
      { sql: `select ${columns} from scheduled_jobs where done_at is not null order by done_at desc, id desc limit ?`, args: [limit] },
      'select kind, count(*) as count from scheduled_jobs where done_at is null group by kind order by kind',
    ],
    'read',
  );
  const pendingByKind = byKind!.rows.map((row) => ({ kind: String(row.kind), count: Number(row.count) }));
  return {
    pending: pending!.rows.map((row) => toListing(row as Record<string, unknown>)),
    done: done!.rows.map((row) => toListing(row as Record<string, unknown>)),
    pendingCount: pendingByKind.reduce((sum, entry) => sum + entry.count, 0),
    pendingByKind,
  };
}

/** Jobs due now that no running tick holds, per kind (what a tick would do now). */
export async function countDueJobs(db: Database, now = new Date()): Promise<{ kind: string; count: number }[]> {
  const { rows } = await db.$client.execute({
    sql: `select kind, count(*) as count from scheduled_jobs
          where done_at is null and due_at <= ? and (claim_expires_at is null or claim_expires_at <= ?)
          group by kind order by kind`,
    args: [now.getTime(), now.getTime()],
  });
  return rows.map((row) => ({ kind: String(row.kind), count: Number(row.count) }));
}
