import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startApp, type RunningApp } from '../helpers/app.ts';

// Each widget option on a third-party page (another origin, with a hostile stylesheet), in
// Chromium: what it shows, that nothing on the page moves while it loads (layout shift 0, as a
// PerformanceObserver sees it), and that the page's styles stay outside its shadow root. The demo
// publishes five reviews (en featured, pl, ru, lv, bg), all from promoters-only invitations.

const hostileCss = `
* { color: red !important; font-size: 40px !important; display: inline !important; margin: 30px !important; padding: 20px !important;
  line-height: 3 !important; font-family: serif !important; background: yellow !important; border: 4px dashed red !important;
  scroll-behavior: smooth !important; animation: none; transition: all 3s !important; --h: 0px !important; }
head, script, style, title { display: none !important; }
div { color: #bb0000 !important; height: 10px !important; overflow: visible !important; letter-spacing: 5px !important; }
[data-review-wall] { font: italic 30px/4 monospace !important; height: 5px !important; --c: #ff0000 !important; --m: #ff00ff !important; }
ul, li, p, h2, h3, blockquote, a, img, button, time { color: #bb0000 !important; display: inline !important; list-style: square !important; }
`;

const reservedHeight = 480;

interface HostPage {
  /** Attributes for the container, e.g. 'data-lang="pl"'. */
  attributes?: string;
  hostile?: boolean;
  /** Put the widget below the first screen. */
  belowTheFold?: boolean;
  /** Attributes for the script tag. */
  scriptAttributes?: string;
  /** Leave the height out of the snippet. */
  unreserved?: boolean;
  /** Serve the page with a Content-Security-Policy that allows no inline styles. */
  csp?: boolean;
}

let app: RunningApp;
let host: { url: string; close(): Promise<void> };

