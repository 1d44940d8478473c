#!/usr/bin/env node
// NPS surveys at scale. (1) `npm run survey` sends 100,000 surveys to a local fake of the Resend
// API: how many API calls. (2) A tick over those 100,000 contacts with nothing due (what npm start
// does every minute). (3) One-click answers posted through the running server (npm start, file
// database), compared in the same run with the bare-insert floor of bench/submissions.bench.ts.
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { createOutboxTransport } from '../src/lib/server/platform/mail.ts';
import { runTick } from '../src/lib/server/schedule/tick.ts';
import { generateToken, hashToken } from '../src/lib/tokens.ts';
import { projectRoot, startApp } from '../test/helpers/app.ts';
import { startFakeResend } from '../test/helpers/fake-resend.ts';
import { freePort } from '../test/helpers/sqld.ts';
import { configWith } from '../test/helpers/surveys.ts';

const contacts = Number(process.env.BENCH_SURVEY_CONTACTS ?? 100_000);
const answers = Number(process.env.BENCH_SURVEY_ANSWERS ?? 20_000);
const warmup = 500;
const connections = 10;
const targets = { apiCalls: Math.ceil(contacts / 100), answersPerSecond: 1000, p99Ms: 50, idleTickMs: 200 };
const loadBefore = loadavg()[0]!;
const directory = mkdtempSync(join(tmpdir(), 'review-wall-bench-surveys-'));
const children: ChildProcess[] = [];

/** Runs a script of the project to completion, returning its output and wall time. */
function runScript(file: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file, ...args], { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, seconds: (performance.now() - started) / 1000 }));
  });
}

