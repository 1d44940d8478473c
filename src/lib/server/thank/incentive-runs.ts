import { randomUUID } from 'node:crypto';
import type { Database } from '../../../../db/client.ts';
import { acquireCommandLock, CommandLockHeldError } from '../platform/command-lock.ts';
import type { JobResult, TaskJobHandler } from '../schedule/job-runner.ts';
import { scheduleJob } from '../schedule/scheduler.ts';
import { assignGiftCodes, giftCodesInUse, OutOfGiftCodesError } from './gift-codes.ts';
import { countIncentivesByState, deliverIncentives, selectIncentiveRecipients, type IncentiveState } from './incentives.ts';

/** The job behind the admin's "Send incentives": one run of what `npm run incentives` does. */
export const incentiveRunJobKind = 'incentives.send';

/** Starts sending every incentive that is due, in the background; returns the run's job id. */
export async function startIncentiveRun(db: Database, input: { adminId: number | null; now?: Date }): Promise<number> {
  const key = `incentives-run:${randomUUID()}`;
  await scheduleJob(db, { kind: incentiveRunJobKind, key, payload: { adminId: input.adminId }, dueAt: input.now ?? new Date() });
  const { rows } = await db.$client.execute({ sql: 'select id from scheduled_jobs where key = ?', args: [key] });
  return Number(rows[0]!.id);
}

/**
 * Sends the incentives that are due under the same command lock as `npm run incentives`, so the
 * admin's run and a terminal's never send at once. A run that dies half-way leaves its rows in
 * `sending` with their batch key, and the retry (this job, claimed again) repeats exactly that
 * request: nobody is thanked twice, nobody skipped.
 */
export const incentiveRunHandler: TaskJobHandler = {
  type: 'task',
  kind: incentiveRunJobKind,
  async run(context, _job, now): Promise<JobResult> {
    const { db } = context;
    let lock;
    try {
      lock = await acquireCommandLock(db, 'incentives');
    } catch (error) {
      if (!(error instanceof CommandLockHeldError)) throw error;
      return { status: 'retry', error: `another run is sending (${error.holder})`, at: new Date(now.getTime() + 60_000) };
    }
    try {
      if (await giftCodesInUse(db)) {
        // Rows already handed to the provider keep their exact message, so only fresh rows get codes.
        const needingCodes = (await selectIncentiveRecipients(db)).filter((recipient) => !recipient.code && !recipient.batchKey);
        if (needingCodes.length > 0) {
          try {
            await assignGiftCodes(db, { newCodes: [], incentiveIds: needingCodes.map((recipient) => recipient.incentiveId) });
          } catch (error) {
            if (error instanceof OutOfGiftCodesError) return { status: 'done', outcome: `failed: ${error.message}` };
            throw error;
          }
        }
      }
      const summary = await deliverIncentives({ config: context.config, mailer: context.mailer, sendBatch: context.sendBatch, lock });
      if (summary.stopped) return { status: 'retry', error: 'the run lost its lock; the rest is sent on the next attempt' };
      return { status: 'done', outcome: `${summary.sent} of ${summary.total} sent${summary.failed ? `, ${summary.failed} failed` : ''}` };
    } finally {
      await lock.release();
    }
  },
};

/** A run of "Send incentives" and the ledger it works through. */
export interface IncentiveRunProgress {
  jobId: number;
  state: 'waiting' | 'sending' | 'done' | 'failed';
  /** What the run did, once done ("3 of 3 sent"). */
  outcome: string | null;
  lastError: string | null;
  ledger: Record<IncentiveState, number>;
  createdAt: Date;
}

/** The progress of a run, read from the database (so it survives reloads and restarts). */
export async function incentiveRunProgress(db: Database, jobId: number): Promise<IncentiveRunProgress | null> {
  const { rows } = await db.$client.execute({
    sql: 'select done_at, outcome, last_error, claimed_by, created_at from scheduled_jobs where id = ? and kind = ?',
    args: [jobId, incentiveRunJobKind],
  });
  const row = rows[0];
  if (!row) return null;
  const outcome = row.outcome === null ? null : String(row.outcome);
  const done = row.done_at !== null;
  return {
    jobId,
    state: done ? (outcome?.startsWith('failed') ? 'failed' : 'done') : row.claimed_by !== null ? 'sending' : 'waiting',
    outcome,
    lastError: row.last_error === null ? null : String(row.last_error),
    ledger: await countIncentivesByState(db),
    createdAt: new Date(Number(row.created_at)),
  };
}
