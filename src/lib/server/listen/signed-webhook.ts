import type { z } from 'astro/zod';
import type { Database } from '../../../../db/client.ts';
import { getDatabase } from '../platform/database.ts';
import { addressForLimits, consumeRateLimit } from '../platform/rate-limit.ts';
import { checkWebhookSignature, maxWebhookBodyBytes, readBodyWithLimit, signatureHeader, timestampHeader } from './nps-webhook.ts';

/** Requests per client address per minute: plenty for a helpdesk, little for a brute force. */
const perAddressLimit = { limit: 120, windowMs: 60_000 };

/** A JSON answer that no cache keeps. */
export const jsonResponse = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
  });

/** A signed webhook request: its checked payload, or the answer that refuses it. */
export type SignedWebhookRequest<T> = { kind: 'accepted'; db: Database; payload: T } | { kind: 'refused'; response: Response };

/**
 * The checks every signed webhook makes, in this order: on at all (a secret is set), the caller's
 * rate limit, the body limit (before reading it), the signature, JSON, then `schema`.
 */
export async function receiveSignedWebhook<S extends z.ZodType>(
  request: Request,
  clientAddress: string,
  options: {
    secret: string | undefined;
    /** Why the endpoint is off, naming the variable that turns it on. */
    off: string;
    /** Names the endpoint's rate-limit counters. */
    name: string;
    /** What one request carries, for the too-large message ("one answer"). */
    oneItem: string;
    schema: S;
    /** Another signature scheme this endpoint accepts (Zendesk's), or null to check ours. */
    otherSignature?: (body: string, secret: string) => string | null | undefined;
  },
): Promise<SignedWebhookRequest<z.infer<S>>> {
  const refuse = (status: number, body: unknown, headers?: Record<string, string>) => ({ kind: 'refused' as const, response: jsonResponse(status, body, headers) });
  const { secret } = options;
  if (!secret) return refuse(503, { error: options.off });

  const db = await getDatabase();
  const limit = await consumeRateLimit(db, `${options.name}:ip:${addressForLimits(clientAddress)}`, perAddressLimit);
  if (!limit.allowed) return refuse(429, { error: 'too many requests from this address; try again later' }, { 'Retry-After': String(limit.retryAfterSeconds) });

  const tooLarge = { error: `the body is larger than ${maxWebhookBodyBytes / 1024} KB; send ${options.oneItem} per request` };
  if (Number(request.headers.get('content-length') ?? 0) > maxWebhookBodyBytes) return refuse(413, tooLarge);
  const body = await readBodyWithLimit(request, maxWebhookBodyBytes);
  if (body === null) return refuse(413, tooLarge);

  const other = options.otherSignature?.(body, secret);
  const refused =
    other !== undefined
      ? other
      : checkWebhookSignature({ secret, timestamp: request.headers.get(timestampHeader), signature: request.headers.get(signatureHeader), body });
  if (refused) return refuse(401, { error: refused });

  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    return refuse(400, { error: 'the body is not valid JSON' });
  }
  const parsed = options.schema.safeParse(payload);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ field: issue.path.map(String).join('.') || '(body)', message: issue.message }));
    return refuse(400, { error: issues.map((issue) => issue.message).join('; '), issues });
  }
  return { kind: 'accepted', db, payload: parsed.data };
}
