import type { Database } from '../../../../db/client.ts';
import type { ReviewWallConfig } from '../../config-schema.ts';
import type { JobResult, TaskJobHandler } from '../schedule/job-runner.ts';
import { scheduleJob } from '../schedule/scheduler.ts';
import { createSurveys, selectSurveyRecipients } from './surveys.ts';

const dayMs = 24 * 60 * 60 * 1000;

/** The hourly autopilot job: surveys everyone whose last survey is `surveys.autopilot.everyDays` old. */
export const autopilotJobKind = 'survey.autopilot';

/** One autopilot job per hour (UTC), however many ticks run: a contact is surveyed again within the hour they are due. */
export const autopilotJobKey = (now: Date) => `autopilot:${now.toISOString().slice(0, 13)}`;

/** With the autopilot on, makes sure this hour's autopilot job exists (a no-op after the first tick of the hour). */
export async function scheduleAutopilot(db: Database, config: ReviewWallConfig, now = new Date()): Promise<boolean> {
  if (!config.surveys.autopilot) return false;
  return scheduleJob(db, { kind: autopilotJobKind, key: autopilotJobKey(now), dueAt: now });
}

/**
 * Surveys every contact due on the autopilot's rhythm: never surveyed, or last surveyed at least
 * `everyDays` ago (which is never inside the quiet period: the config refuses a shorter rhythm,
 * and createSurveys checks the quiet period again as it inserts).
 */
export const autopilotHandler: TaskJobHandler = {
  type: 'task',
  kind: autopilotJobKind,
  async run(context, job, now): Promise<JobResult> {
    const autopilot = context.config.surveys.autopilot;
    if (!autopilot) return { status: 'done', outcome: 'skipped: the autopilot is off' };
    const due = await selectSurveyRecipients(context.db, context.config, { now, notSurveyedSince: new Date(now.getTime() - autopilot.everyDays * dayMs) });
    const created = await createSurveys(context.db, context.config, {
      contactIds: due.map((recipient) => recipient.contactId),
      trigger: 'autopilot',
      origin: job.key,
      now,
    });
    return { status: 'done', outcome: `${created.length} ${created.length === 1 ? 'survey' : 'surveys'} created` };
  },
};
