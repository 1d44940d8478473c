import { describe, expect, it } from 'vitest';
import { describeCollection } from '../../../src/lib/publish/collection.ts';
import { pageKeys, planPublicPages, type PublicPage } from '../../../src/lib/server/publish/public-pages.ts';
import type { PublicReview } from '../../../src/lib/server/publish/public-reviews.ts';
import type { PublicSite } from '../../../src/lib/server/publish/public-site.ts';

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

describe('archive pages across publishes', () => {
  const config = { business: { name: 'Acme' } } as unknown as PublicSite['config'];
  const makeReview = (index: number, locale: string): PublicReview => ({
    id: `r${index}`,
    formerId: null,
    rating: 5,
    body: `Review ${index}`,
    redacted: false,
    displayName: `Person ${index}`,
    role: null,
    company: null,
    photoPath: null,
    locale,
    featured: false,
    submittedAt: new Date(Date.UTC(2026, 0, 1, index)),
    incentive: 'a mug',
  });
  const site = (reviews: PublicReview[], languages: PublicSite['languages']): PublicSite => {
    const newest = reviews.toSorted((a, b) => b.submittedAt.getTime() - a.submittedAt.getTime());
    const collection = describeCollection(reviews.map((review) => ({ audience: 'all' as const, sentAt: new Date(Date.UTC(2026, 0, 1)), incentive: 'a mug' })));
    return { config, siteUrl: 'https://x.example', reviews: newest, newest, ratings: reviews.map((review) => review.rating), collection, languages };
  };
  const archiveKeys = (published: PublicSite) => {
    const keyOf = pageKeys();
    return new Map(planPublicPages(published, '/nonexistent').filter((page) => page.route === 'archive').map((page) => [page.path, keyOf(page)]));
  };

  it('keep their keys when a newer review arrives (but the newest) and when languages change places by count', () => {
    const reviews = Array.from({ length: 60 }, (_, index) => makeReview(index, index % 2 ? 'pl' : 'en'));
    const before = archiveKeys(site(reviews, [{ locale: 'en', count: 30 }, { locale: 'pl', count: 30 }]));
    const after = archiveKeys(site([...reviews, makeReview(60, 'pl'), makeReview(61, 'pl')], [{ locale: 'pl', count: 32 }, { locale: 'en', count: 30 }]));
    const changed = [...after].filter(([path, key]) => before.get(path) !== key).map(([path]) => path);
    // 62 reviews: pages 1 and 2 of all hold the same 48; page 3 gains two. Polish: page 2 gains two; English unchanged.
    expect(changed.sort()).toEqual(['/testimonials/lang/pl/page/2/', '/testimonials/page/3/']);
  });
});
