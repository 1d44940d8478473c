import { describe, expect, it } from 'vitest';
import { pageKeys, type PublicPage } from '../../../src/lib/server/publish/public-pages.ts';

// A page's key stands for everything it is rendered from: a publish reuses the file of a page whose
// key did not change, so a key that missed a change would leave a stale page live.

const review = (body: string, extra: Record<string, unknown> = {}) => ({ id: 'a1', rating: 5, body, submittedAt: new Date(Date.UTC(2026, 0, 2)), role: null, ...extra });

function archive(items: unknown[], site: unknown, words = { noun: 'Reviews', statement: 'We invited everyone.', incentive: null }): PublicPage {
  return { route: 'archive', path: '/testimonials/page/1/', props: { site, page: { items, page: 1, olderPage: null, newest: true }, locale: null, languages: ['en'], words } } as unknown as PublicPage;
}

describe('page keys', () => {
  it('are equal for equal props in different objects, across publishes', () => {
    const site = { config: { business: { name: 'Acme' }, hosts: new Map([['a', 1]]) }, siteUrl: 'https://x.example' };
    const copy = structuredClone(site);
    expect(pageKeys()(archive([review('Great'), review('Fine')], site))).toBe(pageKeys()(archive([review('Great'), review('Fine')], copy)));
  });

  it('change with any value a page could show: a review text, a date, a nested setting, a Map entry, the order of a list', () => {
    const site = () => ({ config: { business: { name: 'Acme' }, hosts: new Map([['a', 1]]) }, siteUrl: 'https://x.example' });
    const base = pageKeys()(archive([review('Great'), review('Fine')], site()));
    const variants = [
      archive([review('Great!'), review('Fine')], site()),
      archive([review('Great', { submittedAt: new Date(Date.UTC(2026, 0, 3)) }), review('Fine')], site()),
      archive([review('Great', { role: 'Owner' }), review('Fine')], site()),
      archive([review('Fine'), review('Great')], site()),
      archive([review('Great')], site()),
      archive([review('Great'), review('Fine')], { ...site(), config: { business: { name: 'Acme Ltd' }, hosts: new Map([['a', 1]]) } }),
      archive([review('Great'), review('Fine')], { ...site(), config: { business: { name: 'Acme' }, hosts: new Map([['a', 2]]) } }),
      archive([review('Great'), review('Fine')], site(), { noun: 'Reviews', statement: 'We invited promoters.', incentive: null }),
    ];
    const keys = variants.map((page) => pageKeys()(page));
    for (const key of keys) expect(key).not.toBe(base);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('hash an object once per publish however many pages share it, and see a change made before the next publish', () => {
    const site = { siteUrl: 'https://x.example' };
    const shared = review('Great');
    const keyOf = pageKeys();
    const first = keyOf(archive([shared], site));
    expect(keyOf(archive([shared], site))).toBe(first);
    shared.body = 'Edited';
    expect(pageKeys()(archive([shared], site))).not.toBe(first);
  });
});
