#!/usr/bin/env node
// Publishing at scale: 10,000 approved reviews in a file database are published with the real
// publishSite() (astro build + precompression + atomic swap). Then: the wall's transferred size,
// the widget's size, and static page requests/s from our site server compared, in the same run,
// with a plain sirv static server over the same files (each server in its own process).
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openDatabase } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { publishSite, readPointer, siteLayout } from '../src/lib/server/publish/publish.ts';
import { projectRoot } from '../test/helpers/app.ts';
import { seedReviews, writeStoredPhoto, type SeedReview } from '../test/helpers/reviews.ts';
import { freePort } from '../test/helpers/sqld.ts';

const reviewCount = Number(process.env.BENCH_PUBLISH_REVIEWS ?? 10_000);
const photoCount = Math.min(200, Math.floor(reviewCount / 50));
const seconds = Number(process.env.BENCH_PUBLISH_SECONDS ?? 8);
const targets = { publishSeconds: 60, wallGzipBytes: 14 * 1024, wallJavaScriptBytes: 0, widgetGzipBytes: 3 * 1024 };

// A server for the comparison runs in its own process: `--serve site|plain DIR PORT`.
if (process.argv[2] === '--serve') {
  const [, , , kind, directory, port] = process.argv;
  if (kind === 'site') {
    const { startSiteServer } = await import('../src/lib/server/publish/site-server.ts');
    await startSiteServer({ siteDir: directory!, host: '127.0.0.1', port: Number(port) });
  } else {
    const { createServer } = await import('node:http');
    const { default: sirv } = await import('sirv');
    const serve = sirv(directory!, { gzip: true, brotli: true, extensions: ['html'] });
    await new Promise<void>((resolve) => createServer((request, response) => serve(request, response, () => void response.writeHead(404).end())).listen(Number(port), '127.0.0.1', resolve));
  }
  console.log('ready');
  await new Promise(() => {});
}

const locales = ['en', 'pl', 'ru', 'uk', 'lv', 'bg'];
const sentences = [
  'The support team answered within five minutes and explained exactly what had gone wrong.',
  'We moved our whole inbox over in an afternoon, and first-reply time halved in the first month.',
  'Setting up the automations took a while, but the documentation is clear and the result is worth it.',
  'Reports could be more flexible; everything else works the way a small team needs it to.',
  'Friendly people, quick answers, and the mobile app finally keeps up with the desktop one.',
];

function serve(kind: 'site' | 'plain', directory: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [import.meta.filename, '--serve', kind, directory, String(port)], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
}

async function requestsPerSecond(url: string): Promise<{ requestsPerSecond: number; p99Ms: number; errors: number; non2xx: number }> {
  const options = { url, connections: 20, pipelining: 1, headers: { 'accept-encoding': 'br, gzip' } };
  await autocannon({ ...options, duration: 1 });
  const result = await autocannon({ ...options, duration: seconds });
  return { requestsPerSecond: Math.round(result.requests.average), p99Ms: result.latency.p99, errors: result.errors, non2xx: result.non2xx };
}

