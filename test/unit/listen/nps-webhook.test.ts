import { describe, expect, it } from 'vitest';
import { checkWebhookSignature, readBodyWithLimit, signWebhookBody } from '../../../src/lib/server/listen/nps-webhook.ts';

const secret = 'whsec-test-secret';
const body = '{"email":"olena@example.com","score":10}';
const now = 1_790_000_000;

describe('checkWebhookSignature', () => {
  it('accepts a fresh request signed with the secret', () => {
    const signature = signWebhookBody(secret, now, body);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(checkWebhookSignature({ secret, timestamp: String(now), signature, body, nowSeconds: now + 10 })).toBeNull();
  });

  it.each([
    ['another secret', { signature: signWebhookBody('other', now, body) }, 'signature does not match'],
    ['a changed body', { body: body.replace('10', '9') }, 'signature does not match'],
    ['a changed timestamp', { timestamp: String(now + 1) }, 'signature does not match'],
    ['a truncated signature', { signature: signWebhookBody(secret, now, body).slice(0, -2) }, 'missing or malformed X-Review-Wall-Signature'],
    ['no signature', { signature: null }, 'missing or malformed X-Review-Wall-Signature'],
    ['no timestamp', { timestamp: null }, 'missing or malformed X-Review-Wall-Timestamp'],
    ['a timestamp in milliseconds', { timestamp: `${now}000` }, 'missing or malformed X-Review-Wall-Timestamp'],
    ['a timestamp over 5 minutes old', { timestamp: String(now - 301), signature: signWebhookBody(secret, now - 301, body) }, 'more than 5 minutes old'],
    ['a timestamp in the future', { timestamp: String(now + 31), signature: signWebhookBody(secret, now + 31, body) }, 'in the future'],
  ])('refuses %s', (_, change, reason) => {
    const request = { secret, timestamp: String(now), signature: signWebhookBody(secret, now, body), body, nowSeconds: now, ...change };
    expect(checkWebhookSignature(request)).toContain(reason);
  });

  it('accepts a timestamp just inside the 5-minute window', () => {
    const timestamp = now - 300;
    expect(checkWebhookSignature({ secret, timestamp: String(timestamp), signature: signWebhookBody(secret, timestamp, body), body, nowSeconds: now })).toBeNull();
  });
});

describe('readBodyWithLimit', () => {
  it('reads a body up to the limit and stops beyond it', async () => {
    expect(await readBodyWithLimit(new Request('http://x/', { method: 'POST', body: 'é'.repeat(8) }), 16)).toBe('é'.repeat(8));
    expect(await readBodyWithLimit(new Request('http://x/', { method: 'POST', body: 'x'.repeat(17) }), 16)).toBeNull();
  });
});
