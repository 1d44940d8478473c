import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../../../db/client.ts';
import { contacts, emailLog } from '../../../../db/schema.ts';
import { formatDateInSentence } from '../../i18n/dates.ts';
import { fill, messagesFor } from '../../i18n/index.ts';
import { surveyStrings } from '../../i18n/survey.ts';
import type { InviteAudience } from '../../ask/invite-audience.ts';
import type { ReviewWallConfig } from '../../config-schema.ts';
import { promiseOf } from '../../ask/promised-incentive.ts';
import { incentiveTextFor } from '../../config.ts';
import { renderEmail, type EmailLogo } from '../../email-layout.ts';
import { bodyParagraphs, wordingFor } from '../../email-wording.ts';
import { isLocale, type Locale } from '../../locales.ts';
import { MailDeliveryError, sendMail, type MailMessage, type Mailer } from '../platform/mail.ts';
import { scheduleJobStatement } from '../schedule/scheduler.ts';
import { emailLogoFor } from '../publish/brand-logo.ts';
import { createReviewRequest, renewReviewRequestToken, type InvitationTerms } from './review-requests.ts';

export type { InviteAudience };

/** A respondent about to be invited. */
export interface InvitationCandidate {
  contactId: number;
  email: string;
  name: string | null;
  locale: Locale;
  /** Their most recent NPS answer, which decides whether they count as a promoter. */
  responseId: number;
  score: number;
  /** A request created by an earlier run that stopped before its email went out. */
  unsentRequestId: number | null;
  /** When that request was created. */
  unsentRequestCreatedAt: Date | null;
}

/**
 * An unsent request younger than this may belong to a run that is sending it right now (sending,
 * retries included, takes far less): it is left alone, so two runs at once never both send it.
 */
export const inFlightMilliseconds = 10 * 60 * 1000;

/**
 * The respondents to invite now: not unsubscribed, with no review request yet (or one whose email
 * never went out). A contact is a promoter when their most recent answer is 9 or 10: someone who
 * answered 10 in spring and 3 in autumn is not asked for a testimonial.
 */
export async function selectInvitationCandidates(
  db: Database,
  options: { audience: InviteAudience; enabledLocales: readonly Locale[]; defaultLocale: Locale; contactId?: number },
): Promise<InvitationCandidate[]> {
  const result = await db.$client.execute({
    sql: `select c.id as contact_id, c.email, c.name, c.locale, r.id as response_id, r.score, q.id as request_id, q.created_at as request_created_at
          from contacts c
          join nps_responses r on r.id = (
            select id from nps_responses where contact_id = c.id order by responded_at desc, id desc limit 1)
          left join review_requests q on q.contact_id = c.id
          where c.unsubscribed_at is null
            and (q.id is null or (q.sent_at is null and q.submitted_at is null))
            -- A survey answer already scheduled their invitation (see review-follow-up.ts).
            and not exists (select 1 from scheduled_jobs j where j.contact_id = c.id and j.kind = 'review.invitation' and j.done_at is null)
            and (? = 'all' or r.score >= 9)
            and (? is null or c.id = ?)
          order by c.id`,
    args: [options.audience, options.contactId ?? null, options.contactId ?? null],
  });
  return result.rows.map((row) => {
    const locale = String(row.locale);
    return {
      contactId: Number(row.contact_id),
      email: String(row.email),
      name: row.name === null ? null : String(row.name),
      locale: isLocale(locale) && options.enabledLocales.includes(locale) ? locale : options.defaultLocale,
      responseId: Number(row.response_id),
      score: Number(row.score),
      unsentRequestId: row.request_id === null ? null : Number(row.request_id),
      unsentRequestCreatedAt: row.request_created_at === null ? null : new Date(Number(row.request_created_at)),
    };
  });
}

/** The review link in an invitation. */
export function reviewLink(siteUrl: string, token: string): string {
  return `${siteUrl}/r/${token}`;
}

/** The one-click unsubscribe address for a review link (RFC 8058). */
export function unsubscribeLink(siteUrl: string, token: string): string {
  return `${siteUrl}/r/${token}/unsubscribe`;
}

/**
 * The invitation email in the contact's language, with List-Unsubscribe headers; with `reminder`,
 * the one reminder for an unused link: the same email, the same incentive words, under its own key.
 */