const directory = mkdtempSync(join(tmpdir(), 'review-wall-bench-publish-'));
const children: ChildProcess[] = [];
try {
  const url = `file:${join(directory, 'bench.db')}`;
  const uploadDir = join(directory, 'uploads');
  const siteDir = join(directory, 'site');
  const db = await openDatabase({ url });
  await migrateDatabase(db);

  console.log(`Seeding ${reviewCount} approved reviews (photos from ${photoCount} stored files)…`);
  const photos = await Promise.all(Array.from({ length: photoCount }, (_, index) => writeStoredPhoto(uploadDir, `#${(0x204060 + index * 997).toString(16).slice(-6)}`)));
  const items: SeedReview[] = Array.from({ length: reviewCount }, (_, index) => ({
    name: `Customer ${index} Example`,
    rating: [5, 5, 4, 5, 3, 4, 5, 2, 5, 4][index % 10]!,
    locale: locales[index % locales.length]!,
    nameDisplay: (['full', 'first_initial', 'anonymous'] as const)[index % 3]!,
    role: index % 4 === 0 ? 'Head of Support' : null,
    company: index % 5 === 0 ? `Company ${index}` : null,
    featured: index % 1000 === 0,
    redacted: index % 97 === 0,
    photoPath: index % 3 !== 2 && index < photoCount * 3 ? (photos[index % photoCount] ?? null) : null,
    body: `${sentences[index % sentences.length]} ${sentences[(index * 7 + 3) % sentences.length]}`,
    submittedAt: new Date(Date.UTC(2024, 0, 1) + index * 3_600_000),
  }));
  await seedReviews(db, items, 1000);

  console.log('Publishing…');
  const env = { ...process.env, DATABASE_URL: url, UPLOAD_DIR: uploadDir, SITE_DIR: siteDir, SITE_URL: 'https://reviews.example.com' };
  const result = await publishSite({ db, siteDir, startedBy: 'bench', env, projectRoot });
  if (result.status !== 'succeeded') throw new Error(`publish ${result.status}: ${'error' in result ? result.error : ''}`);
  const publishSeconds = result.durationMs / 1000;
  const client = join((await readPointer(siteLayout(siteDir).current))!, 'client');
  console.log(`Published ${result.reviewCount} reviews in ${publishSeconds.toFixed(1)} s.`);

  const wallHtml = readFileSync(join(client, 'index.html'));
  const wallText = wallHtml.toString('utf8');
  const wallGzipBytes = gzipSync(wallHtml, { level: 9 }).byteLength;
  const wallBrotliBytes = readFileSync(join(client, 'index.html.br')).byteLength;
  const wallJavaScriptBytes = [...wallText.matchAll(/<script(?![^>]*application\/ld\+json)[^>]*>([\s\S]*?)<\/script>/g)].reduce((sum, match) => sum + match[0].length, 0);
  const externalStylesheets = (wallText.match(/<link[^>]+rel="stylesheet"/g) ?? []).length;
  const widget = readFileSync(join(client, 'widget.js'));
  const widgetGzipBytes = gzipSync(widget, { level: 9 }).byteLength;
  const feedGzipBytes = readFileSync(join(client, 'testimonials.json.gz')).byteLength;
  const widgetFeedGzipBytes = gzipSync(readFileSync(join(client, 'testimonials', 'featured.json')), { level: 9 }).byteLength;

  const sitePort = await freePort();
  children.push(await serve('site', siteDir, sitePort));
  const plainPort = await freePort();
  children.push(await serve('plain', client, plainPort));
  const served = await fetch(`http://127.0.0.1:${sitePort}/`, { headers: { 'accept-encoding': 'gzip' } });
  const servedEncoding = served.headers.get('content-encoding');
  console.log(`Load: ${seconds} s per server, 20 connections, GET / and GET /testimonials/ID/…`);
  const someId = /data-review-id="([0-9a-f]{16})"/.exec(wallText)?.[1];
  const site = await requestsPerSecond(`http://127.0.0.1:${sitePort}/`);
  const plain = await requestsPerSecond(`http://127.0.0.1:${plainPort}/`);
  const siteOne = await requestsPerSecond(`http://127.0.0.1:${sitePort}/testimonials/${someId}/`);
  const plainOne = await requestsPerSecond(`http://127.0.0.1:${plainPort}/testimonials/${someId}/`);

  const figures = {
    reviews: reviewCount,
    photos: photoCount,
    publishSeconds: Math.round(publishSeconds * 10) / 10,
    wall: { htmlBytes: wallHtml.byteLength, gzipBytes: wallGzipBytes, brotliBytes: wallBrotliBytes, javaScriptBytes: wallJavaScriptBytes, externalStylesheets, servedEncoding },
    widget: { bytes: widget.byteLength, gzipBytes: widgetGzipBytes },
    feed: { fullGzipBytes: feedGzipBytes, widgetFeedGzipBytes },
    requestsPerSecond: { wall: { siteServer: site, plainSirv: plain }, testimonial: { siteServer: siteOne, plainSirv: plainOne } },
    targets,
    machine: { platform: process.platform, arch: process.arch, node: process.version, cpus: (await import('node:os')).cpus().length },
    recordedAt: new Date().toISOString(),
  };
  writeFileSync(join(import.meta.dirname, 'results', 'publish.json'), `${JSON.stringify(figures, null, 2)}\n`);
  const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const md = `## Publish (${reviewCount.toLocaleString('en')} approved reviews)

| measure | result | target |
| --- | --- | --- |
| publish time (astro build of ${reviewCount.toLocaleString('en')} testimonial pages + lists + feed, precompression, swap) | ${publishSeconds.toFixed(1)} s | ≤ ${targets.publishSeconds} s: ${verdict(publishSeconds <= targets.publishSeconds)} |
| wall (/) HTML incl. inlined CSS, 24 reviews, gzip -9 | ${kb(wallGzipBytes)} (brotli ${kb(wallBrotliBytes)}, raw ${kb(wallHtml.byteLength)}; served as ${servedEncoding ?? 'identity'}) | ≤ 14 KB: ${verdict(wallGzipBytes <= targets.wallGzipBytes)} |
| JavaScript on the wall | ${wallJavaScriptBytes} bytes, ${externalStylesheets} external stylesheets | 0 bytes: ${verdict(wallJavaScriptBytes === 0)} |
| /widget.js, gzip -9 | ${kb(widgetGzipBytes)} (raw ${kb(widget.byteLength)}); its feed ${kb(widgetFeedGzipBytes)} | ≤ 3 KB: ${verdict(widgetGzipBytes <= targets.widgetGzipBytes)} |
| /testimonials.json (all ${reviewCount.toLocaleString('en')}), gzip | ${kb(feedGzipBytes)} | — |
| GET / requests/s: site server vs plain sirv | ${site.requestsPerSecond} vs ${plain.requestsPerSecond} (p99 ${site.p99Ms} ms vs ${plain.p99Ms} ms) | compare |
| GET /testimonials/ID/ requests/s: site server vs plain sirv | ${siteOne.requestsPerSecond} vs ${plainOne.requestsPerSecond} | compare |

Loopback, ${seconds} s per run after a 1 s warm-up, 20 connections, \`Accept-Encoding: br, gzip\`, each server in its own process on a ${figures.machine.cpus}-core machine shared with the load generator. The site server adds security headers, CORS for the feed and widget, and looks up the \`current\` build link on every request (that is what makes a publish atomic without a restart).
`;
  writeFileSync(join(import.meta.dirname, 'results', 'publish.md'), md);
  console.log(md);
  db.$client.close();
} finally {
  for (const child of children) child.kill('SIGTERM');
  rmSync(directory, { recursive: true, force: true });
}
process.exit(0);
