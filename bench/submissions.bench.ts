#!/usr/bin/env node
// Review submissions end to end: many reviewers post the form at /r/TOKEN through the running
// server (npm start, file database), each with their own link: urlencoded, as a browser sends the
// form without a photo (the site server stores those itself), and, fewer, multipart, as it sends
// the form with a file field (always through Astro). In the same run, a bare node:http server
// inserting the same review row into libSQL gives the floor to compare with. Each server's CPU time
// per post is read from /proc as well: it varies less than rates on a shared machine.
import autocannon from 'autocannon';
import { execFileSync, spawn } from 'node:child_process';
import Libsql from 'libsql';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { generateToken, hashToken } from '../src/lib/tokens.ts';
import { startApp } from '../test/helpers/app.ts';
import { freePort } from '../test/helpers/sqld.ts';
import { processCpuMilliseconds } from './load.ts';

const reviewers = Number(process.env.BENCH_SUBMISSIONS ?? 20_000);
const multipartReviewers = Math.ceil(reviewers / 4);
const warmup = 500;
const connections = 10;
const targets = { submissionsPerSecond: 500, p99Ms: 50, shareOfFloor: 0.5, shareOfPreparedFloor: 0.6, p99MsOfShare: 25 };
const body = 'The support team answered within five minutes and explained exactly what had gone wrong.';

// The floor runs in its own process, like the real server, so the load generator has its own core.
// Two floors: the insert through @libsql/client (as any code on this stack would write it; it
// prepares the statement on every call), and through the libsql binding with the statement
// prepared once (as the server's hot path does since hot-path-sql.ts).
if (process.argv[2] === '--floor') {
  const url = process.argv[3]!;
  const insertSql = `insert into reviews (request_id, contact_id, rating, body, name_display, role, company, locale, consent_at)
              values (?, ?, ?, ?, ?, ?, ?, ?, ?)`;
  let insert: (args: (string | number | null)[]) => Promise<unknown>;
  if (process.argv[5] === 'prepared') {
    const statement = new Libsql(url.slice('file:'.length), { timeout: 5000 }).prepare(insertSql);
    insert = async (args) => statement.run(args);
  } else {
    const db = await openDatabase({ url });
    insert = (args) => db.$client.execute({ sql: insertSql, args });
  }
  const server = createServer((request, response) => {
    let raw = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => (raw += chunk));
    request.on('end', async () => {
      const form = new URLSearchParams(raw);
      const now = Date.now();
      await insert([Number(form.get('request')), Number(form.get('contact')), Number(form.get('rating')), form.get('body') ?? '', form.get('nameDisplay') ?? 'full', null, null, form.get('lang') ?? 'en', now]);
      response.writeHead(303, { Location: '/done' });
      response.end();
    });
  });
  server.listen(Number(process.argv[4]), '127.0.0.1', () => console.log('floor ready'));
  await new Promise(() => {});
}

interface Link {
  token: string;
  requestId: number;
  contactId: number;
}

/** Creates `count` contacts with review links directly in the database, as `npm run invite` would. */
async function createLinks(db: Database, count: number, prefix: string): Promise<Link[]> {
  const links: Link[] = [];
  const expiresAt = Date.now() + 30 * 24 * 60 * 60 * 1000;
  for (let start = 0; start < count; start += 1000) {
    const size = Math.min(1000, count - start);
    const tokens = Array.from({ length: size }, () => generateToken());
    const statements = tokens.flatMap((token, index) => [
      { sql: `insert into contacts (email, name, locale) values (?, ?, 'en')`, args: [`${prefix}-${start + index}@bench.example`, `Reviewer ${start + index}`] },
      {
        sql: `insert into review_requests (contact_id, token_hash, locale, expires_at) values (last_insert_rowid(), ?, 'en', ?) returning id, contact_id`,
        args: [hashToken(token), expiresAt],
      },
    ]);
    const results = await db.$client.batch(statements, 'write');
    tokens.forEach((token, index) => {
      const row = results[index * 2 + 1]!.rows[0]!;
      links.push({ token, requestId: Number(row.id), contactId: Number(row.contact_id) });
    });
  }
  return links;
}

interface Run {
  submissionsPerSecond: number;
  /** CPU time of the server process per post (user + system), when it could be read. */
  cpuMsPerPost: number | null;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  total: number;
  redirects: number;
  other: number;
  durationSeconds: number;
}

