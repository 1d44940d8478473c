#!/usr/bin/env node
// Publishing at scale, and serving what was published. 10,000 approved reviews in a file database:
// 1. a first publish (code compiled, every page rendered), page sizes;
// 2. approvals on that wall, each published incrementally (only the pages whose props changed are
//    rendered, the rest linked from the live build), timed from the approval until a site server in
//    another process serves the new testimonial page;
// 3. static pages from our site server against a plain sirv server over the same files with the
//    same headers, each in its own process, the load generator in a third (wrk when installed).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { adminUsers } from '../db/schema.ts';
import { openDatabase } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { approveReview } from '../src/lib/server/moderate/moderation.ts';
import { publishSite, readPointer, siteLayout, type PublishResult } from '../src/lib/server/publish/publish.ts';
import { keepRendererWarm } from '../src/lib/server/publish/renderer-process.ts';
import { projectRoot } from '../test/helpers/app.ts';
import { seedReviews, writeStoredPhoto, type SeedReview } from '../test/helpers/reviews.ts';
import { freePort } from '../test/helpers/sqld.ts';
import { loadGenerator, measureLoad, median, processCpuMilliseconds, type LoadRun } from './load.ts';

const reviewCount = Number(process.env.BENCH_PUBLISH_REVIEWS ?? 10_000);
const photoCount = Math.min(200, Math.floor(reviewCount / 50));
const seconds = Number(process.env.BENCH_PUBLISH_SECONDS ?? 8);
const rounds = Number(process.env.BENCH_PUBLISH_ROUNDS ?? 3);
const approvals = 3;
const connections = 20;
const targets = {
  publishSeconds: 60,
  wallGzipBytes: 14 * 1024,
  wallJavaScriptBytes: 0,
  widgetGzipBytes: 3 * 1024,
  approvalLiveSeconds: 3,
  staticShareOfSirv: 0.9,
  staticP99OfSirv: 1.2,
};