test.beforeAll(async () => {
  app = await startApp();
  const server = createServer((request, response) => {
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
    const page = `<!doctype html><html lang="en"><head><title>Our customers</title>
<script>window.layoutShift = 0; new PerformanceObserver((list) => { for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.layoutShift += entry.value; }).observe({ type: 'layout-shift', buffered: true });</script>
<style>${query.get('hostile') ? hostileCss : ''}</style></head>
<body><h1>Customer stories</h1>${query.get('below') ? '<section style="display:block!important;height:3000px!important">Lots to read first</section>' : ''}
<div data-review-wall ${query.get('attributes') ?? ''}${query.get('unreserved') ? '' : ` style="display:block!important;height:${reservedHeight}px!important"`}></div>
<p id="after">What follows the widget</p>
<script src="${app.url}/widget.js" ${query.get('scriptAttributes') ?? ''} async></script></body></html>`;
    // A strict policy, as careful sites set: no inline styles at all, scripts by nonce or from us.
    const csp = query.get('csp')
      ? { 'Content-Security-Policy': `default-src 'none'; script-src 'nonce-host' ${app.url}; style-src 'self'; connect-src ${app.url}; img-src ${app.url}` }
      : {};
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...csp });
    // Such a page reserves the widget's height in its own stylesheet, and has no inline styles.
    const strict = () => page.replaceAll('<script>', '<script nonce="host">').replace(/<style>.*?<\/style>/s, '').replace(/ style="[^"]*"/g, '');
    response.end(query.get('csp') ? strict() : page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
});

test.afterAll(async () => {
  await host?.close();
  await app?.stop();
});

/** Opens the host page; with `expectReviews`, waits for the widget's cards. */
async function openHostPage(page: Page, options: HostPage = {}, expectReviews = true) {
  const query = new URLSearchParams({ attributes: options.attributes ?? '' });
  if (options.hostile !== false) query.set('hostile', '1');
  if (options.belowTheFold) query.set('below', '1');
  if (options.scriptAttributes) query.set('scriptAttributes', options.scriptAttributes);
  if (options.unreserved) query.set('unreserved', '1');
  if (options.csp) query.set('csp', '1');
  const feedAnswered = page.waitForResponse((response) => response.url().startsWith(app.url) && response.url().endsWith('.json'));
  await page.goto(`${host.url}/?${query}`);
  await feedAnswered;
  const widget = page.locator('[data-review-wall]');
  if (expectReviews) await expect(widget.getByRole('listitem').first()).toBeVisible();
  return widget;
}

/** What the reader sees of the widget, read inside its shadow root. */
function readWidget(page: Page) {
  return page.locator('[data-review-wall]').evaluate((element) => {
    const root = element.shadowRoot!;
    const cards = [...root.querySelectorAll('li')];
    return {
      heading: root.querySelector('h2')?.textContent ?? null,
      authors: cards.map((card) => card.querySelector('h3')!.textContent),
      languages: cards.map((card) => card.querySelector('blockquote')!.lang),
      featured: cards.length,
      readMore: cards.map((card) => card.querySelector('a')!.textContent),
      stars: cards.map((card) => card.querySelector('[role="img"]')!.getAttribute('aria-label')),
      dates: cards.map((card) => ({ text: card.querySelector('time')!.textContent, dateTime: card.querySelector('time')!.dateTime })),
      // The last line of a card: its date and the incentive disclosure.
      disclosures: cards.map((card) => card.lastElementChild!.textContent!.split(' · ')[1] ?? ''),
      honesty: root.querySelector('.f a')?.textContent ?? null,
      honestyHref: root.querySelector<HTMLAnchorElement>('.f a')?.href ?? null,
      lang: root.querySelector<HTMLElement>('.r')?.lang ?? null,
    };
  });
}

/** Layout shift so far, and the widget's box: the reserved height, kept. */
async function expectNothingMoved(page: Page, height = reservedHeight) {
  // Two frames, so any shift from the last change is reported.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  expect(await page.evaluate(() => (window as unknown as { layoutShift: number }).layoutShift)).toBe(0);
  expect(await page.locator('[data-review-wall]').evaluate((element) => getComputedStyle(element).height)).toBe(`${height}px`);
}

/** The hostile page's rules stay outside: computed styles inside the shadow root are the widget's own. */
async function expectIsolated(page: Page) {
  const styles = await page.locator('[data-review-wall]').evaluate((element) => {
    const root = element.shadowRoot!;
    const style = (selector: string) => {
      const computed = getComputedStyle(root.querySelector(selector)!);
      return { color: computed.color, fontSize: computed.fontSize, display: computed.display, margin: computed.marginTop, fontFamily: computed.fontFamily, background: computed.backgroundColor };
    };
    return { card: style('li'), list: style('ul'), author: style('h3'), quote: style('blockquote'), link: style('li a') };
  });
  for (const [name, part] of Object.entries(styles)) {
    expect(part.color).not.toMatch(/^rgb\((255, 0, 0|187, 0, 0)\)$/);
    expect(part.fontSize).not.toBe('40px');
    // A link is inline by nature; the rest are blocks the page tries to make inline.
    if (name !== 'link') expect(part.display).not.toBe('inline');
    expect(part.margin).not.toBe('30px');
    expect(part.fontFamily).not.toBe('serif');
    expect(part.background).not.toBe('rgb(255, 255, 0)');
  }
  expect(styles.card.display).toBe('list-item');
  expect(styles.quote.fontSize).toBe('15px');
}

/** A date as the reader's language writes it. */
const longDate = (locale: string, isoDate: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(isoDate));

test.describe('in the reader’s language', () => {
  test.use({ locale: 'en-US' });

  test('with no options: every language, labels, dates and the honesty note in English, as a list', async ({ page }) => {
    await openHostPage(page);
    const widget = await readWidget(page);
    expect(widget.heading).toBe('Selected testimonials');
    expect(new Set(widget.languages)).toEqual(new Set(['en', 'pl', 'ru', 'lv', 'bg']));
    expect(widget.readMore.every((text) => text === 'Read more')).toBe(true);
    expect(widget.stars[0]).toBe('Rated 5 out of 5');
    for (const date of widget.dates) expect(date.text).toBe(longDate('en', date.dateTime));
    for (const disclosure of widget.disclosures) expect(disclosure).toMatch(/^Offered .+ for writing an honest review, regardless of rating\.$/);
    // The honest name and the link the wall shows; no average over promoters' reviews.
    expect(widget.honesty).toBe('How we collect reviews');
    expect(widget.honestyHref).toBe(`${app.url}/how-we-collect-reviews/`);
    await expectNothingMoved(page);
    await expectIsolated(page);
  });
});

test.describe('a Ukrainian reader', () => {
  test.use({ locale: 'uk-UA' });

  test('gets labels and dates in Ukrainian, over reviews in every language', async ({ page }) => {
    await openHostPage(page);
    const widget = await readWidget(page);
    expect(widget.lang).toBe('uk');
    expect(widget.heading).toBe('Вибрані відгуки');
    expect(widget.readMore[0]).toBe('Читати далі');
    expect(widget.stars[0]).toBe('Оцінка: 5 з 5');
    expect(widget.honesty).toBe('Як ми збираємо відгуки');
    expect(widget.languages).toHaveLength(5);
    for (const date of widget.dates) expect(date.text).toBe(longDate('uk', date.dateTime));
    // The disclosure too, naming what each invitation promised.
    for (const disclosure of widget.disclosures) expect(disclosure).toMatch(/^За чесний відгук запропоновано: .+, незалежно від оцінки\.$/);
    await expectNothingMoved(page);
    await expectIsolated(page);
  });
});

test('data-lang: only reviews in that language, with labels and dates in it, whatever the reader’s language', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (request) => request.url().startsWith(app.url) && requests.push(new URL(request.url()).pathname + new URL(request.url()).search));
  await openHostPage(page, { attributes: 'data-lang="pl"' });
  const widget = await readWidget(page);
  expect(widget.languages).toEqual(['pl']);
  expect(widget.heading).toBe('Wybrane opinie');
  expect(widget.readMore).toEqual(['Czytaj dalej']);
  expect(widget.disclosures[0]).toMatch(/^Za napisanie szczerej opinii zaoferowano: .+, niezależnie od oceny\.$/);
  expect(widget.dates[0]!.text).toBe(longDate('pl', widget.dates[0]!.dateTime));
  expect(widget.dates[0]!.text).toMatch(/\d{4}/);
  // One of the fixed, cacheable feed files: nothing about the visitor in the URL.
  expect(requests).toEqual(['/widget.js', '/testimonials/lang/pl/featured.json']);
  await expectNothingMoved(page);
  await expectIsolated(page);
});

