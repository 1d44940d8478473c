import { randomUUID } from 'node:crypto';
import type { Database } from '../../../../db/client.ts';
import { isInviteAudience, type InviteAudience } from '../../ask/invite-audience.ts';
import type { JobResult, TaskJobHandler } from '../schedule/job-runner.ts';
import { scheduleJob, scheduleJobStatement } from '../schedule/scheduler.ts';
import { inFlightMilliseconds, inviteCandidate, selectInvitationCandidates } from './invitations.ts';

/** The job behind the admin's "Send invitations": it schedules one invitation job per chosen respondent. */
export const invitationCampaignJobKind = 'review.campaign';
/** One respondent's invitation within a campaign. */
export const campaignInvitationJobKind = 'review.campaign-invitation';

const campaignKeyPrefix = (campaignId: number) => `campaign-invitation:${campaignId}:`;

/** Starts sending review invitations to everyone in `audience` who has none yet, in the background; returns the campaign's job id. */
export async function startInvitationCampaign(db: Database, input: { audience: InviteAudience; adminId: number | null; now?: Date }): Promise<number> {
  const key = `review-campaign:${randomUUID()}`;
  await scheduleJob(db, { kind: invitationCampaignJobKind, key, payload: { audience: input.audience, adminId: input.adminId }, dueAt: input.now ?? new Date() });
  const { rows } = await db.$client.execute({ sql: 'select id from scheduled_jobs where key = ?', args: [key] });
  return Number(rows[0]!.id);
}

/**
 * Schedules one invitation job per respondent to invite now. A retry after a crash schedules only
 * the missing ones (the keys are unique), and the invitations themselves keep `npm run invite`'s
 * rules: one review request per contact, one email per request, under one idempotency key.
 */
export const invitationCampaignHandler: TaskJobHandler = {
  type: 'task',
  kind: invitationCampaignJobKind,
  async run(context, job, now): Promise<JobResult> {
    const audience = job.payload.audience;
    if (typeof audience !== 'string' || !isInviteAudience(audience)) return { status: 'done', outcome: 'failed: the campaign names no audience' };
    const candidates = await selectInvitationCandidates(context.db, {
      audience,
      enabledLocales: context.config.locales.enabled,
      defaultLocale: context.config.locales.default,
    });
    for (let start = 0; start < candidates.length; start += 500) {
      const chunk = candidates.slice(start, start + 500);
      await context.db.$client.batch(
        chunk.map((candidate) =>
          scheduleJobStatement({
            kind: campaignInvitationJobKind,
            key: `${campaignKeyPrefix(job.id)}${candidate.contactId}`,
            payload: { campaignId: job.id, contactId: candidate.contactId, audience },
            contactId: candidate.contactId,
            dueAt: now,
          }),
        ),
        'write',
      );
    }
    return { status: 'done', outcome: `${candidates.length} invitations scheduled` };
  },
};

/** One campaign invitation: the respondent is looked up again (they may have unsubscribed, or been invited meanwhile). */
export const campaignInvitationHandler: TaskJobHandler = {
  type: 'task',
  kind: campaignInvitationJobKind,
  async run(context, job, now): Promise<JobResult> {
    const { db, config } = context;
    const audience = job.payload.audience;
    const contactId = Number(job.payload.contactId);
    if (typeof audience !== 'string' || !isInviteAudience(audience) || !Number.isSafeInteger(contactId)) return { status: 'done', outcome: 'failed: bad payload' };
    const [candidate] = await selectInvitationCandidates(db, { audience, enabledLocales: config.locales.enabled, defaultLocale: config.locales.default, contactId });
    if (!candidate) {
      // An earlier attempt of this job (a tick that died after sending) may have sent it: that counts as this campaign's.
      const { rows } = await db.$client.execute({ sql: 'select sent_at from review_requests where contact_id = ? and sent_at >= ?', args: [contactId, job.dueAt.getTime()] });
      if (rows.length > 0) return { status: 'done', outcome: 'sent before' };
      return { status: 'done', outcome: 'skipped: invited before, unsubscribed, erased or no longer in the audience' };
    }
    await context.pace?.();
    const outcome = await inviteCandidate({ db, mailer: context.mailer, config, siteUrl: context.siteUrl, audience }, candidate, now);
    switch (outcome) {
      case 'sent':
        return { status: 'done', outcome: 'sent' };
      case 'already-sent':
        return { status: 'done', outcome: 'sent before' };
      case 'skipped':
        return { status: 'done', outcome: 'skipped: another run created the request and sends it' };
      case 'in-flight':
        // A run that stopped half-way created the request minutes ago: once it cannot be sending any more, this sends it.
        return { status: 'retry', error: 'the review request was created minutes ago by a run that may still be sending it', at: new Date((candidate.unsentRequestCreatedAt ?? now).getTime() + inFlightMilliseconds) };
    }
  },
};