/** Posts one form per link through `connections` connections and reports the throughput and latency. */
async function hammer(url: string, origin: string, links: Link[], pathFor: (link: Link) => string, serverPid: number | null, encoding: 'urlencoded' | 'multipart' = 'urlencoded'): Promise<Run> {
  let next = 0;
  const cpuBefore = serverPid === null ? null : processCpuMilliseconds(serverPid);
  let redirects = 0;
  let other = 0;
  // autocannon reports whole seconds and ends its run on a one-second tick: time the run
  // ourselves, from the start to the last response, for an exact rate.
  const started = performance.now();
  let lastResponseAt = started;
  const result = await autocannon({
    url,
    connections,
    amount: links.length,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const link = links[next++ % links.length]!;
          const form = new URLSearchParams({
            token: link.token,
            lang: 'en',
            rating: String((link.requestId % 5) + 1),
            body,
            nameDisplay: 'first_initial',
            consent: 'on',
            request: String(link.requestId),
            contact: String(link.contactId),
          });
          if (encoding === 'multipart') {
            const boundary = 'review-wall-bench-boundary';
            const parts = [...form].map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
            parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename=""\r\nContent-Type: application/octet-stream\r\n\r\n\r\n`);
            return { ...request, path: pathFor(link), headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, origin }, body: `${parts.join('')}--${boundary}--\r\n` };
          }
          return {
            ...request,
            path: pathFor(link),
            headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
            body: form.toString(),
          };
        },
        onResponse: (status) => {
          lastResponseAt = performance.now();
          if (status === 303) redirects++;
          else other++;
        },
      },
    ],
  });
  const seconds = (lastResponseAt - started) / 1000;
  const cpuAfter = serverPid === null ? null : processCpuMilliseconds(serverPid);
  return {
    submissionsPerSecond: Math.round((redirects / seconds) * 10) / 10,
    cpuMsPerPost: cpuBefore === null || cpuAfter === null ? null : Math.round(((cpuAfter - cpuBefore) / links.length) * 1000) / 1000,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    total: result.requests.total,
    redirects,
    other,
    durationSeconds: Math.round(seconds * 100) / 100,
  };
}

const loadBefore = loadavg()[0]!;
const app = await startApp({ args: ['--no-demo'], env: { SUBMISSION_RATE_LIMIT_PER_IP: '100000000', ...(process.env.BENCH_PROFILE_DIR ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}` } : {}) } });
const floorDirectory = mkdtempSync(join(tmpdir(), 'review-wall-floor-'));
let floorProcess: ReturnType<typeof spawn> | undefined;
try {
  // The server's database: links for the warm-up and for the measured run.
  const appDb = await openDatabase({ url: app.env.DATABASE_URL! });
  const warmupLinks = await createLinks(appDb, warmup, 'warmup');
  const links = await createLinks(appDb, reviewers, 'bench');
  const multipartLinks = await createLinks(appDb, multipartReviewers, 'multipart');
  const formPath = (link: Link) => `/r/${link.token}?_action=review.submit`;
  const serverPid = Number(/pid=(\d+)/.exec(execFileSync('ss', ['-ltnpH', `sport = :${new URL(app.url).port}`]).toString())?.[1]) || null;
  await hammer(app.url, app.url, warmupLinks, formPath, serverPid);
  const server = await hammer(app.url, app.url, links, formPath, serverPid);
  const multipart = await hammer(app.url, app.url, multipartLinks, formPath, serverPid, 'multipart');
  const [stored] = (await appDb.$client.execute(`select (select count(*) from reviews) as reviews, (select count(*) from incentives where state = 'pending') as incentives`)).rows;
  appDb.$client.close();

  // Each floor's database: the same schema and links, in a file of its own.
  const runFloor = async (mode: 'client' | 'prepared'): Promise<Run> => {
    const floorUrl = `file:${join(floorDirectory, `floor-${mode}.db`)}`;
    const floorDb = await openDatabase({ url: floorUrl });
    await migrateDatabase(floorDb);
    const floorWarmup = await createLinks(floorDb, warmup, 'warmup');
    const floorLinks = await createLinks(floorDb, reviewers, 'bench');
    floorDb.$client.close();
    const floorPort = await freePort();
    floorProcess = spawn(process.execPath, [import.meta.filename, '--floor', floorUrl, String(floorPort), mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => floorProcess!.stdout!.once('data', () => resolve()));
    const floorOrigin = `http://127.0.0.1:${floorPort}`;
    await hammer(floorOrigin, floorOrigin, floorWarmup, () => '/submit', floorProcess.pid ?? null);
    const measured = await hammer(floorOrigin, floorOrigin, floorLinks, () => '/submit', floorProcess.pid ?? null);
    floorProcess.kill('SIGTERM');
    return measured;
  };
  const floor = await runFloor('client');
  const preparedFloor = await runFloor('prepared');

  const shareOfFloor = Math.round((server.submissionsPerSecond / floor.submissionsPerSecond) * 100) / 100;
  const shareOfPreparedFloor = Math.round((server.submissionsPerSecond / preparedFloor.submissionsPerSecond) * 100) / 100;
  // On a loaded machine the absolute p99 mostly measures the queue for the CPU: the floors' p99 in
  // the same run shows how much of it the machine alone accounts for.
  const p99OfPreparedFloor = Math.round((server.p99Ms / preparedFloor.p99Ms) * 100) / 100;
  const met = {
    submissionsPerSecond: server.submissionsPerSecond >= targets.submissionsPerSecond,
    p99Ms: server.p99Ms <= targets.p99Ms,
    shareOfFloor: shareOfFloor >= targets.shareOfFloor,
    shareOfPreparedFloor: shareOfPreparedFloor >= targets.shareOfPreparedFloor && server.p99Ms <= targets.p99MsOfShare,
    everySubmissionStored:
      Number(stored?.reviews) === reviewers + multipartReviewers + warmup && Number(stored?.incentives) === reviewers + multipartReviewers + warmup && server.other === 0 && multipart.other === 0,
  };
  const results = {
    name: 'submissions',
    date: new Date().toISOString(),
    machine: { platform: process.platform, arch: process.arch, node: process.version, cpus: availableParallelism(), loadAverageBefore: loadBefore },
    setup: { reviewers, warmup, connections, database: 'file (WAL)', body: 'application/x-www-form-urlencoded, no photo' },
    targets,
    server,
    multipart,
    floor,
    shareOfFloor,
    preparedFloor,
    shareOfPreparedFloor,
    p99OfPreparedFloor,
    stored: { reviews: Number(stored?.reviews), pendingIncentives: Number(stored?.incentives) },
    met,
  };
  writeFileSync(join(import.meta.dirname, 'results', 'submissions.json'), `${JSON.stringify(results, null, 2)}\n`);
  const yes = (value: boolean) => (value ? 'met' : '**missed**');
  const cpu = (run: Run) => (run.cpuMsPerPost === null ? '?' : `${run.cpuMsPerPost.toFixed(2)} ms`);
  const markdown = `## Review submissions

${reviewers} reviewers each post the review form once through \`npm start\` (file database, ${connections} connections,
urlencoded form without a photo, ${warmup} warm-up posts first), then ${multipartReviewers} more post it multipart (as a browser
sends the form when it has a file field, even an empty one). Each post checks the origin, validates the form,
looks up the link, then counts two rate limits and writes the review, the request's submitted time and the
incentive in one transaction (posts that arrive together share a commit), then redirects (303). A saved urlencoded
post is stored and answered by the site server itself (src/lib/server/collect/review-form-posts.ts); multipart posts,
and every post that is not saved, go through Astro. The floor is a bare \`node:http\` server inserting the same
review row into libSQL through @libsql/client; the second floor does it with the statement prepared once, as the server's hot path does. Machine: ${availableParallelism()} cores, load average ${loadBefore.toFixed(1)} when the run started
(other work shares the machine, so figures vary between runs).

| | submissions/s | p50 | p99 | max | non-303 | server CPU per post |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
| review form, urlencoded (server) | ${server.submissionsPerSecond} | ${server.p50Ms} ms | ${server.p99Ms} ms | ${server.maxMs} ms | ${server.other} | ${cpu(server)} |
| review form, multipart (through Astro) | ${multipart.submissionsPerSecond} | ${multipart.p50Ms} ms | ${multipart.p99Ms} ms | ${multipart.maxMs} ms | ${multipart.other} | ${cpu(multipart)} |
| floor (node:http + libSQL insert) | ${floor.submissionsPerSecond} | ${floor.p50Ms} ms | ${floor.p99Ms} ms | ${floor.maxMs} ms | ${floor.other} | ${cpu(floor)} |
| floor with the statement prepared once | ${preparedFloor.submissionsPerSecond} | ${preparedFloor.p50Ms} ms | ${preparedFloor.p99Ms} ms | ${preparedFloor.maxMs} ms | ${preparedFloor.other} | ${cpu(preparedFloor)} |

Targets: ≥ ${targets.submissionsPerSecond} submissions/s (${yes(met.submissionsPerSecond)}), p99 ≤ ${targets.p99Ms} ms (${yes(met.p99Ms)}),
at least ${targets.shareOfFloor * 100} % of the floor (${Math.round(shareOfFloor * 100)} %: ${yes(met.shareOfFloor)}),
at least ${targets.shareOfPreparedFloor * 100} % of the prepared-statement floor with p99 ≤ ${targets.p99MsOfShare} ms (${Math.round(shareOfPreparedFloor * 100)} %, p99 ${server.p99Ms} ms: ${yes(met.shareOfPreparedFloor)}).
Same run: the server's p99 is ${p99OfPreparedFloor}× the prepared-statement floor's (${preparedFloor.p99Ms} ms), and it spends ${server.cpuMsPerPost === null || preparedFloor.cpuMsPerPost === null ? '?' : `${Math.round((server.cpuMsPerPost / preparedFloor.cpuMsPerPost) * 100) / 100}×`} its CPU per post.
Stored: ${results.stored.reviews} reviews, ${results.stored.pendingIncentives} pending incentives (${yes(met.everySubmissionStored)}).
`;
  writeFileSync(join(import.meta.dirname, 'results', 'submissions.md'), markdown);
  console.log(markdown);
} finally {
  floorProcess?.kill('SIGTERM');
  await app.stop();
  rmSync(floorDirectory, { recursive: true, force: true });
}
