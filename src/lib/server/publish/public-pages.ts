import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { collectionWords, type CollectionWords } from '../../publish/collection.ts';
import { archivePages, frontPage, listingBase, listingPagePath, photoPath, photoWidths, testimonialPath, widgetFeedPath, type FrontPage, type ListPage } from '../../publish/review-presentation.ts';
import { resolveStoredPhoto } from './public-photos.ts';
import type { PublicReview } from './public-reviews.ts';
import type { PublicSite } from './public-site.ts';

/**
 * What a page about one review may show besides the review itself: everything the site knows
 * except the set of reviews and what is counted from it. Whatever else PublicSite gains is in
 * here, so it counts towards these pages' keys unless it is taken out on purpose.
 */
export type SiteContext = Omit<PublicSite, 'reviews' | 'newest' | 'languages' | 'ratings' | 'collection'>;

/** Every public page of a build, with exactly what it is rendered from (its props). */
export type PublicPage =
  | { route: 'wall'; path: string; props: { site: PublicSite } }
  | { route: 'how-we-collect'; path: string; props: { site: PublicSite } }
  /** A listing's first page (`/testimonials/`, `/testimonials/lang/pl/`): changes with every review. */
  | { route: 'listing'; path: string; props: { site: PublicSite; front: FrontPage<PublicReview>; locale: string | null } }
  /** A listing's archive page: only what stays the same as newer reviews are added. */
  | { route: 'archive'; path: string; props: { site: SiteContext; page: ListPage<PublicReview>; locale: string | null; languages: string[]; words: CollectionWords } }
  | { route: 'testimonial'; path: string; props: { site: SiteContext; review: PublicReview; former: boolean } }
  | { route: 'feed'; path: string; props: { site: PublicSite } }
  /** The widget's feed of every language (locale null), or of one. */
  | { route: 'widget-feed'; path: string; props: { site: PublicSite; locale: string | null } }
  | { route: 'sitemap'; path: string; props: { site: PublicSite } }
  | { route: 'widget'; path: string; props: Record<string, never> }
  | { route: 'photo'; path: string; props: { file: string; width: number; stored: { size: number; modified: number } } };

/** The route names of PublicPage. */
export type PublicRoute = PublicPage['route'];

/** The props of each route. */
type PropsByRoute = { [Page in PublicPage as Page['route']]: Page['props'] };

/** The props of one route. */
export type PublicPageProps<R extends PublicRoute> = PropsByRoute[R];

/**
 * Every page a publish writes, in a stable order: the wall, the lists, each testimonial, the
 * feeds, the widget, the sitemap and the photos. `uploadDir` is where stored photos live.
 */
export function planPublicPages(site: PublicSite, uploadDir: string): PublicPage[] {
  // The ratings and the collection change with the set of reviews, and one review's page shows neither.
  const { reviews, newest, languages, ratings: _ratings, collection: _collection, ...context } = site;
  const words = collectionWords(site.collection);
  const locales = languages.map(({ locale }) => locale);
  // In a fixed order on archive pages: by count, as the first pages list them, would change them all when two languages swap places.
  const archiveLanguages = locales.toSorted();
  const pages: PublicPage[] = [
    { route: 'wall', path: '/', props: { site } },
    { route: 'how-we-collect', path: '/how-we-collect-reviews/', props: { site } },
  ];
  for (const locale of [null, ...locales]) {
    const listed = locale === null ? newest : newest.filter((review) => review.locale === locale);
    const base = listingBase(locale);
    pages.push({ route: 'listing', path: base, props: { site, front: frontPage(listed), locale } });
    for (const page of archivePages(listed)) {
      pages.push({ route: 'archive', path: listingPagePath(base, page.page), props: { site: context, page, locale, languages: archiveLanguages, words } });
    }
  }
  for (const review of reviews) pages.push({ route: 'testimonial', path: testimonialPath(review.id), props: { site: context, review, former: false } });
  // A redirect page at the old numeric address of each review published before public ids (src/lib/publish/former-urls.ts).
  for (const review of reviews) {
    if (review.formerId !== null) pages.push({ route: 'testimonial', path: testimonialPath(String(review.formerId)), props: { site: context, review, former: true } });
  }
  pages.push(
    { route: 'feed', path: '/testimonials.json', props: { site } },
    { route: 'widget-feed', path: '/testimonials/featured.json', props: { site, locale: null } },
    // One widget feed per published language, for data-lang (see src/widget/review-wall-widget.js).
    ...languages.map(({ locale }) => ({ route: 'widget-feed' as const, path: widgetFeedPath(locale), props: { site, locale } })),
    { route: 'widget', path: '/widget.js', props: {} },
    { route: 'sitemap', path: '/sitemap.xml', props: { site } },
  );
  for (const review of reviews) {
    const file = resolveStoredPhoto(uploadDir, review.photoPath);
    if (!file) continue;
    // The stored file's size and time stand for its content: a replaced photo is published again.
    const stats = statSync(file);
    const stored = { size: stats.size, modified: stats.mtimeMs };
    for (const width of photoWidths) pages.push({ route: 'photo', path: photoPath(review.id, width), props: { file, width, stored } });
  }
  return pages;
}