test('data-featured: featured testimonials only', async ({ page }) => {
  await openHostPage(page, { attributes: 'data-featured' });
  expect((await readWidget(page)).authors).toEqual(['Aisha Bello']);
  await expectNothingMoved(page);
  await expectIsolated(page);
});

test('data-min: shows the reviews when there are at least that many', async ({ page }) => {
  await openHostPage(page, { attributes: 'data-min="5"' });
  expect((await readWidget(page)).authors).toHaveLength(5);
  await expectNothingMoved(page);
});

test('data-min: with fewer reviews, shows nothing and moves nothing (the space stays while in view)', async ({ page }) => {
  await openHostPage(page, { attributes: 'data-min="6"' }, false);
  // Give the widget time to render, were it going to.
  await page.waitForTimeout(500);
  expect(await page.locator('[data-review-wall]').evaluate((element) => element.shadowRoot?.querySelector('li, h2') ?? null)).toBeNull();
  await expectNothingMoved(page, reservedHeight);

  await openHostPage(page, { attributes: 'data-featured data-min="2"' }, false);
  await page.waitForTimeout(500);
  expect(await page.locator('[data-review-wall]').evaluate((element) => element.shadowRoot?.querySelector('li') ?? null)).toBeNull();
});

test('data-min: with fewer reviews below the first screen, gives the space back unseen', async ({ page }) => {
  await openHostPage(page, { attributes: 'data-min="6"', belowTheFold: true }, false);
  await expect.poll(() => page.locator('[data-review-wall]').evaluate((element) => getComputedStyle(element).height)).toBe('0px');
  expect(await page.evaluate(() => (window as unknown as { layoutShift: number }).layoutShift)).toBe(0);
});

