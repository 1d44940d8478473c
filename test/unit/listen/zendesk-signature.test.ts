import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkZendeskSignature } from '../../../src/lib/server/listen/nps-webhook.ts';

// Zendesk's documented scheme: base64(HMACSHA256(TIMESTAMP + BODY)), keyed with the webhook's signing secret.
const secret = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==';
const body = '{"email":"ana@example.com","ticket_id":"42"}';
const timestamp = '2026-03-25T05:09:27Z';
const now = Date.parse(timestamp) / 1000;
const zendeskSign = (time: string, text: string, key = secret) => createHmac('sha256', key).update(time + text).digest('base64');

describe('checkZendeskSignature', () => {
  it('accepts a fresh request signed the way Zendesk signs webhooks', () => {
    expect(checkZendeskSignature({ secret, timestamp, signature: zendeskSign(timestamp, body), body, nowSeconds: now + 20 })).toBeNull();
  });

  it.each([
    ['another secret', { signature: zendeskSign(timestamp, body, 'other') }, 'signature does not match'],
    ['a changed body', { body: body.replace('42', '43') }, 'signature does not match'],
    ['our own hex signature', { signature: `sha256=${createHmac('sha256', secret).update(`${now}.${body}`).digest('hex')}` }, 'missing or malformed X-Zendesk-Webhook-Signature'],
    ['no timestamp', { timestamp: null }, 'missing or malformed X-Zendesk-Webhook-Signature-Timestamp'],
    ['a Unix timestamp', { timestamp: String(now) }, 'missing or malformed X-Zendesk-Webhook-Signature-Timestamp'],
    ['a timestamp over 5 minutes old', { nowSeconds: now + 301 }, 'more than 5 minutes old'],
    ['a timestamp in the future', { nowSeconds: now - 31 }, 'in the future'],
  ])('refuses %s', (_, change, reason) => {
    const request = { secret, timestamp, signature: zendeskSign(timestamp, body), body, nowSeconds: now, ...change };
    expect(checkZendeskSignature(request)).toContain(reason);
  });
});
