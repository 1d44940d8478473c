import { describe, expect, it } from 'vitest';
import { parseQueueFilter, queueActionHref, queueHref, queueQuery } from '../../../src/lib/moderate/queue-filter.ts';

describe('queue filters from the query string', () => {
  it('reads valid filters and ignores invalid ones instead of failing', () => {
    expect(parseQueueFilter(new URLSearchParams('status=pending&rating=2&language=uk&from=2026-01-01&to=2026-02-01&page=3'))).toEqual({
      status: 'pending',
      rating: 2,
      language: 'uk',
      from: '2026-01-01',
      to: '2026-02-01',
      page: 3,
    });
    expect(parseQueueFilter(new URLSearchParams('status=deleted&rating=9&language=<x>&from=yesterday&page=-1'))).toEqual({ status: 'all', page: 1 });
  });
});

describe('queue links', () => {
  const filtered = parseQueueFilter(new URLSearchParams('status=pending&rating=2&language=uk&from=2026-01-01&to=2026-02-01&page=3'));
  const unfiltered = parseQueueFilter(new URLSearchParams(''));

  it('keep only what differs from the defaults, and read back as the same filter', () => {
    expect(queueQuery(unfiltered)).toBe('');
    expect(queueQuery(filtered)).toBe('status=pending&rating=2&language=uk&from=2026-01-01&to=2026-02-01&page=3');
    expect(parseQueueFilter(new URLSearchParams(queueQuery(filtered)))).toEqual(filtered);
  });

  it('page through the same filter', () => {
    expect(queueHref(unfiltered)).toBe('/admin/');
    expect(queueHref(unfiltered, 2)).toBe('/admin/?page=2');
    expect(queueHref(filtered, 1)).toBe('/admin/?status=pending&rating=2&language=uk&from=2026-01-01&to=2026-02-01');
  });

  it('post forms to their action without losing the filter or the page', () => {
    expect(queueActionHref(unfiltered, 'approve')).toBe('/admin/?_action=admin.approve');
    expect(queueActionHref(filtered, 'reject')).toBe('/admin/?status=pending&rating=2&language=uk&from=2026-01-01&to=2026-02-01&page=3&_action=admin.reject');
  });
});