test('data-layout="list": one card under another', async ({ page }) => {
  await page.setViewportSize({ width: 1200, height: 800 });
  await openHostPage(page, { attributes: 'data-layout="list"' });
  const lefts = await page.locator('[data-review-wall]').evaluate((element) => [...element.shadowRoot!.querySelectorAll('li')].map((card) => card.getBoundingClientRect().left));
  expect(new Set(lefts).size).toBe(1);
  await expectNothingMoved(page);
  await expectIsolated(page);
});

test('data-layout="grid": cards side by side in columns', async ({ page }) => {
  await page.setViewportSize({ width: 1200, height: 800 });
  await openHostPage(page, { attributes: 'data-layout="grid"' });
  const lefts = await page.locator('[data-review-wall]').evaluate((element) => [...element.shadowRoot!.querySelectorAll('li')].map((card) => card.getBoundingClientRect().left));
  expect(new Set(lefts).size).toBeGreaterThan(1);
  await expectNothingMoved(page);
  await expectIsolated(page);
});

/** The carousel's track and what its buttons do. */
function carouselState(page: Page) {
  return page.locator('[data-review-wall]').evaluate((element) => {
    const list = element.shadowRoot!.querySelector('ul')!;
    const cards = [...list.querySelectorAll('li')];
    return {
      snap: getComputedStyle(list).scrollSnapType,
      scrollBehavior: getComputedStyle(list).scrollBehavior,
      tops: new Set(cards.map((card) => card.getBoundingClientRect().top)).size,
      scrollLeft: list.scrollLeft,
    };
  });
}

test('data-layout="carousel": one row that snaps, moved only by its named buttons', async ({ page }) => {
  await page.setViewportSize({ width: 800, height: 800 });
  await openHostPage(page, { attributes: 'data-layout="carousel"' });
  const state = await carouselState(page);
  expect(state.snap).toBe('x mandatory');
  expect(state.tops).toBe(1);
  expect(state.scrollBehavior).toBe('smooth');
  // No auto-advance: left alone, it stays where it is.
  await page.waitForTimeout(2000);
  expect((await carouselState(page)).scrollLeft).toBe(0);
  const widget = page.locator('[data-review-wall]');
  await widget.getByRole('button', { name: 'Next reviews' }).click();
  await expect.poll(async () => (await carouselState(page)).scrollLeft).toBeGreaterThan(0);
  await widget.getByRole('button', { name: 'Previous reviews' }).click();
  await expect.poll(async () => (await carouselState(page)).scrollLeft).toBe(0);
  // Visible focus on the buttons.
  await widget.getByRole('button', { name: 'Next reviews' }).focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  const outline = await widget.evaluate((element) => getComputedStyle(element.shadowRoot!.activeElement!).outlineStyle);
  expect(outline).toBe('solid');
  await expectNothingMoved(page);
  await expectIsolated(page);
});

test('data-layout="carousel" under prefers-reduced-motion: jumps without scrolling motion', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.setViewportSize({ width: 800, height: 800 });
  await openHostPage(page, { attributes: 'data-layout="carousel"' });
  expect((await carouselState(page)).scrollBehavior).toBe('auto');
  // Read at once after the click: a smooth scroll would not have moved yet.
  const moved = await page.locator('[data-review-wall]').evaluate((element) => {
    const root = element.shadowRoot!;
    root.querySelectorAll('button')[1]!.click();
    return root.querySelector('ul')!.scrollLeft;
  });
  expect(moved).toBeGreaterThan(0);
  await expectNothingMoved(page);
});

/** The widget's background, text colour and card colour. */
function colours(page: Page) {
  return page.locator('[data-review-wall]').evaluate((element) => {
    const root = element.shadowRoot!;
    return { background: getComputedStyle(root.querySelector('.r')!).backgroundColor, text: getComputedStyle(root.querySelector('h3')!).color };
  });
}

const light = { background: 'rgb(255, 255, 255)', text: 'rgb(26, 26, 26)' };
const dark = { background: 'rgb(21, 24, 29)', text: 'rgb(236, 239, 243)' };