/** Contacts made inside SQLite: far quicker than 100,000 inserts. */
async function addContacts(db: Database, count: number, prefix: string): Promise<void> {
  await db.$client.execute({
    sql: `with recursive n(i) as (select 1 union all select i + 1 from n where i < ?)
          insert into contacts (email, name, locale) select ? || i || '@bench.example', 'Customer ' || i,
            case i % 6 when 0 then 'en' when 1 then 'pl' when 2 then 'ru' when 3 then 'uk' when 4 then 'lv' else 'bg' end from n`,
    args: [count, prefix],
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round1 = (value: number) => Math.round(value * 10) / 10;

interface Run {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  redirects: number;
  other: number;
}

/** Posts once per target through `connections` connections; rate from the start to the last response. */
async function hammer<T>(url: string, targetsToPost: T[], request: (target: T) => { path: string; body: string }): Promise<Run> {
  let next = 0;
  let redirects = 0;
  let other = 0;
  const started = performance.now();
  let lastResponseAt = started;
  const result = await autocannon({
    url,
    connections,
    amount: targetsToPost.length,
    requests: [
      {
        method: 'POST',
        setupRequest: (base) => {
          const { path, body } = request(targetsToPost[next++ % targetsToPost.length]!);
          return { ...base, path, body, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url } };
        },
        onResponse: (status) => {
          lastResponseAt = performance.now();
          if (status === 303) redirects++;
          else other++;
        },
      },
    ],
  });
  return {
    perSecond: round1(redirects / ((lastResponseAt - started) / 1000)),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    redirects,
    other,
  };
}

try {
  // (1) 100,000 surveys through `npm run survey`, Resend faked locally.
  const url = `file:${join(directory, 'surveys.db')}`;
  const db = await openDatabase({ url });
  await migrateDatabase(db);
  await addContacts(db, contacts, 'customer');
  const fake = await startFakeResend();
  console.log(`${contacts} surveys through npm run survey -- --rate 1000…`);
  const sent = await runScript(join('scripts', 'survey.ts'), ['--rate', '1000'], {
    DATABASE_URL: url,
    RESEND_API_KEY: 're_bench',
    RESEND_BASE_URL: fake.url,
    OUTBOX_DIR: join(directory, 'outbox'),
    SITE_URL: 'https://reviews.bench.example',
  });
  if (sent.code !== 0) throw new Error(`npm run survey exited with ${sent.code}`);
  console.log(`  ${sent.stdout.trim().split('\n').at(-1)}`);
  const keys = fake.deliveries.map((delivery) => (delivery.email.headers as Record<string, string>)['X-Idempotency-Key']);
  const sending = {
    surveys: contacts,
    apiCalls: fake.requests.length,
    largestBatch: Math.max(...fake.requests.map((request) => (request.body as unknown[]).length)),
    deliveredOnce: keys.length === contacts && new Set(keys).size === contacts,
    seconds: round1(sent.seconds),
  };
  await fake.close();

  // (2) A tick with nothing due, over the same 100,000 contacts (100,000 reminders waiting), autopilot on.
  const config = configWith({ surveys: { quietPeriodDays: 90, autopilot: { everyDays: 90 } } });
  const context = { db, config, siteUrl: 'https://reviews.bench.example', mailer: { db, transport: createOutboxTransport(join(directory, 'tick-outbox')), from: 'bench@example.com' } };
  const now = new Date();
  let started = performance.now();
  await runTick(context, { now: () => now });
  const autopilotMs = round1(performance.now() - started);
  const idle: number[] = [];
  for (let run = 0; run < 25; run++) {
    started = performance.now();
    const summary = await runTick(context, { now: () => now });
    idle.push(performance.now() - started);
    if (summary.claimed !== 0) throw new Error('the idle tick found work');
  }
  const tickCommand = await runScript(join('scripts', 'tick.ts'), [], { DATABASE_URL: url, OUTBOX_DIR: join(directory, 'tick-outbox') });
  const [pendingRow] = (await db.$client.execute('select count(*) as n from scheduled_jobs where done_at is null')).rows;
  const tick = {
    contacts,
    jobsWaiting: Number(pendingRow?.n),
    autopilotRunMs: autopilotMs,
    idleMedianMs: round1(median(idle)),
    idleMaxMs: round1(Math.max(...idle)),
    commandSeconds: round1(tickCommand.seconds),
  };
  db.$client.close();
  console.log(`  tick with nothing due: median ${tick.idleMedianMs} ms, max ${tick.idleMaxMs} ms`);

  // (3) One-click answers through the server, and the bare-insert floor in the same run.
  const app = await startApp({ args: ['--no-demo', '--no-tick'], env: { SUBMISSION_RATE_LIMIT_PER_IP: '100000000' } });
  let server: Run;
  let floor: Run;
  let stored: Record<string, unknown> = {};
  try {
    const appDb = await openDatabase({ url: app.env.DATABASE_URL! });
    await addContacts(appDb, answers + warmup, 'answer');
    await appDb.$client.execute(`insert into surveys (contact_id, trigger, origin, round, locale, expires_at, sent_at)
      select id, 'manual', 'bench', 1, 'en', ${Date.now() + 30 * 86_400_000}, ${Date.now()} from contacts`);
    const { rows } = await appDb.$client.execute('select id from surveys order by id');
    const links = rows.map((row) => ({ surveyId: Number(row.id), token: generateToken() }));
    for (let index = 0; index < links.length; index += 1000) {
      const chunk = links.slice(index, index + 1000);
      await appDb.$client.batch(chunk.map((link) => ({ sql: 'insert into survey_tokens (token_hash, survey_id) values (?, ?)', args: [hashToken(link.token), link.surveyId] })), 'write');
    }
    const answerPath = (link: { surveyId: number; token: string }) => ({ path: `/s/${link.token}/${link.surveyId % 11}`, body: '' });
    await hammer(app.url, links.slice(0, warmup), answerPath);
    server = await hammer(app.url, links.slice(warmup), answerPath);
    stored = { ...(await appDb.$client.execute("select count(*) as answers, (select count(*) from scheduled_jobs where kind = 'review.invitation') as invitations from nps_responses")).rows[0] };
    appDb.$client.close();

    // The floor of bench/submissions.bench.ts: node:http inserting one review row through @libsql/client.
    const floorUrl = `file:${join(directory, 'floor.db')}`;
    const floorDb = await openDatabase({ url: floorUrl });
    await migrateDatabase(floorDb);
    await addContacts(floorDb, answers + warmup, 'floor');
    await floorDb.$client.execute(`insert into review_requests (contact_id, token_hash, locale, expires_at) select id, 'hash' || id, 'en', ${Date.now() + 86_400_000} from contacts`);
    const requests = (await floorDb.$client.execute('select id, contact_id from review_requests order by id')).rows.map((row) => ({ request: Number(row.id), contact: Number(row.contact_id) }));
    floorDb.$client.close();
    const floorPort = await freePort();
    const floorProcess = spawn(process.execPath, [join(import.meta.dirname, 'submissions.bench.ts'), '--floor', floorUrl, String(floorPort), 'client'], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(floorProcess);
    await new Promise<void>((resolve) => floorProcess.stdout!.once('data', () => resolve()));
    const floorBody = (link: { request: number; contact: number }) => ({
      path: '/submit',
      body: new URLSearchParams({ request: String(link.request), contact: String(link.contact), rating: '5', body: 'The support team answered within five minutes and explained exactly what had gone wrong.', nameDisplay: 'first_initial', lang: 'en' }).toString(),
    });
    const floorUrlHttp = `http://127.0.0.1:${floorPort}`;
    await hammer(floorUrlHttp, requests.slice(0, warmup), floorBody);
    floor = await hammer(floorUrlHttp, requests.slice(warmup), floorBody);
    floorProcess.kill('SIGTERM');
  } finally {
    await app.stop();
  }

  const shareOfFloor = Math.round((server.perSecond / floor.perSecond) * 100) / 100;
  const met = {
    apiCalls: sending.apiCalls <= targets.apiCalls && sending.deliveredOnce,
    answersPerSecond: server.perSecond >= targets.answersPerSecond,
    p99Ms: server.p99Ms <= targets.p99Ms,
    idleTickMs: tick.idleMedianMs <= targets.idleTickMs,
    everyAnswerStored: Number(stored.answers) === answers + warmup && server.other === 0,
  };
  const results = {
    name: 'surveys',
    date: new Date().toISOString(),
    machine: { platform: process.platform, arch: process.arch, node: process.version, cpus: availableParallelism(), loadAverageBefore: loadBefore },
    targets,
    sending,
    tick,
    answers: { count: answers, warmup, connections, server, floor, shareOfFloor, stored },
    met,
  };
  writeFileSync(join(import.meta.dirname, 'results', 'surveys.json'), `${JSON.stringify(results, null, 2)}\n`);
  const yes = (value: boolean) => (value ? 'met' : '**missed**');
  const markdown = `## NPS surveys

Machine: ${availableParallelism()} cores, load average ${loadBefore.toFixed(1)} when the run started (other work shares the machine, so figures vary between runs).

| measure | result | target |
| --- | --- | --- |
| \`npm run survey -- --rate 1000\`: ${contacts} surveys to a local fake of Resend | ${sending.apiCalls} API calls (${sending.largestBatch} emails per call), ${sending.seconds} s, each delivered once: ${sending.deliveredOnce ? 'yes' : 'NO'} | ≤ ${targets.apiCalls} calls: ${yes(met.apiCalls)} |
| a tick with nothing due over ${contacts} contacts (${tick.jobsWaiting} reminders waiting, autopilot on) | median ${tick.idleMedianMs} ms, max ${tick.idleMaxMs} ms (25 runs) | ≤ ${targets.idleTickMs} ms: ${yes(met.idleTickMs)} |
| the autopilot's hourly run over them (nobody due) | ${tick.autopilotRunMs} ms | — |
| \`npm run tick\` as a process, nothing due (Node start-up included) | ${tick.commandSeconds} s | — |
| one-click answers through \`npm start\` (POST /s/TOKEN/SCORE → 303) | ${server.perSecond}/s, p50 ${server.p50Ms} ms, p99 ${server.p99Ms} ms, max ${server.maxMs} ms | ≥ ${targets.answersPerSecond}/s: ${yes(met.answersPerSecond)}; p99 ≤ ${targets.p99Ms} ms: ${yes(met.p99Ms)} |
| floor: node:http + one libSQL insert (as in the submissions bench) | ${floor.perSecond}/s, p50 ${floor.p50Ms} ms, p99 ${floor.p99Ms} ms | answers at ${Math.round(shareOfFloor * 100)} % of it |

${answers} answers (after ${warmup} warm-up posts) on ${connections} connections; each checks the origin, looks up the token, counts two rate limits and
writes the answer (and, for 9 and 10, the review invitation a day later) in one transaction shared with the posts that arrive together.
Stored: ${stored.answers} answers, ${stored.invitations} invitations scheduled (${yes(met.everyAnswerStored)}).
`;
  writeFileSync(join(import.meta.dirname, 'results', 'surveys.md'), markdown);
  console.log(markdown);
  process.exitCode = Object.values(met).every(Boolean) ? 0 : 1;
} finally {
  for (const child of children) child.kill('SIGTERM');
  rmSync(directory, { recursive: true, force: true });
}
