import { z } from 'astro/zod';
import { reviewStatuses } from './review-status.ts';

const dateParameter = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)));

/** The queue's filters, from the page's query string. Anything invalid falls back to "no filter". */
export const queueFilterSchema = z.object({
  status: z.enum(['all', ...reviewStatuses]).catch('all').default('all'),
  rating: z.coerce.number().int().min(1).max(5).optional().catch(undefined),
  language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/).optional().catch(undefined),
  from: dateParameter.optional().catch(undefined),
  to: dateParameter.optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});
export type QueueFilter = z.output<typeof queueFilterSchema>;

/** Reads the queue filters from a URL's query; empty values mean "any". */
export function parseQueueFilter(searchParams: URLSearchParams): QueueFilter {
  const raw: Record<string, string> = {};
  for (const key of ['status', 'rating', 'language', 'from', 'to', 'page']) {
    const value = searchParams.get(key);
    if (value !== null && value.trim() !== '') raw[key] = value.trim();
  }
  return queueFilterSchema.parse(raw);
}

/** The query string of a filter, on a page: only what differs from the defaults. */
export function queueQuery(filter: QueueFilter, page = filter.page): string {
  const query = new URLSearchParams();
  if (filter.status !== 'all') query.set('status', filter.status);
  if (filter.rating !== undefined) query.set('rating', String(filter.rating));
  if (filter.language !== undefined) query.set('language', filter.language);
  if (filter.from !== undefined) query.set('from', filter.from);
  if (filter.to !== undefined) query.set('to', filter.to);
  if (page > 1) query.set('page', String(page));
  return query.toString();
}

/** The queue's address with a filter, on a page. */
export function queueHref(filter: QueueFilter, page = filter.page): string {
  const query = queueQuery(filter, page);
  return query ? `/admin/?${query}` : '/admin/';
}

/** Where a queue form posts: its action (`server.admin.NAME`), keeping the filter and page in view. */
export function queueActionHref(filter: QueueFilter, action: string): string {
  const query = queueQuery(filter);
  return `/admin/?${query ? `${query}&` : ''}_action=admin.${action}`;
}
