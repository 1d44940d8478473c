// Review Wall embed (docs/publishing.md#embed-the-wall-on-another-website):
// <div data-review-wall style="display:block!important;height:480px!important"></div>
// <script src="https://REVIEWS-SITE/widget.js" async></script>
// Options, as data attributes on the container or the script tag (the container's win): data-lang,
// data-min, data-featured, data-layout (list | grid | carousel), data-theme (light | dark | auto).
// No dependencies, no iframe, no cookies. Styles live in a shadow root; review text is set with
// textContent only.
(() => {
  const script = document.currentScript;
  const base = (script && script.src) || location.href;
  const defaults = (script && script.dataset) || {};
  // The height the page reserved, so nothing moves when the reviews arrive; without one, these.
  const heights = { list: '480px', grid: '480px', carousel: '360px' };
  // The host element is the page's box: its margins and borders stay the page's, as laid out
  // before this script ran (changing them would move the page). Its height stays the reserved one
  // and nothing inside can overflow it (contain); !important from a shadow root beats the page's.
  // Everything the page could pass down (colour, font, spacing) is reset on .r.
  const css = `:host{display:block!important;contain:strict!important;height:var(--h)!important;transition:none!important;animation:none!important}
.r{all:initial;box-sizing:border-box;display:flex;flex-direction:column;gap:8px;height:100%;padding:12px;border-radius:12px;direction:ltr;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:light-dark(#1a1a1a,#eceff3);background:light-dark(#fff,#15181d);--c:light-dark(#f6f7f9,#1d2127);--b:light-dark(#d9dde3,#343a43);--m:light-dark(#595959,#b3b9c2);--s:light-dark(#a34d04,#f5b35b)}
*{box-sizing:border-box}h2{font-size:18px;margin:0}h3{font-size:15px;margin:0}
ul{list-style:none;margin:0;padding:2px;scroll-padding:2px;flex:1;min-height:0;overflow:auto;display:grid;gap:12px;align-content:start}
.grid ul{grid-template-columns:repeat(auto-fill,minmax(min(100%,260px),1fr))}
.carousel ul{display:flex;overflow-y:hidden;scroll-snap-type:x mandatory}
.carousel li{flex:0 0 min(85%,300px);scroll-snap-align:start;overflow:hidden}
@media (prefers-reduced-motion:no-preference){ul{scroll-behavior:smooth}}
li{background:var(--c);border:1px solid var(--b);border-radius:12px;padding:12px 16px}
p{margin:4px 0}blockquote{margin:8px 0;white-space:pre-line;overflow-wrap:anywhere;display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:4;overflow:hidden}
.s{color:var(--s);letter-spacing:.1em}.m{color:var(--m);font-size:13px}a{color:inherit}
a:focus-visible,button:focus-visible{outline:2px solid currentColor;outline-offset:2px}
.w{display:flex;gap:8px;align-items:center}img{border-radius:50%}.f{display:flex;gap:8px;align-items:center}
button{font:inherit;color:inherit;background:var(--c);border:1px solid var(--m);border-radius:8px;min-width:44px;min-height:44px;cursor:pointer}`;
  // A constructed sheet, which a page's Content-Security-Policy without 'unsafe-inline' styles
  // allows (it blocks <style> elements); a <style> where a browser has none.
  let sheet;
  try {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
  } catch {}
  const styled = (root, ...nodes) => {
    if (sheet && root.adoptedStyleSheets) root.adoptedStyleSheets = [sheet];
    else nodes.unshift(make('style', null, css));
    root.replaceChildren(...nodes);
  };
  const feeds = {};

  const make = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  };

  const card = (review, labels, lang) => {
    const item = make('li');
    const who = make('div', 'w');
    if (review.photo) {
      const photo = make('img');
      photo.src = review.photo['128'];
      photo.width = photo.height = 40;
      photo.alt = '';
      photo.loading = 'lazy';
      who.append(photo);
    }
    who.append(make('h3', null, review.author));
    const stars = make('p', 's', '★'.repeat(review.rating) + '☆'.repeat(5 - review.rating));
    stars.setAttribute('role', 'img');
    stars.setAttribute('aria-label', labels.rated.replace('{rating}', review.rating));
    const quote = make('blockquote', null, review.body);
    quote.lang = review.language;
    const more = make('a', null, labels.readMore);
    more.href = review.url;
    item.append(who, stars, quote, more);
    if (review.byline) item.append(make('p', 'm', review.byline));
    if (review.edited) item.append(make('p', 'm', review.edited));
    const date = make('time', null, new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(review.datePublished)));
    date.dateTime = review.datePublished;
    const meta = make('p', 'm');
    meta.append(date, ` · ${labels.offered.replace('{incentive}', review.incentive ?? labels.gift)}`);
    item.append(meta);
    return item;
  };

  const render = (host, root, options, feed) => {
    const featured = options.featured != null && options.featured !== 'false';
    const reviews = feed.reviews.filter((review) => !featured || review.featured);
    const count = featured ? feed.counts.featured : feed.counts.reviews;
    if (!reviews.length || count < (Number(options.min) || 0)) {
      // Nothing to show. Giving the space back moves what follows, so only while it is below the
      // screen, where nobody sees it move; otherwise the reserved space stays, empty.
      if (host.getBoundingClientRect().top >= innerHeight) host.style.setProperty('--h', '0px', 'important');
      return;
    }
    const languages = Object.keys(feed.labels);
    const reader = navigator.languages.map((tag) => tag.slice(0, 2).toLowerCase()).find((code) => feed.labels[code]);
    const lang = reader || languages[0];
    const labels = feed.labels[lang];
    const wrapper = make('div', `r ${options.layout}`);
    wrapper.lang = lang;
    wrapper.style.colorScheme = options.theme === 'auto' ? 'light dark' : options.theme;
    const heading = make('h2', null, labels.heading);
    heading.id = 'h';
    const list = make('ul');
    list.setAttribute('aria-labelledby', 'h');
    list.append(...reviews.map((review) => card(review, labels, lang)));
    const footer = make('div', 'f');
    if (options.layout === 'carousel') {
      [[labels.previous, '‹', -1], [labels.next, '›', 1]].forEach(([name, sign, direction]) => {
        const button = make('button', null, sign);
        button.type = 'button';
        button.setAttribute('aria-label', name);
        // One card at a time; smooth only when the reader allows motion (the CSS above).
        button.onclick = () => list.scrollBy({ left: direction * list.firstChild.offsetWidth });
        footer.append(button);
      });
    }
    const about = make('p', 'm', labels.average ? `${labels.average} · ` : '');
    const how = make('a', null, labels.howWeCollect);
    how.href = feed.howWeCollect;
    about.append(how);
    footer.append(about);
    wrapper.append(heading, list, footer);
    styled(root, wrapper);
  };

  const start = () => {
    document.querySelectorAll('[data-review-wall]').forEach((host) => {
      const options = { ...defaults, ...host.dataset };
      if (!heights[options.layout]) options.layout = 'list';
      if (!/^(light|dark)$/.test(options.theme)) options.theme = 'auto';
      const lang = /^[a-z]{2}$/.test(options.lang) ? options.lang : '';
      const reserved = host.style.height;
      const root = host.shadowRoot || host.attachShadow({ mode: 'open' });
      // Keep the height the page reserved before anything is fetched.
      host.style.setProperty('--h', /^\d+(\.\d+)?(px|r?em)$/.test(reserved) ? reserved : heights[options.layout], 'important');
      styled(root);
      const url = new URL(lang ? `testimonials/lang/${lang}/featured.json` : 'testimonials/featured.json', base);
      (feeds[url] ||= fetch(url, { credentials: 'omit' }).then((response) => (response.ok ? response.json() : Promise.reject(new Error(`HTTP ${response.status}`)))))
        .then((feed) => render(host, root, options, feed))
        .catch((error) => {
          console.warn('Review wall widget:', error.message);
          render(host, root, options, { reviews: [], counts: {} });
        });
    });
  };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