// A server for the comparison runs in its own process: `--serve site|plain DIR PORT`.
if (process.argv[2] === '--serve') {
  const [, , , kind, directory, port] = process.argv;
  const { setSecurityHeaders, staticFileOptions, startSiteServer } = await import('../src/lib/server/publish/site-server.ts');
  const { securityHeadersFor } = await import('../src/lib/server/platform/security-headers.ts');
  if (kind === 'site') {
    await startSiteServer({ siteDir: directory!, host: '127.0.0.1', port: Number(port) });
  } else {
    const { createServer } = await import('node:http');
    const { default: sirv } = await import('sirv');
    // The same sirv options and headers as the site server's static files, and the security headers it sets on every answer.
    const serve = sirv(directory!, staticFileOptions);
    const headers = securityHeadersFor('');
    const listener = (request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse) => {
      setSecurityHeaders(response, headers);
      serve(request, response, () => void response.writeHead(404).end());
    };
    await new Promise<void>((resolve) => createServer(listener).listen(Number(port), '127.0.0.1', resolve));
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

type Succeeded = Extract<PublishResult, { status: 'succeeded' }>;
const succeeded = (result: PublishResult): Succeeded => {
  if (result.status !== 'succeeded') throw new Error(`publish ${result.status}: ${'error' in result ? result.error : ''}`);
  return result;
};

/** The headers a static answer carries, without those that name the moment or the connection. */
async function staticHeaders(url: string): Promise<Record<string, string>> {
  const response = await fetch(url, { headers: { 'accept-encoding': 'br, gzip' } });
  await response.arrayBuffer();
  return Object.fromEntries([...response.headers].filter(([name]) => !['date', 'connection', 'keep-alive'].includes(name)).sort());
}

interface Compared {
  site: LoadRun & { cpuMicrosecondsPerRequest: number | null };
  plain: LoadRun & { cpuMicrosecondsPerRequest: number | null };
  shareOfSirv: number;
  p99OfSirv: number;
  rounds: { site: LoadRun; plain: LoadRun }[];
}

/** Alternates the two servers `rounds` times on one path; medians of each. */
async function compare(path: string, servers: { site: { port: number; pid: number }; plain: { port: number; pid: number } }): Promise<Compared> {
  const headers = { 'accept-encoding': 'br, gzip' };
  const done: { site: LoadRun; plain: LoadRun }[] = [];
  const cpu = { site: [] as number[], plain: [] as number[] };
  for (const kind of ['site', 'plain'] as const) await measureLoad(`http://127.0.0.1:${servers[kind].port}${path}`, { seconds: 2, connections, headers });
  for (let round = 0; round < rounds; round++) {
    const result = {} as { site: LoadRun; plain: LoadRun };
    for (const kind of ['site', 'plain'] as const) {
      const before = processCpuMilliseconds(servers[kind].pid);
      result[kind] = await measureLoad(`http://127.0.0.1:${servers[kind].port}${path}`, { seconds, connections, headers });
      const after = processCpuMilliseconds(servers[kind].pid);
      if (before !== null && after !== null) cpu[kind].push(((after - before) * 1000) / (result[kind].requestsPerSecond * seconds));
    }
    done.push(result);
  }
  const summarize = (kind: 'site' | 'plain') => ({
    requestsPerSecond: median(done.map((round) => round[kind].requestsPerSecond)),
    p50Ms: median(done.map((round) => round[kind].p50Ms)),
    p99Ms: median(done.map((round) => round[kind].p99Ms)),
    errors: done.reduce((sum, round) => sum + round[kind].errors, 0),
    cpuMicrosecondsPerRequest: cpu[kind].length ? Math.round(median(cpu[kind])) : null,
  });
  const site = summarize('site');
  const plain = summarize('plain');
  return {
    site,
    plain,
    shareOfSirv: Math.round((site.requestsPerSecond / plain.requestsPerSecond) * 100) / 100,
    p99OfSirv: Math.round((site.p99Ms / plain.p99Ms) * 100) / 100,
    rounds: done,
  };
}

const directory = mkdtempSync(join(tmpdir(), 'review-wall-bench-publish-'));
const children: ChildProcess[] = [];
const loadBefore = loadavg()[0]!;
try {
  const url = `file:${join(directory, 'bench.db')}`;
  const uploadDir = join(directory, 'uploads');
  const siteDir = join(directory, 'site');
  const db = await openDatabase({ url });
  await migrateDatabase(db);

  console.log(`Seeding ${reviewCount} approved reviews (photos from ${photoCount} stored files) and ${approvals} pending ones…`);
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
  const pending = await seedReviews(
    db,
    Array.from({ length: approvals }, (_, index) => ({ name: `New Reviewer ${index}`, status: 'pending' as const, locale: 'en', body: `${sentences[index]} Approved during the benchmark.`, submittedAt: new Date() })),
  );
  const [moderator] = await db.insert(adminUsers).values({ email: 'bench@example.com', passwordHash: 'x' }).returning();

  const env = { ...process.env, DATABASE_URL: url, UPLOAD_DIR: uploadDir, SITE_DIR: siteDir, SITE_URL: 'https://reviews.example.com' };
  const options = { db, siteDir, startedBy: 'bench', env, projectRoot };

  console.log('Publishing everything (code compiled, every page rendered)…');
  const first = succeeded(await publishSite({ ...options, rebuild: 'everything' }));
  const publishSeconds = first.durationMs / 1000;
  console.log(`Published ${first.reviewCount} reviews, ${first.pages.total} pages, in ${publishSeconds.toFixed(1)} s.`);
  const client = join((await readPointer(siteLayout(siteDir).current))!, 'client');

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
  const siteServer = await serve('site', siteDir, sitePort);
  children.push(siteServer);

  // As in npm start: the renderer stays ready between publishes; the first publish starts it.
  keepRendererWarm();
  console.log('A publish with nothing changed (starts the renderer npm start keeps)…');
  const unchanged = succeeded(await publishSite(options));
  console.log(`Approving ${approvals} reviews, one at a time, each published incrementally…`);
  const approvalRuns: { liveSeconds: number; publishSeconds: number; swappedSeconds: number; approvalMs: number; servedAfterSwapMs: number; rendered: number; reused: number; timings: Succeeded['pages']['timings'] }[] = [];
  for (const id of pending) {
    const started = performance.now();
    const approved = await approveReview(db, { id: moderator!.id, email: moderator!.email }, id);
    if (approved.kind !== 'done') throw new Error(`approval: ${approved.kind}`);
    const [row] = (await db.$client.execute({ sql: 'select public_id from reviews where id = ?', args: [id] })).rows;
    // Live: the site server in the other process serves the new review's page. Watched while the
    // publish runs, since a publish goes on after the swap (it deletes builds nobody needs).
    const live = (async () => {
      for (;;) {
        const response = await fetch(`http://127.0.0.1:${sitePort}/testimonials/${String(row!.public_id)}/`);
        await response.arrayBuffer();
        if (response.status === 200) return performance.now();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const publishStarted = performance.now();
    const published = succeeded(await publishSite(options));
    const liveAt = await live;
    const liveSeconds = (liveAt - started) / 1000;
    const approvalMs = Math.round(publishStarted - started);
    const servedAfterSwapMs = Math.round(liveAt - (publishStarted + published.swappedAfterMs));
    approvalRuns.push({ liveSeconds: Math.round(liveSeconds * 100) / 100, publishSeconds: published.durationMs / 1000, swappedSeconds: published.swappedAfterMs / 1000, approvalMs, servedAfterSwapMs, rendered: published.pages.rendered, reused: published.pages.reused, timings: published.pages.timings });
    console.log(`  review ${id}: live in ${liveSeconds.toFixed(2)} s (${published.pages.rendered} pages rendered, ${published.pages.reused} linked)`);
  }
  keepRendererWarm(false);
  const approvalLiveSeconds = median(approvalRuns.map((run) => run.liveSeconds));

  const plainPort = await freePort();
  const plainServer = await serve('plain', join((await readPointer(siteLayout(siteDir).current))!, 'client'), plainPort);
  children.push(plainServer);
  const servers = { site: { port: sitePort, pid: siteServer.pid! }, plain: { port: plainPort, pid: plainServer.pid! } };
  const someId = /data-review-id="([0-9a-f]{16})"/.exec(wallText)?.[1];
  const paths = { wall: '/', testimonial: `/testimonials/${someId}/` };
  const sameHeaders = {
    wall: JSON.stringify(await staticHeaders(`http://127.0.0.1:${sitePort}/`)) === JSON.stringify(await staticHeaders(`http://127.0.0.1:${plainPort}/`)),
    testimonial: JSON.stringify(await staticHeaders(`http://127.0.0.1:${sitePort}${paths.testimonial}`)) === JSON.stringify(await staticHeaders(`http://127.0.0.1:${plainPort}${paths.testimonial}`)),
  };
  const generator = loadGenerator();
  console.log(`Static pages: ${rounds} alternating rounds of ${seconds} s per server and path, ${connections} connections, ${generator}…`);
  const wall = await compare(paths.wall, servers);
  const testimonial = await compare(paths.testimonial, servers);
  const staticShareOfSirv = Math.min(wall.shareOfSirv, testimonial.shareOfSirv);
  const staticP99OfSirv = Math.max(wall.p99OfSirv, testimonial.p99OfSirv);

  const met = {
    publishSeconds: publishSeconds <= targets.publishSeconds,
    wallGzipBytes: wallGzipBytes <= targets.wallGzipBytes,
    wallJavaScriptBytes: wallJavaScriptBytes === 0,
    widgetGzipBytes: widgetGzipBytes <= targets.widgetGzipBytes,
    approvalLiveSeconds: approvalLiveSeconds <= targets.approvalLiveSeconds,
    staticShareOfSirv: staticShareOfSirv >= targets.staticShareOfSirv,
    staticP99OfSirv: staticP99OfSirv <= targets.staticP99OfSirv,
  };
  const figures = {
    reviews: reviewCount,
    photos: photoCount,
    publishSeconds: Math.round(publishSeconds * 10) / 10,
    firstPublish: { pages: first.pages.total, timings: first.pages.timings },
    unchangedPublish: { seconds: unchanged.durationMs / 1000, rendered: unchanged.pages.rendered, reused: unchanged.pages.reused },
    approvals: { liveSeconds: approvalLiveSeconds, runs: approvalRuns },
    wall: { htmlBytes: wallHtml.byteLength, gzipBytes: wallGzipBytes, brotliBytes: wallBrotliBytes, javaScriptBytes: wallJavaScriptBytes, externalStylesheets },
    widget: { bytes: widget.byteLength, gzipBytes: widgetGzipBytes },
    feed: { fullGzipBytes: feedGzipBytes, widgetFeedGzipBytes },
    staticPages: { loadGenerator: generator, seconds, rounds, connections, sameHeaders, wall, testimonial, shareOfSirv: staticShareOfSirv, p99OfSirv: staticP99OfSirv },
    targets,
    met,
    machine: { platform: process.platform, arch: process.arch, node: process.version, cpus: availableParallelism(), loadAverageBefore: loadBefore },
    recordedAt: new Date().toISOString(),
  };
  writeFileSync(join(import.meta.dirname, 'results', 'publish.json'), `${JSON.stringify(figures, null, 2)}\n`);
  const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const row = (name: string, compared: Compared) =>
    `| ${name} | ${compared.site.requestsPerSecond} vs ${compared.plain.requestsPerSecond} (${Math.round(compared.shareOfSirv * 100)} %) | ${compared.site.p99Ms} vs ${compared.plain.p99Ms} ms (${compared.p99OfSirv}×) | ${compared.site.cpuMicrosecondsPerRequest ?? '?'} vs ${compared.plain.cpuMicrosecondsPerRequest ?? '?'} µs |`;
  const md = `## Publish (${reviewCount.toLocaleString('en')} approved reviews)

| measure | result | target |
| --- | --- | --- |
| first publish: code compiled (\`astro build\`), ${first.pages.total.toLocaleString('en')} pages rendered and precompressed, swap | ${publishSeconds.toFixed(1)} s | ≤ ${targets.publishSeconds} s: ${verdict(met.publishSeconds)} |
| one approval live (median of ${approvals}): approve, publish incrementally, until a server in another process serves the new page | ${approvalLiveSeconds.toFixed(2)} s (${approvalRuns.map((run) => `${run.liveSeconds.toFixed(2)} s`).join(', ')}) | ≤ ${targets.approvalLiveSeconds} s: ${verdict(met.approvalLiveSeconds)} |
| pages rendered / linked per approval | ${approvalRuns[0]!.rendered} / ${approvalRuns[0]!.reused} | — |
| a publish with nothing changed | ${(unchanged.durationMs / 1000).toFixed(1)} s (${unchanged.pages.rendered} rendered) | — |
| wall (/) HTML incl. inlined CSS, 24 reviews, gzip -9 | ${kb(wallGzipBytes)} (brotli ${kb(wallBrotliBytes)}, raw ${kb(wallHtml.byteLength)}) | ≤ 14 KB: ${verdict(met.wallGzipBytes)} |
| JavaScript on the wall | ${wallJavaScriptBytes} bytes, ${externalStylesheets} external stylesheets | 0 bytes: ${verdict(met.wallJavaScriptBytes)} |
| /widget.js, gzip -9 | ${kb(widgetGzipBytes)} (raw ${kb(widget.byteLength)}); its feed ${kb(widgetFeedGzipBytes)} | ≤ 3 KB: ${verdict(met.widgetGzipBytes)} |
| /testimonials.json (all ${reviewCount.toLocaleString('en')}), gzip | ${kb(feedGzipBytes)} | — |

Where an approval's time goes (first approval, ms): ${Object.entries(approvalRuns[0]!.timings).map(([step, ms]) => `${step} ${ms}`).join(', ')}. The approval itself took ${approvalRuns[0]!.approvalMs} ms; the publish swapped the new build in ${Math.round(approvalRuns[0]!.swappedSeconds * 1000)} ms after it started (the rest of that is the code hash and linking the compiled code); the site server in the other process served the new page ${approvalRuns[0]!.servedAfterSwapMs} ms after the swap. After the swap the publish deletes builds nobody needs (${approvalRuns.map((run) => `${run.publishSeconds.toFixed(1)} s`).join(', ')} in all per publish).

### Static pages: site server vs plain sirv

| path | requests/s (share) | p99 (ratio) | server CPU per request |
| --- | --- | --- | --- |
${row('GET /', wall)}
${row('GET /testimonials/ID/', testimonial)}

Targets: ≥ ${targets.staticShareOfSirv}× plain sirv's requests/s (${Math.round(staticShareOfSirv * 100)} % at worst: ${verdict(met.staticShareOfSirv)}), p99 within ${targets.staticP99OfSirv}× (${staticP99OfSirv}× at worst: ${verdict(met.staticP99OfSirv)}). Same headers on both: ${sameHeaders.wall && sameHeaders.testimonial ? 'yes' : '**no**'}.
Medians of ${rounds} alternating rounds of ${seconds} s, ${connections} connections, \`Accept-Encoding: br, gzip\`, loopback; each server in its own process and the load generator (${generator}) in a third, on a ${figures.machine.cpus}-core machine (load average ${loadBefore.toFixed(1)} before the run, other work shares it).
`;
  writeFileSync(join(import.meta.dirname, 'results', 'publish.md'), md);
  console.log(md);
  db.$client.close();
} finally {
  keepRendererWarm(false);
  for (const child of children) child.kill('SIGTERM');
  rmSync(directory, { recursive: true, force: true });
}
process.exit(0);
