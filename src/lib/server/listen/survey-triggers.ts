import type { Database } from '../../../../db/client.ts';
import type { ReviewWallConfig } from '../../config-schema.ts';
import { quietPeriodStart, type TicketResolved } from '../../listen/survey.ts';
import type { JobResult, TaskJobHandler } from '../schedule/job-runner.ts';
import { scheduleJob } from '../schedule/scheduler.ts';
import { storeNpsAnswers } from './nps-import.ts';
import { isSurveyKind, type SurveyKind } from '../../listen/survey-kinds.ts';
import { createSurveys } from './surveys.ts';

/** The job that surveys a customer some time after their helpdesk ticket was resolved. */
export const ticketSurveyJobKind = 'survey.after-ticket';

/** The job key of a ticket: one survey per ticket, however often the event arrives. */
export const ticketSurveyJobKey = (ticketId: string) => `survey-after-ticket:${ticketId}`;

/** What a ticket-resolved event led to. */
export type TicketEventOutcome =
  | { kind: 'scheduled'; dueAt: Date; surveyKind: SurveyKind }
  | { kind: 'already-scheduled' }
  | { kind: 'quiet-period' }
  | { kind: 'unsubscribed' }
  | { kind: 'erased' };

/**
 * Records the customer of a resolved ticket (as the NPS webhook does: an erased address is
 * dropped) and schedules their survey for `surveys.afterTicketResolvedHours` after the ticket was
 * resolved, unless they were surveyed with the same kind within the quiet period or unsubscribed.
 * The kind is the event's own, else `surveys.afterTicketKind`. The same ticket is scheduled once,
 * however often the event is sent. Sending checks everything again.
 */
export async function scheduleSurveyAfterTicket(db: Database, config: ReviewWallConfig, event: TicketResolved, now = new Date()): Promise<TicketEventOutcome> {
  const stored = await storeNpsAnswers(db, [{ email: event.email, name: event.name, locale: event.locale, segment: event.segment }], { source: 'webhook', defaultLocale: config.locales.default });
  if (stored.erased > 0) return { kind: 'erased' };
  const surveyKind = event.kind ?? config.surveys.afterTicketKind;
  const { rows } = await db.$client.execute({
    sql: `select c.id, c.unsubscribed_at, exists (select 1 from surveys s where s.contact_id = c.id and s.kind = ? and s.created_at > ?) as surveyed_recently,
            exists (select 1 from scheduled_jobs where key = ?) as scheduled
          from contacts c where c.email = ?`,
    args: [surveyKind, quietPeriodStart(config, now).getTime(), ticketSurveyJobKey(event.ticket_id), event.email],
  });
  const contact = rows[0];
  if (!contact) return { kind: 'erased' };
  if (Number(contact.scheduled)) return { kind: 'already-scheduled' };
  if (contact.unsubscribed_at !== null) return { kind: 'unsubscribed' };
  if (Number(contact.surveyed_recently)) return { kind: 'quiet-period' };
  const resolvedAt = event.resolved_at ? Date.parse(event.resolved_at) : now.getTime();
  const dueAt = new Date(Math.max(now.getTime(), resolvedAt + config.surveys.afterTicketResolvedHours * 60 * 60 * 1000));
  const scheduled = await scheduleJob(db, {
    kind: ticketSurveyJobKind,
    key: ticketSurveyJobKey(event.ticket_id),
    // The segment (a region, plan or team, no personal data) goes onto the survey and its answer.
    payload: event.segment ? { ticketId: event.ticket_id, kind: surveyKind, segment: event.segment } : { ticketId: event.ticket_id, kind: surveyKind },
    contactId: Number(contact.id),
    dueAt,
  });
  return scheduled ? { kind: 'scheduled', dueAt, surveyKind } : { kind: 'already-scheduled' };
}

/** Why a contact got no survey now: gone, unsubscribed, or surveyed (with that kind) within the quiet period. */
export async function whyNotSurveyed(db: Database, contactId: number | null): Promise<string> {
  if (contactId === null) return 'skipped: the contact is gone (erased)';
  const { rows } = await db.$client.execute({ sql: 'select unsubscribed_at from contacts where id = ?', args: [contactId] });
  if (!rows[0]) return 'skipped: the contact is gone (erased)';
  if (rows[0].unsubscribed_at !== null) return 'skipped: unsubscribed';
  return 'skipped: surveyed within the quiet period';
}

/** When a ticket's survey is due: creates the survey (checked again against the quiet period) and schedules its email. */
export const ticketSurveyHandler: TaskJobHandler = {
  type: 'task',
  kind: ticketSurveyJobKind,
  async run(context, job, now): Promise<JobResult> {
    const ticketId = String(job.payload.ticketId ?? '');
    // Jobs scheduled before CSAT and CES existed carry no kind: they were NPS.
    const kind = isSurveyKind(job.payload.kind) ? job.payload.kind : 'nps';
    const origin = `ticket:${ticketId}`;
    if (job.contactId !== null) {
      const created = await createSurveys(context.db, context.config, { contactIds: [job.contactId], trigger: 'ticket', origin, ticketId, now, kind });
      if (typeof job.payload.segment === 'string') {
        await context.db.$client.execute({ sql: 'update surveys set segment = ? where origin = ? and contact_id = ?', args: [job.payload.segment, origin, job.contactId] });
      }
      if (created.length > 0) return { status: 'done', outcome: `survey ${created[0]} created` };
      // An earlier attempt of this job may have created it already.
      const { rows } = await context.db.$client.execute({ sql: 'select id from surveys where origin = ? and contact_id = ?', args: [origin, job.contactId] });
      if (rows[0]) return { status: 'done', outcome: `survey ${Number(rows[0].id)} created` };
    }
    return { status: 'done', outcome: await whyNotSurveyed(context.db, job.contactId) };
  },
};
