import { expect, test, type Page } from '@playwright/test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startApp, type RunningApp } from '../helpers/app.ts';

// README: the widget renders "inside a shadow root so neither page's styles leak into the
// other". Shadow roots stop selectors, not inheritance: colour, fonts, spacing and custom
// properties set on the host element flow in unless the widget resets them. The widget on a
// hostile page must look exactly as on a plain one, and the page must keep its own look.

const hostileCss = `
:root { --c: #ff0000; --b: #00ff00; --m: #ff00ff; --s: #00ffff; }
div { color: #bb0000; font-size: 20px; line-height: 3; font-family: serif; letter-spacing: 2px; word-spacing: 6px;
  text-transform: uppercase; text-align: right; font-style: italic; font-weight: 100; text-shadow: 1px 1px #ff0000;
  text-indent: 40px; white-space: nowrap; cursor: wait; --c: #ff0000; --m: #ff00ff; --s: #00ffff; }
[data-review-wall] { color: #00bb00 !important; font: italic 30px/4 monospace !important; --c: #ff0000 !important; }
ul, li, p, blockquote, a, img { color: #bb0000 !important; background: #ffff00 !important; margin: 40px !important; border: 5px solid red !important; }
`;

/** Computed styles of the widget's parts that show inherited or custom-property styling. */
async function widgetStyles(page: Page) {
  const host = page.locator('[data-review-wall]');
  await expect(host.getByRole('listitem').first()).toBeVisible();
  return host.evaluate((element) => {
    const root = element.shadowRoot!;
    const properties = ['color', 'font-size', 'font-family', 'line-height', 'letter-spacing', 'word-spacing', 'text-transform', 'text-align', 'font-style', 'font-weight', 'text-shadow', 'text-indent', 'white-space', 'cursor', 'background-color', 'border-top-color', 'border-top-width', 'margin-top'];
    const parts = { list: 'ul', card: 'li', author: 'li a', stars: 'li .s', quote: 'li blockquote', meta: 'li .m', about: 'p.m:not(li *)' };
    return Object.fromEntries(
      Object.entries(parts).map(([name, selector]) => {
        const part = root.querySelector(selector);
        if (!part) return [name, null];
        const style = getComputedStyle(part);
        return [name, Object.fromEntries(properties.map((property) => [property, style.getPropertyValue(property)]))];
      }),
    );
  });
}

let app: RunningApp;
let embedding: { url: string; close(): Promise<void> };

test.beforeAll(async () => {
  app = await startApp();
  const page = (css: string) => `<!doctype html><html lang="en"><head><title>Our customers</title><style>${css}</style></head>
<body><h1>Customer stories</h1><ul id="own"><li>Our own list</li></ul><p id="own-text">Our own paragraph</p>
<div data-review-wall></div><script src="${app.url}/widget.js" async></script></body></html>`;
  const server = createServer((request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(page(request.url === '/hostile' ? hostileCss : ''));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  embedding = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
});

test.afterAll(async () => {
  await embedding?.close();
  await app?.stop();
});

test("the host page's styles do not reach the widget", async ({ page }) => {
  await page.goto(`${embedding.url}/plain`);
  const plain = await widgetStyles(page);
  expect(plain.card).not.toBeNull();
  expect(plain.about).not.toBeNull();
  await page.goto(`${embedding.url}/hostile`);
  const hostile = await widgetStyles(page);
  expect(hostile).toEqual(plain);
});

test("the widget's styles do not reach the host page", async ({ page }) => {
  await page.goto(`${embedding.url}/plain`);
  await expect(page.locator('[data-review-wall]').getByRole('listitem').first()).toBeVisible();
  const own = await page.evaluate(() => {
    const list = getComputedStyle(document.querySelector('#own')!);
    const item = getComputedStyle(document.querySelector('#own li')!);
    const text = getComputedStyle(document.querySelector('#own-text')!);
    return { listDisplay: list.display, listStyle: list.listStyleType, itemBackground: item.backgroundColor, itemBorder: item.borderTopWidth, textMargin: text.marginTop, textColor: text.color };
  });
  expect(own).toEqual({ listDisplay: 'block', listStyle: 'disc', itemBackground: 'rgba(0, 0, 0, 0)', itemBorder: '0px', textMargin: '16px', textColor: 'rgb(0, 0, 0)' });
});
