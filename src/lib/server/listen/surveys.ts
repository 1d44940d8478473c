import type { InStatement } from '@libsql/client';
import type { Database } from '../../../../db/client.ts';
import type { ReviewWallConfig } from '../../config-schema.ts';
import { contactLocale } from '../../config.ts';
import { renderEmail, type EmailLogo } from '../../email-layout.ts';
import { bodyParagraphs, wordingFor } from '../../email-wording.ts';
import { formatDateInSentence } from '../../i18n/dates.ts';
import { fill } from '../../i18n/index.ts';
import { surveyStrings } from '../../i18n/survey.ts';
import { surveyQuestionStrings, surveyQuestionValues } from '../../i18n/survey-kinds.ts';
import { quietPeriodStart, roundLengthDays, surveyRoundAt, type SurveyTrigger } from '../../listen/survey.ts';
import { isSurveyKind, scaleScores, type SurveyKind } from '../../listen/survey-kinds.ts';
import type { Locale } from '../../locales.ts';
import { generateToken, hashToken, isWellFormedToken } from '../../tokens.ts';
import type { JobMail, JobResult, MailJobHandler } from '../schedule/job-runner.ts';
import type { MailMessage } from '../platform/mail.ts';
import { scheduleJobStatement, type ClaimedJob } from '../schedule/scheduler.ts';
import { findErasedEmails } from '../moderate/erased-emails.ts';
import { emailLogoFor } from '../publish/brand-logo.ts';

const dayMs = 24 * 60 * 60 * 1000;

/** Job kinds of this module. */
export const surveyJobKinds = { send: 'survey.send', reminder: 'survey.reminder' } as const;

/** A contact who may be surveyed now. */
export interface SurveyRecipient {
  contactId: number;
  email: string;
  name: string | null;
  locale: Locale;
}

/**
 * The condition (on contacts `c`) for being surveyed with one kind: not unsubscribed, and not
 * surveyed with that kind within the quiet period (the arguments: the kind, the period's start).
 * The quiet period is per kind, so a CSAT after a ticket is not held back by last month's NPS.
 */
const eligibleSql = `c.unsubscribed_at is null and not exists (select 1 from surveys s where s.contact_id = c.id and s.kind = ? and s.created_at > ?)`;

/**
 * Who a survey of `kind` (default NPS) would go to now: contacts not unsubscribed, not erased, and
 * not surveyed with that kind within the quiet period (whatever sent that survey), oldest first.
 */
export async function selectSurveyRecipients(
  db: Database,
  config: ReviewWallConfig,
  options: { now?: Date; limit?: number | undefined; notSurveyedSince?: Date; kind?: SurveyKind } = {},
): Promise<SurveyRecipient[]> {
  const now = options.now ?? new Date();
  const limit = options.limit ?? -1;
  // The autopilot asks for a longer pause than the quiet period; never a shorter one.
  const since = Math.min(options.notSurveyedSince?.getTime() ?? Infinity, quietPeriodStart(config, now).getTime());
  const { rows } = await db.$client.execute({
    sql: `select c.id, c.email, c.name, c.locale from contacts c where ${eligibleSql} order by c.id limit ?`,
    args: [options.kind ?? 'nps', since, limit],
  });
  const recipients = rows.map((row) => ({
    contactId: Number(row.id),
    email: String(row.email),
    name: row.name === null ? null : String(row.name),
    locale: contactLocale(config, String(row.locale)),
  }));
  // Erasure deletes the contact and keeps a hash of the address; an import racing it is caught here.
  const erased = new Set<string>();
  for (let start = 0; start < recipients.length; start += 500) {
    const found = await findErasedEmails((statements) => db.$client.batch(statements, 'read'), recipients.slice(start, start + 500).map((recipient) => recipient.email));
    for (const email of found) erased.add(email);
  }
  return erased.size ? recipients.filter((recipient) => !erased.has(recipient.email)) : recipients;
}

/** The number of contacts a survey of `kind` would go to now (the admin's preview). */
export async function countSurveyRecipients(db: Database, config: ReviewWallConfig, now = new Date(), kind: SurveyKind = 'nps'): Promise<number> {
  const { rows } = await db.$client.execute({ sql: `select count(*) as value from contacts c where ${eligibleSql}`, args: [kind, quietPeriodStart(config, now).getTime()] });
  return Number(rows[0]?.value ?? 0);
}

