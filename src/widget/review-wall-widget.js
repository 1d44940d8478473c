// Review Wall embed: <div data-review-wall></div><script src="https://REVIEWS-SITE/widget.js" async></script>
// No dependencies, no iframe. Styles live in a shadow root; review text is set with textContent only.
(() => {
  const script = document.currentScript;
  const feedUrl = new URL('testimonials/featured.json', (script && script.src) || location.href);
  // Inherited properties (colour, font, spacing, custom properties) cross a shadow root, and the
  // page's own rules for the host element beat :host ones: so the widget's styles sit on a
  // wrapper inside it that first resets everything it could inherit.
  const css = `:host{display:block}
.r{all:initial;display:block;direction:ltr;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;--c:#f6f7f9;--b:#d9dde3;--m:#595959;--s:#a34d04}
@media (prefers-color-scheme:dark){.r{color:#eceff3;--c:#1d2127;--b:#343a43;--m:#b3b9c2;--s:#f5b35b}}
ul{list-style:none;margin:0;padding:0;display:grid;gap:12px;grid-template-columns:repeat(auto-fill,minmax(min(100%,260px),1fr))}
li{background:var(--c);border:1px solid var(--b);border-radius:12px;padding:12px 16px;animation:f .4s ease-out}
@keyframes f{from{opacity:0;transform:translateY(4px)}}
@media (prefers-reduced-motion:reduce){li{animation:none}}
p{margin:4px 0}blockquote{margin:8px 0;white-space:pre-line;overflow-wrap:anywhere}
.s{color:var(--s);letter-spacing:.1em}.m{color:var(--m);font-size:13px}a{color:inherit}
.w{display:flex;gap:8px;align-items:center;font-weight:700}img{border-radius:50%}`;

  const make = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  };

  const card = (review) => {
    const item = make('li');
    const who = make('p', 'w');
    if (review.photo) {
      const photo = make('img');
      photo.src = review.photo['128'];
      photo.width = photo.height = 40;
      photo.alt = '';
      photo.loading = 'lazy';
      who.append(photo);
    }
    const link = make('a', null, review.author);
    link.href = review.url;
    who.append(link);
    const stars = make('p', 's', '★'.repeat(review.rating) + '☆'.repeat(5 - review.rating));
    stars.setAttribute('role', 'img');
    stars.setAttribute('aria-label', `Rated ${review.rating} out of 5`);
    const quote = make('blockquote', null, review.body);
    quote.lang = review.language;
    item.append(who, stars, quote);
    if (review.byline) item.append(make('p', 'm', review.byline));
    if (review.edited) item.append(make('p', 'm', review.edited));
    item.append(make('p', 'm', `${review.datePublished} · ${review.disclosure}`));
    return item;
  };

  const render = (host, feed) => {
    const root = host.shadowRoot || host.attachShadow({ mode: 'open' });
    const list = make('ul');
    list.setAttribute('aria-label', feed.collection === 'selected' ? 'Selected testimonials' : 'Reviews');
    list.append(...feed.reviews.map(card));
    const about = make('p', 'm');
    const how = make('a', null, 'How we collect reviews');
    how.href = feed.howWeCollect;
    const rating = feed.aggregateRating;
    about.append(rating ? `${rating.ratingValue} out of 5 from ${rating.reviewCount} reviews · ` : 'Selected testimonials · ', how);
    const wrapper = make('div', 'r');
    wrapper.append(list, about);
    root.replaceChildren(make('style', null, css), wrapper);
  };

  const start = () => {
    const hosts = document.querySelectorAll('[data-review-wall]');
    if (!hosts.length) return;
    fetch(feedUrl, { credentials: 'omit' })
      .then((response) => (response.ok ? response.json() : Promise.reject(new Error(`HTTP ${response.status}`))))
      .then((feed) => hosts.forEach((host) => render(host, feed)))
      .catch((error) => console.warn('Review wall widget:', error.message));
  };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