export function buildInvitationEmail(
  config: ReviewWallConfig,
  input: {
    requestId: number;
    contactId: number;
    to: string;
    name: string | null;
    locale: Locale;
    siteUrl: string;
    token: string;
    expiresAt: Date;
    logo?: EmailLogo | null;
    reminder?: boolean;
    /** The incentive as the request recorded it (a reminder); by default today's, which a new invitation records. */
    incentive?: string;
  },
): MailMessage {
  const t = messagesFor(input.locale).inviteEmail;
  const reminder = input.reminder ? surveyStrings(input.locale).reviewReminder : null;
  const business = config.business.name;
  const values = {
    business,
    name: input.name ?? '',
    incentive: input.incentive ?? incentiveTextFor(config, input.locale),
    // "It works until …": Latvian puts the month in the dative ("līdz 2026. gada 21. decembrim").
    date: formatDateInSentence(input.locale, input.expiresAt, 'until'),
  };
  const filled = { ...values, greeting: fill(input.name ? t.greeting : t.greetingWithoutName, values) };
  const own = wordingFor(config.emails, input.reminder ? 'invitationReminder' : 'invitation', input.locale);
  const unsubscribeUrl = unsubscribeLink(input.siteUrl, input.token);
  const rendered = renderEmail(
    {
      locale: input.locale,
      subject: fill(own.subject ?? reminder?.subject ?? t.subject, filled),
      paragraphs: [
        ...(own.body ? bodyParagraphs(own.body, filled) : [filled.greeting, fill(reminder?.intro ?? t.thanks, values), fill(t.ask, values)]),
        // The promise that the incentive does not depend on the review stays, whatever the wording (FTC 16 CFR 465.4).
        fill(t.incentive, values),
        fill(t.linkNote, values),
      ],
      action: { label: t.action, url: reviewLink(input.siteUrl, input.token) },
      footer: { text: fill(t.footer, values), link: { label: t.unsubscribe, url: unsubscribeUrl } },
    },
    { businessName: business, primaryColor: config.business.colors.primary, logo: input.logo },
  );
  return {
    ...rendered,
    idempotencyKey: `${input.reminder ? 'invite-reminder' : 'invite'}:${input.requestId}`,
    kind: input.reminder ? 'invite-reminder' : 'invite',
    to: input.to,
    contactId: input.contactId,
    headers: { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}

/** What happened to one candidate. */
export type InvitationOutcome = 'sent' | 'already-sent' | 'skipped' | 'in-flight';

/** Whether a candidate's unsent request is so recent that another run may be sending it now. */
export function isInFlight(candidate: InvitationCandidate, now = new Date()): boolean {
  return candidate.unsentRequestCreatedAt !== null && now.getTime() - candidate.unsentRequestCreatedAt.getTime() < inFlightMilliseconds;
}

/**
 * Creates the candidate's review request and emails its link, recording the run's `audience` (the
 * one it selected candidates with) and the incentive the email promises. The token exists only in
 * this function, so a request whose email never went out (a crash between creating and sending)
 * gets a fresh token from a run at least 10 minutes later and is sent then, under the same
 * idempotency key, and under that later run's terms; the earlier tokens stay valid in case the
 * crash came after the provider accepted one.
 */
export async function inviteCandidate(
  context: { db: Database; mailer: Mailer; config: ReviewWallConfig; siteUrl: string; audience: InviteAudience },
  candidate: InvitationCandidate,
  now = new Date(),
): Promise<InvitationOutcome> {
  const { db, mailer, config } = context;
  const lifetimeDays = config.tokens.lifetimeDays;
  const terms: InvitationTerms = { audience: context.audience, ...promiseOf(config) };
  let requestId: number;
  let token: string;
  let renewedAfterInterruption = false;
  if (candidate.unsentRequestId === null) {
    const created = await createReviewRequest(db, {
      contactId: candidate.contactId,
      responseId: candidate.responseId,
      locale: candidate.locale,
      lifetimeDays,
      terms,
      now,
    });
    // Another run created it a moment ago; that run sends it.
    if (!created) return 'skipped';
    requestId = created.id;
    token = created.token;
  } else {
    requestId = candidate.unsentRequestId;
    const [logged] = await db.select({ status: emailLog.status }).from(emailLog).where(eq(emailLog.idempotencyKey, `invite:${requestId}`));
    if (logged?.status === 'sent') {
      // The email went out with the old token; only recording it was interrupted. Keep that token alive.
      await markInvitationSent(context, candidate.contactId, requestId, now);
      return 'already-sent';
    }
    if (isInFlight(candidate, now)) return 'in-flight';
    // An earlier run may have had this email accepted and died before recording it: its token
    // keeps working beside the new one (and beside any kept before), so no link is ever dead.
    const renewed = await renewReviewRequestToken(db, requestId, lifetimeDays, now, { keepEarlier: true });
    if (!renewed) return 'skipped';
    token = renewed;
    renewedAfterInterruption = true;
  }
  const expiresAt = new Date(now.getTime() + lifetimeDays * 24 * 60 * 60 * 1000);
  const message = buildInvitationEmail(config, {
    requestId,
    contactId: candidate.contactId,
    to: candidate.email,
    name: candidate.name,
    locale: candidate.locale,
    siteUrl: context.siteUrl,
    token,
    expiresAt,
    logo: await emailLogoFor(config.business, context.siteUrl),
  });
  let outcome;
  try {
    outcome = await sendMail(mailer, message);
  } catch (error) {
    // Resend refuses a different email under a key it has already accepted, or is still
    // processing (409): an earlier run's email went out. Its token is kept, so that customer's
    // link works: record the email as sent and send nothing more.
    if (!(renewedAfterInterruption && error instanceof MailDeliveryError && error.statusCode === 409)) throw error;
    await db.update(emailLog).set({ status: 'sent', error: null, sentAt: now }).where(eq(emailLog.idempotencyKey, message.idempotencyKey));
    await markInvitationSent(context, candidate.contactId, requestId, now);
    return 'already-sent';
  }
  // The email this run sent is the one that counts: its audience and promise replace the interrupted run's.
  await markInvitationSent(context, candidate.contactId, requestId, now, renewedAfterInterruption && outcome.status === 'sent' ? terms : undefined);
  return outcome.status === 'sent' ? 'sent' : 'already-sent';
}

/**
 * Records the invitation as sent (with the terms of the email that went out, when a run replaced
 * an interrupted one's), and schedules the one reminder for the link (invite.reminderAfterDays).
 */
async function markInvitationSent(
  context: { db: Database; config: ReviewWallConfig },
  contactId: number,
  requestId: number,
  now: Date,
  terms?: InvitationTerms,
): Promise<void> {
  const reminderDays = context.config.invite.reminderAfterDays;
  const sent = terms
    ? {
        sql: 'update review_requests set sent_at = ?, audience = ?, incentive = ?, incentive_translations = ? where id = ? and sent_at is null',
        args: [now.getTime(), terms.audience, terms.incentive, terms.incentiveTranslations ? JSON.stringify(terms.incentiveTranslations) : null, requestId],
      }
    : { sql: 'update review_requests set sent_at = ? where id = ? and sent_at is null', args: [now.getTime(), requestId] };
  await context.db.$client.batch(
    [
      sent,
      ...(reminderDays === false
        ? []
        : [
            scheduleJobStatement({
              kind: 'review.reminder',
              key: `review-reminder:${requestId}`,
              payload: { requestId },
              contactId,
              dueAt: new Date(now.getTime() + reminderDays * 24 * 60 * 60 * 1000),
            }),
          ]),
    ],
    'write',
  );
}

/** Stops every further email to the contact behind a review link; unsubscribing twice keeps the first time. */
export async function unsubscribeContact(db: Database, contactId: number, now = new Date()): Promise<void> {
  await db.update(contacts).set({ unsubscribedAt: now, updatedAt: now }).where(and(eq(contacts.id, contactId), isNull(contacts.unsubscribedAt)));
}

const oneClickUnsubscribePath = /^\/[rs]\/[a-z2-7]{32}\/unsubscribe\/?$/;

/**
 * Whether a request is an RFC 8058 one-click unsubscribe: a POST to the unsubscribe address of a
 * review link (/r/…) or a survey link (/s/…), with no query string. Mail providers send it from their servers without our Origin, which
 * Astro's security.checkOrigin would refuse as a cross-site form post. The query string must be
 * empty because Astro runs `?_action=NAME` form actions on any on-demand page: with one, this
 * exemption would let a cross-site form call any action.
 */
export function isOneClickUnsubscribe(method: string | undefined, url: URL): boolean {
  return method === 'POST' && url.search === '' && oneClickUnsubscribePath.test(url.pathname);
}
