import { randomUUID } from 'node:crypto';
import type { Database } from '../../../../db/client.ts';
import { isSurveyKind, type SurveyKind } from '../../listen/survey-kinds.ts';
import type { JobResult, TaskJobHandler } from '../schedule/job-runner.ts';
import { parsePayload, scheduleJob } from '../schedule/scheduler.ts';
import { createSurveys, selectSurveyRecipients, surveyJobKinds } from './surveys.ts';

/** The job behind the admin's "Send survey": creates the surveys, whose emails then go out as jobs of their own. */
export const surveyCampaignJobKind = 'survey.campaign';

/** Starts a survey campaign of one kind (default NPS) in the background; returns its job id, which names it. */
export async function startSurveyCampaign(db: Database, input: { limit: number | null; adminId: number | null; kind?: SurveyKind; now?: Date }): Promise<number> {
  const key = `survey-campaign:${randomUUID()}`;
  await scheduleJob(db, { kind: surveyCampaignJobKind, key, payload: { limit: input.limit, adminId: input.adminId, kind: input.kind ?? 'nps' }, dueAt: input.now ?? new Date() });
  const { rows } = await db.$client.execute({ sql: 'select id from scheduled_jobs where key = ?', args: [key] });
  return Number(rows[0]!.id);
}

/** The kind a campaign asks; campaigns started before CSAT and CES existed were NPS. */
const campaignKind = (payload: Record<string, unknown>): SurveyKind => (isSurveyKind(payload.kind) ? payload.kind : 'nps');

/** The origin of a campaign's surveys. */
export const campaignOrigin = (jobId: number) => `campaign:${jobId}`;

/** Creates the campaign's surveys for everyone eligible now (up to its limit); a retry after a crash creates only the missing ones. */
export const surveyCampaignHandler: TaskJobHandler = {
  type: 'task',
  kind: surveyCampaignJobKind,
  async run(context, job, now): Promise<JobResult> {
    const limit = typeof job.payload.limit === 'number' && job.payload.limit > 0 ? job.payload.limit : undefined;
    const kind = campaignKind(job.payload);
    const origin = campaignOrigin(job.id);
    const { rows } = await context.db.$client.execute({ sql: 'select count(*) as value from surveys where origin = ?', args: [origin] });
    const already = Number(rows[0]?.value ?? 0);
    const remaining = limit === undefined ? undefined : Math.max(0, limit - already);
    const recipients = remaining === 0 ? [] : await selectSurveyRecipients(context.db, context.config, { now, limit: remaining, kind });
    const created = await createSurveys(context.db, context.config, { contactIds: recipients.map((recipient) => recipient.contactId), trigger: 'manual', origin, now, kind });
    return { status: 'done', outcome: `${already + created.length} surveys created` };
  },
};

/** Where a campaign is: waiting for a tick, creating its surveys, sending, or done. */
export interface CampaignProgress {
  jobId: number;
  /** The question it asks. */
  kind: SurveyKind;
  state: 'waiting' | 'sending' | 'done' | 'failed';
  /** Surveys created. */
  total: number;
  sent: number;
  /** Emails not sent, and why (unsubscribed meanwhile, failures after every retry). */
  notSent: number;
  /** Emails still to go (waiting or being retried). */
  pending: number;
  lastError: string | null;
  createdAt: Date;
}

/** The progress of a campaign, read from the database (so it survives reloads and restarts). */
export async function surveyCampaignProgress(db: Database, jobId: number): Promise<CampaignProgress | null> {
  const [job, counts] = await db.$client.batch(
    [
      { sql: 'select id, payload, done_at, outcome, last_error, created_at from scheduled_jobs where id = ? and kind = ?', args: [jobId, surveyCampaignJobKind] },
      {
        sql: `select count(*) as total, count(s.sent_at) as sent,
                count(case when j.done_at is null then 1 end) as pending,
                count(case when j.done_at is not null and s.sent_at is null then 1 end) as not_sent,
                max(case when j.done_at is null then j.last_error end) as last_error
              from surveys s left join scheduled_jobs j on j.key = 'send-survey:' || s.id and j.kind = ?
              where s.origin = ?`,
        args: [surveyJobKinds.send, campaignOrigin(jobId)],
      },
    ],
    'read',
  );
  const row = job?.rows[0];
  if (!row) return null;
  const count = counts?.rows[0];
  const pending = Number(count?.pending ?? 0);
  const created = row.done_at !== null;
  const failed = created && String(row.outcome) === 'failed';
  return {
    jobId,
    kind: campaignKind(parsePayload(String(row.payload))),
    state: failed ? 'failed' : !created ? 'waiting' : pending > 0 ? 'sending' : 'done',
    total: Number(count?.total ?? 0),
    sent: Number(count?.sent ?? 0),
    notSent: Number(count?.not_sent ?? 0),
    pending,
    lastError: (count?.last_error ?? row.last_error) === null ? null : String(count?.last_error ?? row.last_error),
    createdAt: new Date(Number(row.created_at)),
  };
}

/** The latest campaigns started from the admin, newest first, with their progress. */
export async function listSurveyCampaigns(db: Database, limit = 10): Promise<CampaignProgress[]> {
  const { rows } = await db.$client.execute({ sql: 'select id from scheduled_jobs where kind = ? order by id desc limit ?', args: [surveyCampaignJobKind, limit] });
  const campaigns: CampaignProgress[] = [];
  for (const row of rows) {
    const progress = await surveyCampaignProgress(db, Number(row.id));
    if (progress) campaigns.push(progress);
  }
  return campaigns;
}