/** Where an invitation campaign is, read from the database (so it survives reloads and restarts). */
export interface InvitationCampaignProgress {
  jobId: number;
  audience: InviteAudience | null;
  state: 'waiting' | 'sending' | 'done' | 'failed';
  /** Invitations scheduled. */
  total: number;
  sent: number;
  /** Finished without an email from this campaign (invited meanwhile, unsubscribed, failed after every retry). */
  notSent: number;
  pending: number;
  lastError: string | null;
  createdAt: Date;
}

/** The progress of an invitation campaign, or null when there is none with this id. */
export async function invitationCampaignProgress(db: Database, jobId: number): Promise<InvitationCampaignProgress | null> {
  const [job, counts] = await db.$client.batch(
    [
      { sql: 'select id, payload, done_at, outcome, last_error, created_at from scheduled_jobs where id = ? and kind = ?', args: [jobId, invitationCampaignJobKind] },
      {
        sql: `select count(*) as total,
                count(case when outcome in ('sent', 'sent before') then 1 end) as sent,
                count(case when done_at is null then 1 end) as pending,
                max(case when done_at is null then last_error end) as last_error
              from scheduled_jobs where kind = ? and key like ? escape '\\'`,
        args: [campaignInvitationJobKind, `${campaignKeyPrefix(jobId)}%`],
      },
    ],
    'read',
  );
  const row = job?.rows[0];
  if (!row) return null;
  const count = counts?.rows[0];
  const total = Number(count?.total ?? 0);
  const sent = Number(count?.sent ?? 0);
  const pending = Number(count?.pending ?? 0);
  const scheduled = row.done_at !== null;
  const failed = scheduled && String(row.outcome).startsWith('failed');
  let audience: InviteAudience | null = null;
  try {
    const value: unknown = JSON.parse(String(row.payload)).audience;
    audience = typeof value === 'string' && isInviteAudience(value) ? value : null;
  } catch {
    audience = null;
  }
  const lastError = count?.last_error ?? row.last_error;
  return {
    jobId,
    audience,
    state: failed ? 'failed' : !scheduled ? 'waiting' : pending > 0 ? 'sending' : 'done',
    total,
    sent,
    notSent: total - sent - pending,
    pending,
    lastError: lastError === null || lastError === undefined ? null : String(lastError),
    createdAt: new Date(Number(row.created_at)),
  };
}

/** The latest invitation campaigns, newest first. */
export async function listInvitationCampaigns(db: Database, limit = 10): Promise<InvitationCampaignProgress[]> {
  const { rows } = await db.$client.execute({ sql: 'select id from scheduled_jobs where kind = ? order by id desc limit ?', args: [invitationCampaignJobKind, limit] });
  const campaigns: InvitationCampaignProgress[] = [];
  for (const row of rows) {
    const progress = await invitationCampaignProgress(db, Number(row.id));
    if (progress) campaigns.push(progress);
  }
  return campaigns;
}
