import type { InStatement } from '@libsql/client';
import { createHash } from 'node:crypto';
import type { Database } from '../../../../db/client.ts';
import type { ReviewWallConfig } from '../../config-schema.ts';
import type { NotificationTargets } from '../notify/notification-targets.ts';
import { MailDeliveryError, resendBatchLimit, sendMail, type MailMessage, type Mailer, type ResendBatchSender } from '../platform/mail.ts';
import { claimDueJobs, completeJobStatement, maxJobAttempts, newTickHolder, retryJobStatement, type ClaimedJob } from './scheduler.ts';

/** What every job handler may use. */
export interface JobContext {
  db: Database;
  config: ReviewWallConfig;
  mailer: Mailer;
  siteUrl: string;
  /** Present when Resend is used: emails of many jobs go out in one batch request. */
  sendBatch?: ResendBatchSender | null | undefined;
  /** Awaited before each single-email provider request (batches pace themselves). */
  pace?: (() => Promise<void>) | undefined;
  /** Slack and webhook endpoints the tick delivers outbox events to (absent: events wait). */
  notifications?: NotificationTargets | undefined;
}

/** A job that finished (with what it did) or should be tried again later. */
export type JobResult = { status: 'done'; outcome: string } | { status: 'retry'; error: string; at?: Date | undefined };

/** Work that is not an email of its own (creating surveys, a delayed invitation with its own sending rules). */
export interface TaskJobHandler {
  type: 'task';
  kind: string;
  run(context: JobContext, job: ClaimedJob, now: Date): Promise<JobResult>;
}

/** One job's email, with the writes that record it as sent (in the same transaction as the job's completion). */
export interface JobMail {
  status: 'mail';
  message: MailMessage;
  afterSent: InStatement[];
}

/**
 * Jobs that each send one email: the runner sends the emails of many jobs together (Resend
 * batches of 100) and finishes each job with its email. `prepare` answers for every job, in order.
 */
export interface MailJobHandler {
  type: 'mail';
  kind: string;
  prepare(context: JobContext, jobs: ClaimedJob[], now: Date): Promise<(JobMail | JobResult)[]>;
}

/** A handler of one kind of job. */
export type JobHandler = TaskJobHandler | MailJobHandler;

/** What a run did. */
export interface JobRunSummary {
  claimed: number;
  /** Jobs whose email went out (or had gone out already). */
  sent: number;
  /** Jobs finished without an email of their own (tasks, and emails no longer wanted). */
  finished: number;
  /** Jobs handed back to be tried again later. */
  retried: number;
  /** Jobs finished as failed after their last attempt. */
  failed: number;
  /** Provider requests made for batches. */
  batches: number;
}

