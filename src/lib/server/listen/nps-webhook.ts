import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header with the Unix time (seconds) the sender signed the request at. */
export const timestampHeader = 'X-Review-Wall-Timestamp';
/** The header with `sha256=` and the hex HMAC-SHA256 of `${timestamp}.${rawBody}`. */
export const signatureHeader = 'X-Review-Wall-Signature';
/** A signature older than this is refused, so a captured request cannot be replayed later. */
export const signatureToleranceSeconds = 5 * 60;
/** How far ahead a sender's clock may be. */
export const clockSkewSeconds = 30;
/** The largest body read; one NPS answer is far smaller. */
export const maxWebhookBodyBytes = 16 * 1024;

/** The signature of a body at a time: `sha256=` and the hex HMAC-SHA256 of `${timestamp}.${body}`. */
export function signWebhookBody(secret: string, timestamp: number | string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Why a signed request was refused, or null when it is authentic and fresh. */
export function checkWebhookSignature(input: {
  secret: string;
  timestamp: string | null;
  signature: string | null;
  body: string;
  nowSeconds?: number;
}): string | null {
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (!input.timestamp || !/^\d{1,12}$/.test(input.timestamp)) return `missing or malformed ${timestampHeader} (Unix seconds)`;
  const timestamp = Number(input.timestamp);
  if (timestamp < now - signatureToleranceSeconds) return `${timestampHeader} is more than 5 minutes old`;
  if (timestamp > now + clockSkewSeconds) return `${timestampHeader} is in the future`;
  const match = input.signature?.trim().match(/^sha256=([0-9a-fA-F]{64})$/);
  if (!match) return `missing or malformed ${signatureHeader} (expected sha256=<64 hex digits>)`;
  const given = Buffer.from(match[1]!, 'hex');
  const expected = createHmac('sha256', input.secret).update(`${input.timestamp}.${input.body}`).digest();
  // Both are 32 bytes here; timingSafeEqual needs equal lengths and compares in constant time.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'signature does not match';
  return null;
}

/** The body as text, or null when it is larger than `limit` bytes (reading stops there). */
export async function readBodyWithLimit(request: Request, limit: number): Promise<string | null> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Zendesk's own signature header: base64 HMAC-SHA256 of the timestamp header and the body, joined without separator. */
export const zendeskSignatureHeader = 'X-Zendesk-Webhook-Signature';
/** Zendesk's timestamp header: an ISO 8601 time such as 2026-03-25T05:09:27Z. */
export const zendeskTimestampHeader = 'X-Zendesk-Webhook-Signature-Timestamp';

/**
 * Why a request signed the way Zendesk webhooks sign (with the webhook's signing secret) was
 * refused, or null when it is authentic and fresh: the same 5-minute window as our own scheme,
 * so Zendesk can call an events webhook with no code in between.
 */
export function checkZendeskSignature(input: { secret: string; timestamp: string | null; signature: string | null; body: string; nowSeconds?: number }): string | null {
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  const time = input.timestamp && /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(input.timestamp) ? Date.parse(input.timestamp) / 1000 : Number.NaN;
  if (!Number.isFinite(time)) return `missing or malformed ${zendeskTimestampHeader} (ISO 8601 time)`;
  if (time < now - signatureToleranceSeconds) return `${zendeskTimestampHeader} is more than 5 minutes old`;
  if (time > now + clockSkewSeconds) return `${zendeskTimestampHeader} is in the future`;
  const given = input.signature && /^[A-Za-z0-9+/]{43}=$/.test(input.signature.trim()) ? Buffer.from(input.signature.trim(), 'base64') : null;
  if (!given) return `missing or malformed ${zendeskSignatureHeader} (expected a base64 HMAC-SHA256)`;
  const expected = createHmac('sha256', input.secret).update(`${input.timestamp}${input.body}`).digest();
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'signature does not match';
  return null;
}
