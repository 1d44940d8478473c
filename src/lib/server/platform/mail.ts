import { eq, sql } from 'drizzle-orm';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { Resend } from 'resend';
import type { Database } from '../../../../db/client.ts';
import { emailLog } from '../../../../db/schema.ts';
import type { RenderedEmail } from '../../email-layout.ts';

/** One message to one recipient, with the key that makes sending it idempotent. */
export interface MailMessage extends RenderedEmail {
  /** Stable across retries, e.g. `invite:42`. Sending the same key twice sends once. */
  idempotencyKey: string;
  /** What the message is for: invite, incentive, … */
  kind: string;
  to: string;
  contactId?: number | null | undefined;
  /** Extra headers, e.g. List-Unsubscribe. */
  headers?: Record<string, string> | undefined;
}

/** What a transport reports after accepting a message. */
export interface DeliveryReceipt {
  providerMessageId: string | null;
  outboxFile?: string | undefined;
}

/** A way to deliver messages: Resend, or the local outbox. */
export interface MailTransport {
  readonly name: 'resend' | 'outbox';
  send(message: MailMessage, from: string): Promise<DeliveryReceipt>;
}

/** The outcome of `sendMail`. */
export type SendOutcome =
  | { status: 'sent'; receipt: DeliveryReceipt }
  | { status: 'already-sent'; providerMessageId: string | null };

/** A delivery that failed; `retryable` says whether trying again later may help. */
export class MailDeliveryError extends Error {
  override name = 'MailDeliveryError';
  readonly retryable: boolean;
  readonly statusCode: number | null;
  constructor(message: string, retryable: boolean, statusCode: number | null = null) {
    super(message);
    this.retryable = retryable;
    this.statusCode = statusCode;
  }
}

/** Builds the RFC 5322 source of a message (multipart text + HTML). */
export async function buildMimeMessage(message: MailMessage, from: string): Promise<Buffer> {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const info = await composer.sendMail({
    from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    headers: { 'X-Idempotency-Key': message.idempotencyKey, ...message.headers },
  });
  return info.message as Buffer;
}

/** File name of a message in the outbox: derived from its key, so a resend overwrites it. */
export function outboxFileName(idempotencyKey: string): string {
  return `${idempotencyKey.replace(/[^a-zA-Z0-9._-]+/g, '_')}.eml`;
}

/** Writes each message as an `.eml` file in a folder: the default when no Resend key is set. */
export function createOutboxTransport(directory: string): MailTransport {
  return {
    name: 'outbox',
    async send(message, from) {
      await mkdir(directory, { recursive: true });
      const file = outboxFileName(message.idempotencyKey);
      const temporary = join(directory, `.${file}.${process.pid}.tmp`);
      await writeFile(temporary, await buildMimeMessage(message, from));
      // Rename is atomic: a reader never sees half a message.
      await rename(temporary, join(directory, file));
      return { providerMessageId: null, outboxFile: file };
    },
  };
}

/** Options for the Resend transport. */
export interface ResendTransportOptions {
  apiKey: string;
  /** Overrides the API address (tests point it at a local fake). Defaults to RESEND_BASE_URL. */
  baseUrl?: string | undefined;
  maxAttempts?: number;
  /** Waits between retries; replaced in tests to keep them quick. */
  sleep?: (milliseconds: number) => Promise<void>;
}

const wait = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

/** How long to wait before retry number `attempt` (1-based), honouring Retry-After. */
export function retryDelay(attempt: number, retryAfterHeader: string | null | undefined): number {
  const seconds = Number(retryAfterHeader);
  if (retryAfterHeader && Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 60_000);
  return Math.min(500 * 2 ** (attempt - 1), 10_000);
}

/** Whether an HTTP status from Resend is worth retrying (rate limit or server error). */
export function isRetryableStatus(statusCode: number | null | undefined): boolean {
  return statusCode === 429 || statusCode === null || statusCode === undefined || statusCode >= 500;
}

/** Sends through the Resend SDK with its idempotency key, retrying 429 and 5xx. */
export function createResendTransport(options: ResendTransportOptions): MailTransport {
  const resend = new Resend(options.apiKey, options.baseUrl ? { baseUrl: options.baseUrl } : undefined);
  const maxAttempts = options.maxAttempts ?? 5;
  const sleep = options.sleep ?? wait;
  return {
    name: 'resend',
    async send(message, from) {
      for (let attempt = 1; ; attempt++) {
        const { data, error, headers } = await resend.emails.send(
          { from, to: message.to, subject: message.subject, text: message.text, html: message.html, headers: message.headers },
          { idempotencyKey: message.idempotencyKey },
        );
        if (data) return { providerMessageId: data.id };
        const statusCode = (error as { statusCode?: number | null } | null)?.statusCode ?? null;
        const retryable = isRetryableStatus(statusCode);
        if (!retryable || attempt >= maxAttempts) {
          throw new MailDeliveryError(`Resend refused the message: ${error?.message ?? 'unknown error'}`, retryable, statusCode);
        }
        await sleep(retryDelay(attempt, headers?.['retry-after']));
      }
    },
  };
}

/** Settings that pick and configure the transport. */
export interface MailSettings {
  RESEND_API_KEY?: string | undefined;
  RESEND_BASE_URL?: string | undefined;
  OUTBOX_DIR: string;
}