/** Options of a run. */
export interface JobRunOptions {
  holder?: string;
  /** The clock: a fixed time in tests. */
  now?: () => Date;
  /** Jobs claimed at a time (default 500: five Resend batches). */
  chunkSize?: number;
  /** Only these kinds. */
  kinds?: readonly string[] | undefined;
  /** Stop claiming after this long (default 50 s, so a run every minute rarely overlaps the next). */
  maxDurationMs?: number;
  onProgress?: (summary: JobRunSummary) => void;
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The key of a provider request: derived from the job keys it carries, so a retry repeats it. */
export function jobBatchKey(jobKeys: string[]): string {
  return `jobs:${createHash('sha256').update([...jobKeys].sort().join('\n')).digest('hex').slice(0, 32)}`;
}

/**
 * Claims due jobs chunk by chunk and runs each with its kind's handler, until nothing is due or
 * the time is up. Every job ends finished, or handed back with a later due time; a job whose
 * claim ran out (a crashed tick) is claimed again by a later run and repeats the same email under
 * the same idempotency key, so nothing goes out twice.
 */
export async function runDueJobs(context: JobContext, handlers: readonly JobHandler[], options: JobRunOptions = {}): Promise<JobRunSummary> {
  const holder = options.holder ?? newTickHolder();
  const clock = options.now ?? (() => new Date());
  const started = Date.now();
  const byKind = new Map(handlers.map((handler) => [handler.kind, handler]));
  const summary: JobRunSummary = { claimed: 0, sent: 0, finished: 0, retried: 0, failed: 0, batches: 0 };
  const { db } = context;

  /** Writes a job's end (or hand-back) and counts it. */
  const settle = async (job: ClaimedJob, result: JobResult, now: Date, extra: InStatement[] = []) => {
    if (result.status === 'done') {
      await db.$client.batch([...extra, completeJobStatement(job.id, holder, result.outcome, now)], 'write');
      summary.finished++;
      return;
    }
    // Never due again within this run: a run with a fixed clock must not spin on it.
    const at = result.at && result.at.getTime() > now.getTime() ? result.at : undefined;
    await db.$client.execute(retryJobStatement(job, holder, result.error, now, at));
    if (!at && job.attempts >= maxJobAttempts) summary.failed++;
    else summary.retried++;
  };

  for (;;) {
    const now = clock();
    const jobs = await claimDueJobs(db, { holder, now, limit: options.chunkSize ?? 500, kinds: options.kinds });
    if (jobs.length === 0) break;
    summary.claimed += jobs.length;
    const groups = new Map<string, ClaimedJob[]>();
    for (const job of jobs) groups.set(job.kind, [...(groups.get(job.kind) ?? []), job]);

    for (const [kind, group] of groups) {
      const handler = byKind.get(kind);
      if (!handler) {
        for (const job of group) await settle(job, { status: 'retry', error: `no handler for jobs of kind "${kind}"` }, now);
        continue;
      }
      if (handler.type === 'task') {
        for (const job of group) {
          let result: JobResult;
          try {
            result = await handler.run(context, job, now);
          } catch (error) {
            result = { status: 'retry', error: reasonOf(error) };
          }
          await settle(job, result, now);
        }
        continue;
      }
      let prepared: (JobMail | JobResult)[];
      try {
        prepared = await handler.prepare(context, group, now);
      } catch (error) {
        prepared = group.map(() => ({ status: 'retry', error: reasonOf(error) }));
      }
      const mails: { job: ClaimedJob; mail: JobMail }[] = [];
      for (const [index, job] of group.entries()) {
        const result = prepared[index] ?? { status: 'retry', error: 'the handler gave no answer for this job' };
        if (result.status === 'mail') mails.push({ job, mail: result });
        else await settle(job, result, now);
      }
      if (mails.length > 0) await sendJobMails(context, holder, mails, now, summary, settle);
    }
    options.onProgress?.({ ...summary });
    if (Date.now() - started > (options.maxDurationMs ?? 50_000)) break;
  }
  return summary;
}

type Settle = (job: ClaimedJob, result: JobResult, now: Date, extra?: InStatement[]) => Promise<void>;

/** Records each email as sent and finishes its job, in one transaction. */
function sentStatements(items: { job: ClaimedJob; mail: JobMail }[], holder: string, now: Date, providerMessageIds: (string | null)[]): InStatement[] {
  return items.flatMap(({ job, mail }, position) => [
    {
      sql: `update email_log set status = 'sent', provider_message_id = coalesce(?, provider_message_id), error = null, sent_at = coalesce(sent_at, ?) where idempotency_key = ?`,
      args: [providerMessageIds[position] ?? null, now.getTime(), mail.message.idempotencyKey],
    },
    ...mail.afterSent,
    completeJobStatement(job.id, holder, 'sent', now),
  ]);
}

async function sendJobMails(
  context: JobContext,
  holder: string,
  items: { job: ClaimedJob; mail: JobMail }[],
  now: Date,
  summary: JobRunSummary,
  settle: Settle,
): Promise<void> {
  const { db, sendBatch, mailer } = context;
  if (!sendBatch) {
    for (const item of items) {
      try {
        await context.pace?.();
        await sendMail(mailer, item.mail.message);
      } catch (error) {
        await settle(item.job, { status: 'retry', error: reasonOf(error) }, now);
        continue;
      }
      await db.$client.batch(sentStatements([item], holder, now, [null]), 'write');
      summary.sent++;
    }
    return;
  }

  // Jobs an earlier attempt handed to the provider go in exactly that request again.
  const repeated = new Map<string, { job: ClaimedJob; mail: JobMail }[]>();
  const fresh: { job: ClaimedJob; mail: JobMail }[] = [];
  for (const item of items) {
    if (item.job.batchKey) repeated.set(item.job.batchKey, [...(repeated.get(item.job.batchKey) ?? []), item]);
    else fresh.push(item);
  }
  const batches = [...repeated].map(([key, batch]) => ({ key, items: batch }));
  for (let start = 0; start < fresh.length; start += resendBatchLimit) {
    const batch = fresh.slice(start, start + resendBatchLimit);
    batches.push({ key: jobBatchKey(batch.map((item) => item.job.key)), items: batch });
  }

  for (const batch of batches) {
    const keys = batch.items.map((item) => item.mail.message.idempotencyKey);
    const placeholders = keys.map(() => '?').join(', ');
    // The log rows and the batch key are written before the request: from here on a retry repeats it.
    const recorded = await db.$client.batch(
      [
        ...batch.items.map(({ mail }) => ({
          sql: `insert into email_log (idempotency_key, kind, contact_id, to_address, subject, transport) values (?, ?, ?, ?, ?, 'resend')
                on conflict (idempotency_key) do nothing`,
          args: [mail.message.idempotencyKey, mail.message.kind, mail.message.contactId ?? null, mail.message.to, mail.message.subject],
        })),
        {
          sql: `update scheduled_jobs set batch_key = ? where id in (${batch.items.map(() => '?').join(', ')}) and claimed_by = ?`,
          args: [batch.key, ...batch.items.map((item) => item.job.id), holder],
        },
        { sql: `update email_log set attempts = attempts + 1 where idempotency_key in (${placeholders}) and status <> 'sent'`, args: keys },
        { sql: `select idempotency_key from email_log where idempotency_key in (${placeholders}) and status = 'sent'`, args: keys },
      ],
      'write',
    );
    const alreadySent = recorded.at(-1);
    const sentBefore = new Set((alreadySent?.rows ?? []).map((row) => String(row.idempotency_key)));
    const done = batch.items.filter((item) => sentBefore.has(item.mail.message.idempotencyKey));
    if (done.length > 0) {
      await db.$client.batch(sentStatements(done, holder, now, done.map(() => null)), 'write');
      summary.sent += done.length;
    }
    const toSend = batch.items.filter((item) => !sentBefore.has(item.mail.message.idempotencyKey));
    if (toSend.length === 0) continue;
    try {
      summary.batches++;
      const receipt = await sendBatch(
        toSend.map((item) => item.mail.message),
        mailer.from,
        batch.key,
      );
      await db.$client.batch(sentStatements(toSend, holder, now, receipt.providerMessageIds), 'write');
      summary.sent += toSend.length;
    } catch (error) {
      // 409: the key was used before with other contents (fresh tokens), so an earlier attempt's
      // request was accepted and its emails, whose links still work, went out. Nothing more to send.
      if (error instanceof MailDeliveryError && error.statusCode === 409) {
        await db.$client.batch(sentStatements(toSend, holder, now, toSend.map(() => null)), 'write');
        summary.sent += toSend.length;
        continue;
      }
      const reason = reasonOf(error);
      // A request refused outright (4xx) sent nothing: these jobs may join a new request next time.
      const keepKey = !(error instanceof MailDeliveryError) || error.retryable;
      await db.$client.batch(
        [
          { sql: `update email_log set status = 'failed', error = ? where idempotency_key in (${toSend.map(() => '?').join(', ')}) and status <> 'sent'`, args: [reason, ...toSend.map((item) => item.mail.message.idempotencyKey)] },
          ...(keepKey ? [] : [{ sql: `update scheduled_jobs set batch_key = null where id in (${toSend.map(() => '?').join(', ')})`, args: toSend.map((item) => item.job.id) }]),
        ],
        'write',
      );
      for (const item of toSend) await settle(item.job, { status: 'retry', error: reason }, now);
    }
  }
}