/** The round a survey of `kind` created now belongs to (see surveyRoundAt); each kind counts its own rounds. */
export async function currentSurveyRound(db: Database, config: ReviewWallConfig, now = new Date(), kind: SurveyKind = 'nps'): Promise<number> {
  const { rows } = await db.$client.execute({
    sql: 'select round, (select min(created_at) from surveys where kind = ? and round = latest.round) as started_at from (select max(round) as round from surveys where kind = ?) latest where latest.round is not null',
    args: [kind, kind],
  });
  const row = rows[0];
  const latest = row ? { round: Number(row.round), startedAt: new Date(Number(row.started_at)) } : null;
  return surveyRoundAt(latest, now, roundLengthDays(config));
}

/** The job key that sends survey `surveyId`. */
export const surveySendJobKey = (surveyId: number | string) => `send-survey:${surveyId}`;

/**
 * Creates a survey for each of these contacts still eligible at this moment (the check and the
 * insert are one statement, so two triggers at once never survey anyone twice), and schedules
 * each one's email for now. Returns the ids created; `origin` names what created them, and a
 * contact gets at most one survey per origin, so repeating a call creates nothing new.
 */
export async function createSurveys(
  db: Database,
  config: ReviewWallConfig,
  input: { contactIds: number[]; trigger: SurveyTrigger; origin: string; ticketId?: string | null; now?: Date; kind?: SurveyKind },
): Promise<number[]> {
  const now = input.now ?? new Date();
  const kind = input.kind ?? 'nps';
  const round = await currentSurveyRound(db, config, now, kind);
  const expiresAt = now.getTime() + config.tokens.lifetimeDays * dayMs;
  const enabled = config.locales.enabled;
  const created: number[] = [];
  for (let start = 0; start < input.contactIds.length; start += 500) {
    const ids = input.contactIds.slice(start, start + 500);
    const marks = ids.map(() => '?').join(', ');
    const [inserted] = await db.$client.batch(
      [
        {
          sql: `insert into surveys (contact_id, kind, trigger, origin, ticket_id, round, locale, expires_at, created_at)
                select c.id, ?, ?, ?, ?, ?, case when c.locale in (${enabled.map(() => '?').join(', ')}) then c.locale else ? end, ?, ?
                from contacts c where c.id in (${marks}) and ${eligibleSql}
                on conflict (origin, contact_id) do nothing
                returning id`,
          args: [kind, input.trigger, input.origin, input.ticketId ?? null, round, ...enabled, config.locales.default, expiresAt, now.getTime(), ...ids, kind, quietPeriodStart(config, now).getTime()],
        },
        {
          sql: `insert into scheduled_jobs (kind, key, payload, contact_id, due_at)
                select ?, 'send-survey:' || s.id, json_object('surveyId', s.id), s.contact_id, ?
                from surveys s where s.origin = ? and s.contact_id in (${marks}) and s.sent_at is null
                on conflict (key) do nothing`,
          args: [surveyJobKinds.send, now.getTime(), input.origin, ...ids],
        },
      ],
      'write',
    );
    for (const row of inserted?.rows ?? []) created.push(Number(row.id));
  }
  return created;
}

/** A survey's answer link for one score. */
export function surveyAnswerLink(siteUrl: string, token: string, score: number): string {
  return `${siteUrl}/s/${token}/${score}`;
}

/** The one-click unsubscribe address of a survey link (RFC 8058). */
export function surveyUnsubscribeLink(siteUrl: string, token: string): string {
  return `${siteUrl}/s/${token}/unsubscribe`;
}

/** The idempotency key of a survey's email and of its reminder: the same in the email log, the outbox and Resend. */
export const surveyEmailKey = (surveyId: number, reminder = false) => `${reminder ? 'survey-reminder' : 'survey'}:${surveyId}`;

/** The date a link works until, as a sentence ends it ("1 December 2026"). */
export function formatLinkDate(locale: Locale, date: Date): string {
  // "until {date}": Latvian declines the month after "līdz" (see i18n/dates.ts).
  return formatDateInSentence(locale, date, 'until');
}

/**
 * The survey email (or its reminder) in the contact's language: the question of its kind and one
 * one-click link per score (0–10 for NPS, 1–5 for CSAT, 1–7 for CES). The configured wording
 * (`emails.survey`) is written for the NPS question, so it replaces only the NPS email's texts.
 */
