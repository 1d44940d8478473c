#!/usr/bin/env node
// The embeddable widget: the size of /widget.js and its feeds as the site serves them (gzip, the
// bytes on the wire), and the layout shift it causes on a third-party page in Debian's Chromium,
// for each layout, measured with a PerformanceObserver('layout-shift') as Core Web Vitals count it.
import { chromium } from '@playwright/test';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { startApp } from '../test/helpers/app.ts';

const budgetBytes = 3 * 1024;
const chromePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The bytes a browser receives for `url` when it accepts gzip. */
function gzippedBytes(url: string): Promise<{ bytes: number; encoding: string | undefined }> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { 'Accept-Encoding': 'gzip' } }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.byteLength));
      response.on('end', () => resolve({ bytes, encoding: response.headers['content-encoding'] }));
    }).on('error', reject);
  });
}

const loadBefore = loadavg()[0]!;
const app = await startApp();
const host = createServer((request, response) => {
  const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
  const reserve = query.get('reserve') === '1' ? ' style="display:block!important;height:480px!important"' : '';
  response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  response.end(`<!doctype html><html lang="en"><head><title>Host</title>
<script>window.layoutShift = 0; new PerformanceObserver((list) => { for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.layoutShift += entry.value; }).observe({ type: 'layout-shift', buffered: true });</script>
</head><body><h1>Customer stories</h1><div data-review-wall data-layout="${query.get('layout')}"${reserve}></div><p>What follows the widget.</p>
<script src="${app.url}/widget.js" async></script></body></html>`);
});
await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
const hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
const browser = await chromium.launch({ executablePath: chromePath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
try {
  const sizes = {
    widget: await gzippedBytes(`${app.url}/widget.js`),
    feed: await gzippedBytes(`${app.url}/testimonials/featured.json`),
    languageFeed: await gzippedBytes(`${app.url}/testimonials/lang/pl/featured.json`),
  };
  const shifts: Record<string, { reserved: number; notReserved: number }> = {};
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  for (const layout of ['list', 'grid', 'carousel']) {
    const measure = async (reserve: boolean) => {
      await page.goto(`${hostUrl}/?layout=${layout}&reserve=${reserve ? 1 : 0}`);
      await page.locator('[data-review-wall]').getByRole('listitem').first().waitFor();
      await page.waitForTimeout(500);
      return page.evaluate(() => (window as unknown as { layoutShift: number }).layoutShift);
    };
    shifts[layout] = { reserved: await measure(true), notReserved: await measure(false) };
  }
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`;
  const met = sizes.widget.bytes < budgetBytes && Object.values(shifts).every((shift) => shift.reserved === 0);
  const figures = {
    name: 'widget',
    date: new Date().toISOString(),
    machine: { platform: process.platform, arch: process.arch, node: process.version, cpus: availableParallelism(), loadAverageBefore: loadBefore },
    gzipBytes: { widget: sizes.widget.bytes, feed: sizes.feed.bytes, languageFeed: sizes.languageFeed.bytes },
    contentEncoding: sizes.widget.encoding,
    layoutShift: shifts,
    target: { widgetGzipBytes: `< ${budgetBytes}`, layoutShift: 0 },
    met,
  };
  writeFileSync(join(import.meta.dirname, 'results', 'widget.json'), `${JSON.stringify(figures, null, 2)}\n`);
  const md = `## Widget

\`/widget.js\` and its feeds as \`npm start\` serves them with the demo data (gzip, bytes on the wire), and the cumulative layout shift on a third-party page in Chromium (PerformanceObserver \`layout-shift\`), with the snippet's reserved height and without it.

| measure | result | target |
| --- | --- | --- |
| \`/widget.js\`, gzip | ${kb(sizes.widget.bytes)} (${sizes.widget.bytes} bytes, \`${sizes.widget.encoding ?? 'identity'}\`) | < 3 KB: ${sizes.widget.bytes < budgetBytes ? 'met' : '**missed**'} |
| \`/testimonials/featured.json\` (labels in every language), gzip | ${kb(sizes.feed.bytes)} | — |
| \`/testimonials/lang/pl/featured.json\`, gzip | ${kb(sizes.languageFeed.bytes)} | — |
${Object.entries(shifts).map(([layout, shift]) => `| layout shift, ${layout}: space reserved / not | ${shift.reserved} / ${shift.notReserved.toFixed(3)} | 0 with the snippet: ${shift.reserved === 0 ? 'met' : '**missed**'} |`).join('\n')}
`;
  writeFileSync(join(import.meta.dirname, 'results', 'widget.md'), md);
  console.log(md);
  if (!met) process.exitCode = 1;
} finally {
  await browser.close();
  await new Promise((resolve) => host.close(resolve));
  await app.stop();
}