/** JSON with Maps, Sets and bigints spelled out, so a key sees every value a page could show. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_name, item: unknown) => {
    if (item instanceof Map) return { Map: [...item.entries()] };
    if (item instanceof Set) return { Set: [...item] };
    if (typeof item === 'bigint') return `${item}n`;
    return item;
  }) ?? 'undefined';
}

/** Whether JSON.stringify alone spells `value` out fully: an object or array of primitives and dates. */
function isFlatData(value: object): boolean {
  for (const item of Object.values(value)) {
    if (item !== null && typeof item === 'object' ? !(item instanceof Date) : typeof item === 'bigint') return false;
  }
  return true;
}

/**
 * Keys of page inputs: equal keys mean equal props, so (with the same code) the same file. Every
 * object is hashed once per publish, by identity, from its members' hashes: the site shared by all
 * pages, and a review on its own page and in two lists, cost one hash each. A flat object (a
 * review) is spelled out by JSON.stringify alone: stableJson's replacer made hashing most of an
 * approval's planning time.
 */
export function pageKeys(): (page: PublicPage) => string {
  const shared = new WeakMap<object, string>();
  const digest = (value: unknown): string => {
    if (value === null || typeof value !== 'object') return stableJson(value);
    let known = shared.get(value);
    if (known) return known;
    let text: string;
    if (value instanceof Map || value instanceof Set || typeof (value as { toJSON?: unknown }).toJSON === 'function') text = stableJson(value);
    else if (isFlatData(value)) text = JSON.stringify(value);
    else if (Array.isArray(value)) text = `[${value.map(digest).join(',')}]`;
    else text = `{${Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}:${digest(item)}`).join(',')}}`;
    known = createHash('sha256').update(text).digest('base64url');
    shared.set(value, known);
    return known;
  };
  return (page) => {
    const hash = createHash('sha256').update(`${page.route}\n${page.path}\n`);
    for (const [name, value] of Object.entries(page.props)) hash.update(`${name}=${digest(value)}\n`);
    return hash.digest('base64url');
  };
}

/** A page's props when the publish renders it, or null for a visitor's request (see publicPageProps). */
interface RenderContext {
  locals: object;
  url: URL;
}

/**
 * The props of the page being published, read from the render request's locals. Null when a
 * visitor asks the server for a public URL that has no file (a review not published, or erased):
 * the page then answers 404, so on-demand rendering can never show what a publish left out.
 */
export function publicPageProps<R extends PublicRoute>(astro: RenderContext, route: R): PublicPageProps<R> | null {
  const page = (astro.locals as { publicPage?: PublicPage }).publicPage;
  if (!page || page.route !== route || page.path !== astro.url.pathname) return null;
  return page.props as PropsByRoute[R];
}

/** The answer of a public route outside a publish. */
export function notPublished(): Response {
  return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}
