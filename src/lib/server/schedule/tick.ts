import { campaignInvitationHandler, invitationCampaignHandler } from '../ask/invitation-campaigns.ts';
import { reviewInvitationHandler, reviewReminderHandler } from '../ask/review-follow-up.ts';
import { autopilotHandler, scheduleAutopilot } from '../listen/survey-autopilot.ts';
import { surveyCampaignHandler } from '../listen/survey-campaigns.ts';
import { ticketSurveyHandler } from '../listen/survey-triggers.ts';
import { surveyReminderHandler, surveySendHandler } from '../listen/surveys.ts';
import { incentiveRunHandler } from '../thank/incentive-runs.ts';
import { createRequestPacer } from '../thank/incentives.ts';
import { deliverNotifications, type DeliveryOptions, type DeliverySummary } from '../notify/outbox.ts';
import { resolveNotificationTargets } from '../notify/notification-targets.ts';
import type { AppContext } from '../platform/app-context.ts';
import { createResendBatchSender } from '../platform/mail.ts';
import { runDueJobs, type JobContext, type JobHandler, type JobRunOptions, type JobRunSummary } from './job-runner.ts';

/** Every kind of due work the tick knows. */
export const jobHandlers: readonly JobHandler[] = [
  surveySendHandler,
  surveyReminderHandler,
  ticketSurveyHandler,
  autopilotHandler,
  surveyCampaignHandler,
  reviewInvitationHandler,
  reviewReminderHandler,
  invitationCampaignHandler,
  campaignInvitationHandler,
  incentiveRunHandler,
];

/** A tick's summary: its jobs, and the notifications it delivered. */
export type TickSummary = JobRunSummary & { notifications?: DeliverySummary };

/**
 * One tick: schedules today's autopilot round if it is on, then does all the work that is due,
 * claimed in the database so that any number of ticks (cron on several machines, the server's own)
 * may run at once and every email still goes out once; then delivers due notifications from the
 * outbox (Slack, signed webhooks), each event at most once to each endpoint.
 */
export async function runTick(context: JobContext, options: JobRunOptions & { delivery?: DeliveryOptions } = {}): Promise<TickSummary> {
  await scheduleAutopilot(context.db, context.config, options.now?.() ?? new Date());
  const summary: TickSummary = await runDueJobs(context, jobHandlers, options);
  if (context.notifications) summary.notifications = await deliverNotifications(context.db, context.notifications, { now: options.now, ...options.delivery });
  return summary;
}

/** A tick summary in one line. */
export function describeTick(summary: TickSummary): string {
  const sent = summary.notifications;
  const notifications = sent && sent.delivered + sent.retried + sent.failed > 0
    ? `notifications: ${sent.delivered} delivered${sent.retried ? `, ${sent.retried} to retry later` : ''}${sent.failed ? `, ${sent.failed} failed for good` : ''}`
    : null;
  if (summary.claimed === 0) return notifications ?? 'nothing was due';
  const parts = [`${summary.claimed} due ${summary.claimed === 1 ? 'job' : 'jobs'}`, `${summary.sent} emails sent`, `${summary.finished} finished without an email`];
  if (summary.retried) parts.push(`${summary.retried} to retry later`);
  if (summary.failed) parts.push(`${summary.failed} failed for good`);
  if (notifications) parts.push(notifications);
  return parts.join(', ');
}

/** Requests a second to Resend when nothing else is said: Resend's default limit. */
export const defaultResendRate = 2;

/** What the tick needs, from a command's or the server's context: through Resend, batches and single emails share one pace. */
export function jobContextFor(app: Pick<AppContext, 'db' | 'config' | 'env' | 'mailer'>, options: { rate?: number } = {}): JobContext {
  const { env } = app;
  const pace = env.RESEND_API_KEY ? createRequestPacer(options.rate ?? defaultResendRate) : undefined;
  return {
    db: app.db,
    config: app.config,
    mailer: app.mailer,
    siteUrl: env.SITE_URL,
    sendBatch: env.RESEND_API_KEY ? createResendBatchSender({ apiKey: env.RESEND_API_KEY, baseUrl: env.RESEND_BASE_URL, beforeRequest: pace }) : null,
    pace,
    notifications: resolveNotificationTargets(app.config, env),
  };
}

/** The in-process tick of a running server. */
export interface TickLoop {
  /** Runs a tick now (or right after the one running), e.g. after the admin started a campaign. */
  kick(): void;
  /** Stops ticking and waits for the tick running now. */
  stop(): Promise<void>;
}

// The server's pages run from the Astro build, a copy of these modules apart from the one
// scripts/start.ts loads: they find the loop through this process-wide registry.
const loopRegistry = Symbol.for('review-wall.tick-loop');

/**
 * Runs a tick every `intervalSeconds` in this process (npm start's embedded scheduler), never two
 * at once; a failure is logged in one line and the next tick tries again.
 */
export function startTickLoop(context: JobContext, intervalSeconds: number, log: (line: string) => void = console.error): TickLoop {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = runTick(context)
      .then((summary) => {
        const notified = summary.notifications ? summary.notifications.delivered + summary.notifications.retried + summary.notifications.failed : 0;
        if (summary.claimed > 0 || notified > 0) log(`tick: ${describeTick(summary)}.`);
      })
      .catch((error: unknown) => log(`tick: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          tick();
        }
      });
  };
  const timer = setInterval(tick, intervalSeconds * 1000);
  timer.unref();
  const loop: TickLoop = {
    kick: tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      delete (globalThis as Record<symbol, unknown>)[loopRegistry];
    },
  };
  (globalThis as Record<symbol, unknown>)[loopRegistry] = loop;
  setImmediate(tick);
  return loop;
}

/** Asks this process's tick loop to run now; false when there is none (ticks run from cron instead). */
export function kickTickLoop(): boolean {
  const loop = (globalThis as Record<symbol, unknown>)[loopRegistry] as TickLoop | undefined;
  loop?.kick();
  return loop !== undefined;
}
