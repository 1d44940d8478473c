import { createHash } from 'node:crypto';
import { and, asc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { Database } from '../../../../db/client.ts';
import type { CommandLock } from '../platform/command-lock.ts';
import { auditLog, contacts, emailLog, giftCodes, incentives, reviewRequests } from '../../../../db/schema.ts';
import { fill, messagesFor } from '../../i18n/index.ts';
import type { ReviewWallConfig } from '../../config-schema.ts';
import { promisedIncentiveText, type PromisedIncentive } from '../../ask/promised-incentive.ts';
import { renderEmail, type EmailLogo, type RenderedEmail } from '../../email-layout.ts';
import { bodyParagraphs, wordingFor } from '../../email-wording.ts';
import { isLocale, normalizeLocale, type Locale } from '../../locales.ts';
import { emailLogoFor } from '../publish/brand-logo.ts';
import { MailDeliveryError, resendBatchLimit, sendMail, type Mailer, type MailMessage, type ResendBatchSender } from '../platform/mail.ts';

/** Where an incentive is on its way to the reviewer. */
export const incentiveStates = ['pending', 'sending', 'sent', 'failed'] as const;
/** One of `incentiveStates`. */
export type IncentiveState = (typeof incentiveStates)[number];

/** Runs that may try one incentive before it waits for a person to press "retry". */
export const defaultMaxAttempts = 5;

/** Someone who is owed an incentive, as the ledger and their contact row describe them. */
export interface IncentiveRecipient {
  incentiveId: number;
  contactId: number;
  email: string;
  name: string | null;
  locale: string;
  state: string;
  attempts: number;
  batchKey: string | null;
  code: string | null;
  /** What their invitation promised (see promised-incentive.ts). */
  incentive: string | null;
  incentiveTranslations: Record<string, string> | null;
}

/**
 * The query behind `selectIncentiveRecipients`. It reads the incentive ledger (with the gift
 * code held for a row), contacts, and the contact's review request for what its invitation
 * promised, and nothing else: there is no join to reviews, so neither the rating, the text nor
 * the moderation outcome can influence who is thanked, or with what.
 */
export function incentiveRecipientsQuery(db: Database, options: { maxAttempts?: number } = {}) {
  const maxAttempts = options.maxAttempts ?? defaultMaxAttempts;
  return db
    .select({
      incentiveId: incentives.id,
      contactId: contacts.id,
      email: contacts.email,
      name: contacts.name,
      locale: contacts.locale,
      state: incentives.state,
      attempts: incentives.attempts,
      batchKey: incentives.batchKey,
      code: giftCodes.code,
      incentive: reviewRequests.incentive,
      incentiveTranslations: reviewRequests.incentiveTranslations,
    })
    .from(incentives)
    // An inner join: an erased contact (or a row left without one) gets nothing.
    .innerJoin(contacts, eq(contacts.id, incentives.contactId))
    .leftJoin(giftCodes, eq(giftCodes.incentiveId, incentives.id))
    // A contact has one review request (a unique index), the one their review came through.
    .leftJoin(reviewRequests, eq(reviewRequests.contactId, incentives.contactId))
    .where(
      or(
        inArray(incentives.state, ['pending', 'sending']),
        and(eq(incentives.state, 'failed'), lt(incentives.attempts, maxAttempts)),
      ),
    )
    .orderBy(asc(incentives.id));
}

/**
 * Everyone still owed an incentive: pending rows, rows a crashed run left in `sending`, and
 * failed rows below the attempt limit. Unsubscribed contacts are included on purpose: the
 * thank-you was promised before they wrote, it is a one-time transactional message, not
 * marketing.
 */
export async function selectIncentiveRecipients(db: Database, options: { maxAttempts?: number } = {}): Promise<IncentiveRecipient[]> {
  return incentiveRecipientsQuery(db, options);
}

/** The language of a recipient's email: their own if the site speaks it, else the default. */
export function incentiveLocale(config: ReviewWallConfig, locale: string): Locale {
  const normalized = normalizeLocale(locale, config.locales.default);
  return isLocale(normalized) && config.locales.enabled.includes(normalized) ? normalized : config.locales.default;
}

/** How to claim the incentive in a locale (incentive.claimInstructions), or null when not configured. */
export function claimInstructionsFor(config: ReviewWallConfig, locale: Locale): string | null {
  const instructions = config.incentive.claimInstructions;
  return instructions ? (instructions.translations[locale] ?? instructions.text) : null;
}

/**
 * Renders the thank-you email: the incentive the invitation promised, the code if any, how to
 * claim it (when configured) and the honesty line.
 */
export function renderIncentiveEmail(
  config: ReviewWallConfig,
  recipient: { name: string | null; locale: string; code: string | null } & Partial<PromisedIncentive>,
  logo: EmailLogo | null = null,
): RenderedEmail {
  const locale = incentiveLocale(config, recipient.locale);
  const strings = messagesFor(locale).incentiveEmail;
  const business = config.business.name;
  const name = recipient.name?.trim();
  const promised = { incentive: recipient.incentive ?? null, incentiveTranslations: recipient.incentiveTranslations ?? null };
  const values = {
    business,
    name: name ?? '',
    greeting: name ? fill(strings.greeting, { name }) : strings.greetingWithoutName,
    incentive: promisedIncentiveText(promised, locale, config),
    code: recipient.code ?? '',
  };
  const own = wordingFor(config.emails, 'incentive', locale);
  const paragraphs = own.body ? bodyParagraphs(own.body, values) : [values.greeting, fill(strings.thanks, values)];
  if (recipient.code) paragraphs.push(fill(strings.code, { code: recipient.code }));
  const claim = claimInstructionsFor(config, locale);
  if (claim) paragraphs.push(claim);
  // Whatever the wording, the thank-you says it did not depend on the review.
  paragraphs.push(strings.independence);
  return renderEmail(
    { locale, subject: fill(own.subject ?? strings.subject, values), paragraphs, footer: { text: fill(strings.footer, { business }) } },
    { businessName: business, primaryColor: config.business.colors.primary, logo },
  );
}

/** The idempotency key of one incentive's email, the same in the email log, the outbox and Resend. */
export function incentiveEmailKey(incentiveId: number): string {
  return `incentive:${incentiveId}`;
}

/** The message for one recipient. */
export function incentiveMessage(config: ReviewWallConfig, recipient: IncentiveRecipient, logo: EmailLogo | null = null): MailMessage {
  return {
    ...renderIncentiveEmail(config, recipient, logo),
    idempotencyKey: incentiveEmailKey(recipient.incentiveId),
    kind: 'incentive',
    to: recipient.email,
    contactId: recipient.contactId,
  };
}

/** The key of a provider request: derived from the ledger ids it carries, so a rerun repeats it exactly. */
export function incentiveBatchKey(incentiveIds: number[]): string {
  const ids = [...incentiveIds].sort((a, b) => a - b).join(',');
  return `incentives:${createHash('sha256').update(ids).digest('hex').slice(0, 32)}`;
}

/** A group of recipients sent in one provider request. */
export interface IncentiveBatch {
  key: string;
  recipients: IncentiveRecipient[];
  /** Whether an earlier run already handed this batch to the provider (or tried to). */
  repeated: boolean;
}

/**
 * Groups recipients into batches. Rows that already carry a batch key go first, grouped by that
 * key, so a request an earlier run may have made is repeated with the same rows and key; the
 * rest are cut in id order into new batches of at most `size`.
 */
export function planIncentiveBatches(recipients: IncentiveRecipient[], size = resendBatchLimit): IncentiveBatch[] {
  const repeated = new Map<string, IncentiveRecipient[]>();
  const fresh: IncentiveRecipient[] = [];
  for (const recipient of recipients) {
    if (recipient.batchKey) repeated.set(recipient.batchKey, [...(repeated.get(recipient.batchKey) ?? []), recipient]);
    else fresh.push(recipient);
  }
  const batches: IncentiveBatch[] = [...repeated].map(([key, rows]) => ({ key, recipients: rows, repeated: true }));
  for (let start = 0; start < fresh.length; start += size) {
    const rows = fresh.slice(start, start + size);
    batches.push({ key: incentiveBatchKey(rows.map((row) => row.incentiveId)), recipients: rows, repeated: false });
  }
  return batches;
}

/** Spaces out calls so that at most `perSecond` start in any second. */
export function createRequestPacer(perSecond: number, sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))) {
  const interval = 1000 / perSecond;
  let next = 0;
  return async () => {
    const now = Date.now();
    const start = Math.max(now, next);
    next = start + interval;
    if (start > now) await sleep(start - now);
  };
}

