import { createHmac, timingSafeEqual } from 'node:crypto';

// The Standard Webhooks scheme (https://www.standardwebhooks.com): the receiver checks
// HMAC-SHA256 over `id.timestamp.body` with the secret's bytes, and refuses old timestamps.

/** A signing secret as the spec writes it: `whsec_` and the base64 of 24 to 64 random bytes. */
export const signingSecretPattern = /^whsec_[A-Za-z0-9+/]+={0,2}$/;

/** The secret's key bytes, or null when it is not a `whsec_` secret of 24–64 bytes. */
export function decodeSigningSecret(secret: string): Buffer | null {
  if (!signingSecretPattern.test(secret)) return null;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  return key.length >= 24 && key.length <= 64 ? key : null;
}

/** The three headers of one signed request. */
export interface StandardWebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** Signs a body for sending: the same id on every attempt, the time of this attempt. */
export function signWebhook(key: Buffer, id: string, timestampSeconds: number, body: string): StandardWebhookHeaders {
  const signature = createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': String(timestampSeconds), 'webhook-signature': `v1,${signature}` };
}

/** True when one of the space-separated `v1,` signatures matches (for receivers written in TypeScript; see docs/notifications.md). */
export function verifyWebhook(key: Buffer, headers: StandardWebhookHeaders, body: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const timestamp = Number(headers['webhook-timestamp']);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(key, headers['webhook-id'], timestamp, body)['webhook-signature']);
  return headers['webhook-signature'].split(' ').some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