test('data-theme: light and dark whatever the reader’s setting, auto follows it', async ({ page }) => {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await openHostPage(page, { attributes: 'data-theme="light"' });
    expect(await colours(page)).toEqual(light);
    await expectNothingMoved(page);
    await openHostPage(page, { attributes: 'data-theme="dark"' });
    expect(await colours(page)).toEqual(dark);
    await openHostPage(page, { attributes: 'data-theme="auto"' });
    expect(await colours(page)).toEqual(scheme === 'dark' ? dark : light);
    await expectIsolated(page);
  }
});

test('the widget passes axe in every layout and theme (axe reads open shadow roots)', async ({ page }) => {
  await page.setViewportSize({ width: 1000, height: 800 });
  for (const layout of ['list', 'grid', 'carousel']) {
    for (const theme of ['light', 'dark']) {
      await openHostPage(page, { attributes: `data-layout="${layout}" data-theme="${theme}"`, hostile: false });
      const results = await new AxeBuilder({ page }).include('[data-review-wall]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
      expect(results.violations.map((violation) => `${layout}/${theme}: ${violation.id} ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);
      // List semantics and headings, as a screen reader meets them.
      await expect(page.locator('[data-review-wall]').getByRole('list')).toHaveCount(1);
      await expect(page.locator('[data-review-wall]').getByRole('heading', { level: 2 })).toHaveCount(1);
      await expect(page.locator('[data-review-wall]').getByRole('heading', { level: 3 })).toHaveCount(5);
    }
  }
});

test('the feeds stay cacheable and readable from any origin', async ({ request }) => {
  for (const path of ['/widget.js', '/testimonials/featured.json', '/testimonials/lang/pl/featured.json']) {
    const first = await request.get(`${app.url}${path}`);
    expect(first.status(), path).toBe(200);
    expect(first.headers()['cache-control'], path).toBe('public, max-age=0, must-revalidate');
    expect(first.headers()['access-control-allow-origin'], path).toBe('*');
    const etag = first.headers()['etag'];
    expect(etag, path).toBeTruthy();
    const again = await request.get(`${app.url}${path}`, { headers: { 'If-None-Match': etag! } });
    expect(again.status(), path).toBe(304);
  }
});

test('options on the script tag apply to every container, and a container’s own win', async ({ page }) => {
  await openHostPage(page, { scriptAttributes: 'data-lang="ru" data-theme="dark"', attributes: 'data-theme="light"' });
  const widget = await readWidget(page);
  expect(widget.languages).toEqual(['ru']);
  expect(widget.readMore).toEqual(['Читать дальше']);
  expect(await colours(page)).toEqual(light);
  await expectNothingMoved(page);
});

test('the layout-shift measure sees a shift when the snippet reserves no space', async ({ page }) => {
  // Why the snippet carries a height: without it the page below moves when the widget appears.
  await openHostPage(page, { unreserved: true, hostile: false });
  // The widget fetches its feed first: wait for the shift its late content causes, not a fixed two frames.
  await expect.poll(() => page.evaluate(() => (window as unknown as { layoutShift: number }).layoutShift)).toBeGreaterThan(0);
});

test('a host page whose Content-Security-Policy forbids inline styles still gets the styled widget', async ({ page }) => {
  const refused: string[] = [];
  page.on('console', (message) => /Content Security Policy|Refused/i.test(message.text()) && refused.push(message.text()));
  await openHostPage(page, { csp: true, hostile: false });
  const styles = await page.locator('[data-review-wall]').evaluate((element) => {
    const root = element.shadowRoot!;
    return {
      quote: getComputedStyle(root.querySelector('blockquote')!).fontSize,
      list: getComputedStyle(root.querySelector('ul')!).listStyleType,
      styleElements: root.querySelectorAll('style').length,
      sheets: root.adoptedStyleSheets.length,
    };
  });
  expect(styles).toEqual({ quote: '15px', list: 'none', styleElements: 0, sheets: 1 });
  // Nothing was refused: before, the policy blocked the widget's <style> and left it unstyled.
  expect(refused).toEqual([]);
});
