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