/** Resend when an API key is set, the outbox folder otherwise. */
export function createMailTransport(settings: MailSettings): MailTransport {
  return settings.RESEND_API_KEY
    ? createResendTransport({ apiKey: settings.RESEND_API_KEY, baseUrl: settings.RESEND_BASE_URL })
    : createOutboxTransport(settings.OUTBOX_DIR);
}

/** Everything `sendMail` needs besides the message. */
export interface Mailer {
  db: Database;
  transport: MailTransport;
  from: string;
}

/**
 * Sends a message at most once per idempotency key. The email log row is written before the
 * send, so a crash after the provider accepted the message only leads to a repeat of the same
 * keyed request (which Resend discards, and the outbox overwrites), never to a second email.
 */
export async function sendMail(mailer: Mailer, message: MailMessage): Promise<SendOutcome> {
  const { db, transport, from } = mailer;
  await db
    .insert(emailLog)
    .values({
      idempotencyKey: message.idempotencyKey,
      kind: message.kind,
      contactId: message.contactId ?? null,
      toAddress: message.to,
      subject: message.subject,
    })
    .onConflictDoNothing({ target: emailLog.idempotencyKey });
  const [logged] = await db.select().from(emailLog).where(eq(emailLog.idempotencyKey, message.idempotencyKey));
  if (logged?.status === 'sent') return { status: 'already-sent', providerMessageId: logged.providerMessageId };

  await db
    .update(emailLog)
    .set({ attempts: sql`${emailLog.attempts} + 1`, transport: transport.name })
    .where(eq(emailLog.idempotencyKey, message.idempotencyKey));
  try {
    const receipt = await transport.send(message, from);
    await db
      .update(emailLog)
      .set({
        status: 'sent',
        providerMessageId: receipt.providerMessageId,
        outboxFile: receipt.outboxFile ?? null,
        error: null,
        sentAt: new Date(),
      })
      .where(eq(emailLog.idempotencyKey, message.idempotencyKey));
    return { status: 'sent', receipt };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await db.update(emailLog).set({ status: 'failed', error: reason }).where(eq(emailLog.idempotencyKey, message.idempotencyKey));
    throw error instanceof MailDeliveryError ? error : new MailDeliveryError(reason, true);
  }
}

/** Resend accepts at most this many messages in one batch request. */
export const resendBatchLimit = 100;

/** Options for sending batches through Resend's batch endpoint. */
export interface ResendBatchOptions extends ResendTransportOptions {
  /** Awaited before every HTTP request, retries included: the place to keep under a request rate. */
  beforeRequest?: () => Promise<void>;
  /** A request without an answer after this long is abandoned and retried under the same key (default 30 s). */
  requestTimeoutMs?: number;
}

/** What Resend answered to an accepted batch. */
export interface BatchReceipt {
  /** The provider's id of each message, in the order they were given. */
  providerMessageIds: string[];
  /** HTTP requests made, retries included. */
  requests: number;
}

/** Sends up to 100 messages in one request; the same key and the same messages form the same request. */
export type ResendBatchSender = (messages: MailMessage[], from: string, idempotencyKey: string) => Promise<BatchReceipt>;

/**
 * Sends batches through the Resend SDK (POST /emails/batch) under one idempotency key per
 * request, retrying 429 and 5xx with backoff that honours Retry-After. Resend keeps the answer
 * to a key, so repeating a request that was already accepted delivers nothing new.
 */
export function createResendBatchSender(options: ResendBatchOptions): ResendBatchSender {
  const resend = new Resend(options.apiKey, options.baseUrl ? { baseUrl: options.baseUrl } : undefined);
  const maxAttempts = options.maxAttempts ?? 5;
  const sleep = options.sleep ?? wait;
  return async (messages, from, idempotencyKey) => {
    if (messages.length === 0 || messages.length > resendBatchLimit) {
      throw new Error(`a batch holds 1 to ${resendBatchLimit} messages, not ${messages.length}`);
    }
    const payload = messages.map((message) => ({
      from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      headers: { 'X-Idempotency-Key': message.idempotencyKey, ...message.headers },
    }));
    for (let attempt = 1; ; attempt++) {
      await options.beforeRequest?.();
      const signal = AbortSignal.timeout(options.requestTimeoutMs ?? 30_000);
      const { data, error, headers } = await resend.batch.send(payload, { idempotencyKey, signal });
      if (data) {
        const ids = data.data.map((entry) => entry.id);
        if (ids.length !== messages.length) {
          throw new MailDeliveryError(`Resend answered ${ids.length} ids for ${messages.length} messages`, false);
        }
        return { providerMessageIds: ids, requests: attempt };
      }
      const statusCode = (error as { statusCode?: number | null } | null)?.statusCode ?? null;
      const retryable = isRetryableStatus(statusCode);
      if (!retryable || attempt >= maxAttempts) {
        const status = statusCode ? ` (HTTP ${statusCode})` : '';
        throw new MailDeliveryError(`Resend refused the batch${status}: ${error?.message ?? 'unknown error'}`, retryable, statusCode);
      }
      await sleep(retryDelay(attempt, headers?.['retry-after']));
    }
  };
}