/** Progress after each batch. */
export interface DeliveryProgress {
  batch: number;
  batches: number;
  sent: number;
  failed: number;
  total: number;
  lastError: string | null;
}

/** What a run did. */
export interface DeliverySummary {
  total: number;
  sent: number;
  failed: number;
  batches: number;
  /** Batches an earlier, interrupted run had started: repeated with the same key. */
  repeatedBatches: number;
  transport: 'resend' | 'outbox';
  /** True when the run stopped before every batch was sent because it no longer held its lock. */
  stopped: boolean;
}

/** What `deliverIncentives` needs. */
export interface DeliveryOptions {
  config: ReviewWallConfig;
  mailer: Mailer;
  /** Present when Resend is used: sends a whole batch in one request. */
  sendBatch?: ResendBatchSender | null | undefined;
  batchSize?: number;
  maxAttempts?: number;
  onProgress?: (progress: DeliveryProgress) => void;
  /**
   * The command lock this run holds (see command-lock.ts): checked before each batch, and each
   * batch is claimed only while it is still held, so a run that lost it sends nothing more.
   */
  lock?: Pick<CommandLock, 'name' | 'holder' | 'lost'> | null | undefined;
  /** The site's address (SITE_URL): the emails show the logo the published site serves. */
  siteUrl?: string | undefined;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Sends every incentive still owed. Each ledger row moves pending → sending (with its batch key
 * and one more attempt, written before the request) → sent (with the provider's id) or failed
 * (with the reason). A run that dies midway leaves rows in `sending` with their key, and the next
 * run repeats exactly that request: Resend answers a repeated key with the original result, the
 * outbox overwrites the same file, so nobody is skipped and nobody is thanked twice.
 */
export async function deliverIncentives(options: DeliveryOptions): Promise<DeliverySummary> {
  const { config, mailer, sendBatch } = options;
  const { db } = mailer;
  const recipients = await selectIncentiveRecipients(db, { maxAttempts: options.maxAttempts });
  const batches = planIncentiveBatches(recipients, Math.min(options.batchSize ?? resendBatchLimit, resendBatchLimit));
  const summary: DeliverySummary = {
    total: recipients.length,
    sent: 0,
    failed: 0,
    batches: batches.length,
    repeatedBatches: batches.filter((batch) => batch.repeated).length,
    transport: sendBatch ? 'resend' : mailer.transport.name,
    stopped: false,
  };
  let lastError: string | null = null;
  const logo = options.siteUrl ? await emailLogoFor(config.business, options.siteUrl) : null;

  for (const [index, batch] of batches.entries()) {
    const { lock } = options;
    if (lock?.lost) {
      summary.stopped = true;
      break;
    }
    const ids = batch.recipients.map((recipient) => recipient.incentiveId);
    // The batch key is stored before the request: from here on a rerun repeats this request.
    // Under a lock, only while the lock is still this run's.
    const claimed = await db
      .update(incentives)
      .set({ state: 'sending', batchKey: batch.key, attempts: sql`${incentives.attempts} + 1`, updatedAt: new Date() })
      .where(
        lock
          ? and(inArray(incentives.id, ids), sql`exists (select 1 from command_locks where name = ${lock.name} and holder = ${lock.holder})`)
          : inArray(incentives.id, ids),
      );
    if (lock && claimed.rowsAffected === 0) {
      summary.stopped = true;
      break;
    }
    const messages = batch.recipients.map((recipient) => incentiveMessage(config, recipient, logo));

    if (sendBatch) {
      const outcome = await sendResendBatch(db, sendBatch, mailer.from, batch, messages);
      if (outcome.error) {
        summary.failed += ids.length;
        lastError = outcome.error;
      } else summary.sent += ids.length;
    } else {
      for (const [position, message] of messages.entries()) {
        const id = ids[position]!;
        try {
          const result = await sendMail(mailer, message);
          const providerMessageId = result.status === 'sent' ? result.receipt.providerMessageId : result.providerMessageId;
          await db
            .update(incentives)
            .set({ state: 'sent', providerMessageId, lastError: null, sentAt: new Date(), updatedAt: new Date() })
            .where(eq(incentives.id, id));
          summary.sent++;
        } catch (error) {
          lastError = reasonOf(error);
          await db.update(incentives).set({ state: 'failed', lastError, updatedAt: new Date() }).where(eq(incentives.id, id));
          summary.failed++;
        }
      }
    }
    options.onProgress?.({ batch: index + 1, batches: batches.length, sent: summary.sent, failed: summary.failed, total: summary.total, lastError });
  }
  return summary;
}

/** Sends one batch through Resend and records the outcome in the ledger and the email log. */
async function sendResendBatch(
  db: Database,
  sendBatch: ResendBatchSender,
  from: string,
  batch: IncentiveBatch,
  messages: MailMessage[],
): Promise<{ error: string | null }> {
  const ids = batch.recipients.map((recipient) => recipient.incentiveId);
  const keys = messages.map((message) => message.idempotencyKey);
  await db
    .insert(emailLog)
    .values(messages.map((message) => ({ idempotencyKey: message.idempotencyKey, kind: message.kind, contactId: message.contactId ?? null, toAddress: message.to, subject: message.subject, transport: 'resend' })))
    .onConflictDoNothing({ target: emailLog.idempotencyKey });
  await db.update(emailLog).set({ attempts: sql`${emailLog.attempts} + 1` }).where(inArray(emailLog.idempotencyKey, keys));
  try {
    const receipt = await sendBatch(messages, from, batch.key);
    const sentAt = new Date();
    const [first, ...rest] = messages.flatMap((message, position) => {
      const providerMessageId = receipt.providerMessageIds[position]!;
      return [
        db
          .update(incentives)
          .set({ state: 'sent', providerMessageId, lastError: null, sentAt, updatedAt: sentAt })
          .where(eq(incentives.id, ids[position]!)),
        db
          .update(emailLog)
          .set({ status: 'sent', providerMessageId, error: null, sentAt })
          .where(eq(emailLog.idempotencyKey, message.idempotencyKey)),
      ];
    });
    // One transaction: the ledger never says "sent" for half a batch.
    await db.batch([first!, ...rest]);
    return { error: null };
  } catch (error) {
    const reason = reasonOf(error);
    // A request Resend refused outright (4xx) sent nothing, so these rows may join a new batch
    // next time. After 429/5xx/network trouble it may have gone through, and a 409 says the key
    // was used before: keep the key, so only the very same request is ever repeated.
    const keepKey = !(error instanceof MailDeliveryError) || error.retryable || error.statusCode === 409;
    await db.batch([
      db
        .update(incentives)
        .set({ state: 'failed', lastError: reason, batchKey: keepKey ? batch.key : null, updatedAt: new Date() })
        .where(inArray(incentives.id, ids)),
      db.update(emailLog).set({ status: 'failed', error: reason }).where(inArray(emailLog.idempotencyKey, keys)),
    ]);
    return { error: reason };
  }
}

/** Number of ledger rows in each state. */
export async function countIncentivesByState(db: Database): Promise<Record<IncentiveState, number>> {
  const rows = await db.select({ state: incentives.state, count: sql<number>`count(*)` }).from(incentives).groupBy(incentives.state);
  const counts: Record<IncentiveState, number> = { pending: 0, sending: 0, sent: 0, failed: 0 };
  for (const row of rows) counts[row.state as IncentiveState] = Number(row.count);
  return counts;
}

/** How many thank-yous are owed or sent for one promise, as invitations worded it. */
export interface IncentivesForPromise {
  /** The promise in the invitation's public wording; null for invitations sent before it was recorded. */
  incentive: string | null;
  counts: Record<IncentiveState, number>;
}

/**
 * The ledger grouped by what each reviewer's invitation promised, so the admin names the gifts
 * actually owed (the config may have changed since those invitations went out). Erased contacts
 * are not counted here, as they are not thanked.
 */
export async function countIncentivesByPromise(db: Database): Promise<IncentivesForPromise[]> {
  const rows = await db
    .select({ incentive: reviewRequests.incentive, state: incentives.state, count: sql<number>`count(*)` })
    .from(incentives)
    .innerJoin(contacts, eq(contacts.id, incentives.contactId))
    .leftJoin(reviewRequests, eq(reviewRequests.contactId, incentives.contactId))
    .groupBy(reviewRequests.incentive, incentives.state);
  const byPromise = new Map<string | null, IncentivesForPromise>();
  for (const row of rows) {
    const entry = byPromise.get(row.incentive) ?? { incentive: row.incentive, counts: { pending: 0, sending: 0, sent: 0, failed: 0 } };
    entry.counts[row.state as IncentiveState] += Number(row.count);
    byPromise.set(row.incentive, entry);
  }
  const total = (entry: IncentivesForPromise) => incentiveStates.reduce((sum, state) => sum + entry.counts[state], 0);
  return [...byPromise.values()].sort((a, b) => total(b) - total(a));
}

/** A failed incentive as the admin sees it. */
export interface IncentiveFailure {
  incentiveId: number;
  email: string;
  attempts: number;
  lastError: string | null;
  updatedAt: Date;
}

/** Failed ledger rows, newest first, with their reasons. */
export async function listIncentiveFailures(db: Database, limit = 200): Promise<IncentiveFailure[]> {
  return db
    .select({
      incentiveId: incentives.id,
      email: contacts.email,
      attempts: incentives.attempts,
      lastError: incentives.lastError,
      updatedAt: incentives.updatedAt,
    })
    .from(incentives)
    .innerJoin(contacts, eq(contacts.id, incentives.contactId))
    .where(eq(incentives.state, 'failed'))
    .orderBy(sql`${incentives.updatedAt} desc`, asc(incentives.id))
    .limit(limit);
}

/**
 * Puts failed incentives back to pending so the next `npm run incentives` sends them, past the
 * attempt limit too, and notes who asked in the audit log. Their batch key stays: a request
 * that may have reached Resend is repeated as it was, never sent as a new one.
 */
export async function retryFailedIncentives(db: Database, actor?: { id: number; email: string }): Promise<number> {
  const rows = await db
    .update(incentives)
    .set({ state: 'pending', updatedAt: new Date() })
    .where(eq(incentives.state, 'failed'))
    .returning({ id: incentives.id });
  if (actor && rows.length > 0) {
    await db.insert(auditLog).values({
      actorId: actor.id,
      actorLabel: actor.email,
      action: 'incentives.retry',
      subjectType: 'incentive',
      detail: JSON.stringify({ count: rows.length }),
    });
  }
  return rows.length;
}