export function buildSurveyEmail(
  config: ReviewWallConfig,
  input: { surveyId: number; contactId: number; to: string; name: string | null; locale: Locale; siteUrl: string; token: string; expiresAt: Date; reminder?: boolean; logo?: EmailLogo | null; kind?: SurveyKind },
): MailMessage {
  const kind = input.kind ?? 'nps';
  const t = surveyStrings(input.locale).email;
  const q = surveyQuestionStrings(input.locale, kind);
  const business = config.business.name;
  const base = { ...surveyQuestionValues(config, input.locale), name: input.name?.trim() ?? '', date: formatLinkDate(input.locale, input.expiresAt) };
  const values = { ...base, greeting: fill(base.name ? t.greeting : t.greetingWithoutName, base) };
  const own = kind === 'nps' ? wordingFor(config.emails, input.reminder ? 'surveyReminder' : 'survey', input.locale) : {};
  const unsubscribeUrl = surveyUnsubscribeLink(input.siteUrl, input.token);
  const rendered = renderEmail(
    {
      locale: input.locale,
      subject: fill(own.subject ?? (input.reminder ? q.reminderSubject : q.subject), values),
      paragraphs: own.body
        ? bodyParagraphs(own.body, values)
        : [values.greeting, ...(input.reminder ? [t.reminderIntro] : []), fill(q.question, values), q.howTo],
      choices: {
        items: scaleScores(kind).map((score) => ({
          label: String(score),
          url: surveyAnswerLink(input.siteUrl, input.token, score),
          description: fill(q.scoreLabel, { score }),
        })),
        lowLabel: q.lowLabel,
        highLabel: q.highLabel,
      },
      footer: { text: `${fill(t.linkNote, values)} ${fill(t.footer, values)}`, link: { label: t.unsubscribe, url: unsubscribeUrl } },
    },
    { businessName: business, primaryColor: config.business.colors.primary, logo: input.logo },
  );
  return {
    ...rendered,
    idempotencyKey: surveyEmailKey(input.surveyId, input.reminder),
    kind: input.reminder ? 'survey-reminder' : 'survey',
    to: input.to,
    contactId: input.contactId,
    headers: { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}

interface SurveyRow {
  id: number;
  contactId: number;
  kind: SurveyKind;
  locale: Locale;
  expiresAt: Date;
  sentAt: Date | null;
  answeredAt: Date | null;
  email: string;
  name: string | null;
  unsubscribed: boolean;
}

/** The surveys these jobs are about, with their contacts (erased ones are simply missing). */
async function loadSurveysOfJobs(db: Database, config: ReviewWallConfig, jobs: ClaimedJob[]): Promise<Map<number, SurveyRow>> {
  const ids = jobs.map((job) => Number(job.payload.surveyId)).filter(Number.isSafeInteger);
  if (ids.length === 0) return new Map();
  const { rows } = await db.$client.execute({
    sql: `select s.id, s.contact_id, s.kind, s.locale, s.expires_at, s.sent_at, s.answered_at, c.email, c.name, c.unsubscribed_at
          from surveys s join contacts c on c.id = s.contact_id where s.id in (${ids.map(() => '?').join(', ')})`,
    args: ids,
  });
  return new Map(
    rows.map((row) => [
      Number(row.id),
      {
        id: Number(row.id),
        contactId: Number(row.contact_id),
        kind: isSurveyKind(row.kind) ? row.kind : 'nps',
        locale: contactLocale(config, String(row.locale)),
        expiresAt: new Date(Number(row.expires_at)),
        sentAt: row.sent_at === null ? null : new Date(Number(row.sent_at)),
        answeredAt: row.answered_at === null ? null : new Date(Number(row.answered_at)),
        email: String(row.email),
        name: row.name === null ? null : String(row.name),
        unsubscribed: row.unsubscribed_at !== null,
      },
    ]),
  );
}

/**
 * Prepares the survey emails (or reminders) of claimed jobs: a fresh token per email, its hash
 * stored before anything is sent, so whichever attempt's email arrives, its links work.
 */
async function prepareSurveyEmails(
  context: Parameters<MailJobHandler['prepare']>[0],
  jobs: ClaimedJob[],
  now: Date,
  reminder: boolean,
): Promise<(JobMail | JobResult)[]> {
  const { db, config, siteUrl } = context;
  const surveys = await loadSurveysOfJobs(db, config, jobs);
  const logo = await emailLogoFor(config.business, siteUrl);
  const tokens: InStatement[] = [];
  const results = jobs.map((job): JobMail | JobResult => {
    const survey = surveys.get(Number(job.payload.surveyId));
    if (!survey) return { status: 'done', outcome: 'skipped: the survey or its contact is gone (erased)' };
    if (survey.unsubscribed) return { status: 'done', outcome: 'skipped: unsubscribed' };
    if (reminder && survey.answeredAt) return { status: 'done', outcome: 'skipped: answered' };
    if (!reminder && survey.sentAt) return { status: 'done', outcome: 'skipped: sent before' };
    if (survey.expiresAt.getTime() <= now.getTime()) return { status: 'done', outcome: 'skipped: the survey link expired' };
    const token = generateToken();
    tokens.push({ sql: 'insert into survey_tokens (token_hash, survey_id, created_at) values (?, ?, ?)', args: [hashToken(token), survey.id, now.getTime()] });
    const message = buildSurveyEmail(config, {
      surveyId: survey.id,
      contactId: survey.contactId,
      to: survey.email,
      name: survey.name,
      locale: survey.locale,
      siteUrl,
      token,
      expiresAt: survey.expiresAt,
      reminder,
      logo,
      kind: survey.kind,
    });
    const afterSent: InStatement[] = [];
    if (!reminder) {
      afterSent.push({ sql: 'update surveys set sent_at = coalesce(sent_at, ?) where id = ?', args: [now.getTime(), survey.id] });
      const reminderDays = config.surveys.reminderAfterDays;
      if (reminderDays !== false) {
        afterSent.push(
          scheduleJobStatement({
            kind: surveyJobKinds.reminder,
            key: `survey-reminder:${survey.id}`,
            payload: { surveyId: survey.id },
            contactId: survey.contactId,
            dueAt: new Date(now.getTime() + reminderDays * dayMs),
          }),
        );
      }
    }
    return { status: 'mail', message, afterSent };
  });
  if (tokens.length > 0) await db.$client.batch(tokens, 'write');
  return results;
}

/** Sends a survey's email (scheduled by createSurveys), then schedules its reminder. */
export const surveySendHandler: MailJobHandler = {
  type: 'mail',
  kind: surveyJobKinds.send,
  prepare: (context, jobs, now) => prepareSurveyEmails(context, jobs, now, false),
};

/** The one reminder of an unanswered survey: never after an answer, unsubscribing or the link's expiry. */
export const surveyReminderHandler: MailJobHandler = {
  type: 'mail',
  kind: surveyJobKinds.reminder,
  prepare: (context, jobs, now) => prepareSurveyEmails(context, jobs, now, true),
};

/** A survey as its link shows it. */
export interface SurveyLink {
  surveyId: number;
  contactId: number;
  /** The question asked; its answer is an NPS response (nps) or a survey rating (csat, ces). */
  kind: SurveyKind;
  contactName: string | null;
  locale: string;
  expiresAt: Date;
  answeredAt: Date | null;
  score: number | null;
  /** The NPS response answering it; null for CSAT and CES, whose answers never ask for a review. */
  responseId: number | null;
  comment: string | null;
  reviewAudience: 'promoters' | 'all' | null;
}

/** Looks a survey up by one of its tokens; null for a malformed, unknown or forged token. */
export async function findSurveyByToken(db: Database, token: string): Promise<SurveyLink | null> {
  if (!isWellFormedToken(token)) return null;
  const { rows } = await db.$client.execute({
    sql: `select s.id, s.contact_id, s.kind, c.name, s.locale, s.expires_at, s.answered_at, s.review_audience, r.id as response_id,
            coalesce(r.score, sr.score) as score, coalesce(r.comment, sr.comment) as comment
          from survey_tokens t join surveys s on s.id = t.survey_id join contacts c on c.id = s.contact_id
          left join nps_responses r on r.survey_id = s.id
          left join survey_ratings sr on sr.survey_id = s.id
          where t.token_hash = ?`,
    args: [hashToken(token)],
  });
  const row = rows[0];
  if (!row) return null;
  const audience = row.review_audience === 'promoters' || row.review_audience === 'all' ? row.review_audience : null;
  return {
    surveyId: Number(row.id),
    contactId: Number(row.contact_id),
    kind: isSurveyKind(row.kind) ? row.kind : 'nps',
    contactName: row.name === null ? null : String(row.name),
    locale: String(row.locale),
    expiresAt: new Date(Number(row.expires_at)),
    answeredAt: row.answered_at === null ? null : new Date(Number(row.answered_at)),
    score: row.score === null ? null : Number(row.score),
    responseId: row.response_id === null ? null : Number(row.response_id),
    comment: row.comment === null ? null : String(row.comment),
    reviewAudience: audience,
  };
}
