#!/usr/bin/env node
// The admin dashboard and exports over a large history: 100,000 NPS answers from 20,000
// customers and 5,000 reviews. How long loading every dashboard figure, the NPS and review CSV
// exports, and erasing one customer (including VACUUM and the WAL checkpoint) take.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { loadDashboard } from '../src/lib/server/moderate/dashboard.ts';
import { eraseContact } from '../src/lib/server/moderate/erasure.ts';
import { exportNpsAnswersCsv, exportReviewsCsv } from '../src/lib/server/moderate/export.ts';

const answers = Number(process.env.BENCH_DASHBOARD_ANSWERS ?? 100_000);
const customers = Math.max(1, Math.floor(answers / 5));
const reviewCount = Math.max(1, Math.floor(answers / 20));
/** Targets: a dashboard that opens without a noticeable wait, exports and an erasure well within a request. */
const target = { dashboardMs: 500, npsExportMs: 3000, reviewsExportMs: 1000, eraseMs: 5000 };

const directory = mkdtempSync(join(tmpdir(), 'review-wall-bench-dashboard-'));
const db = await openDatabase({ url: `file:${join(directory, 'bench.db')}` });
await migrateDatabase(db);
const uploadDir = join(directory, 'uploads');
const outboxDir = join(directory, 'outbox');
mkdirSync(uploadDir);
mkdirSync(outboxDir);

// Generated inside SQLite: far quicker than sending 100,000 inserts.
const start = Date.UTC(2025, 0, 1);
const day = 86_400_000;
await db.$client.batch(
  [
    {
      sql: `with recursive n(i) as (select 1 union all select i + 1 from n where i < ?)
            insert into contacts (email, name, locale) select 'customer' || i || '@example.net', 'Customer ' || i,
              case i % 6 when 0 then 'en' when 1 then 'pl' when 2 then 'ru' when 3 then 'uk' when 4 then 'lv' else 'bg' end from n`,
      args: [customers],
    },
    {
      sql: `with recursive n(i) as (select 1 union all select i + 1 from n where i < ?)
            insert into nps_responses (contact_id, score, comment, responded_at, source)
            select 1 + (i % ?), (i * 7) % 11, 'Comment ' || i, ? + i * 600000, 'csv' from n`,
      args: [answers, customers, start],
    },
    {
      sql: `with recursive n(i) as (select 1 union all select i + 1 from n where i < ?)
            insert into review_requests (contact_id, token_hash, locale, expires_at, sent_at, opened_at, submitted_at)
            select i, 'hash' || i, 'en', ? , ?, ?, ? from n`,
      args: [reviewCount, start + 400 * day, start, start + day, start + day],
    },
    {
      sql: `insert into reviews (request_id, contact_id, rating, body, name_display, locale, consent_at, status, moderated_at, submitted_at)
            select id, contact_id, 1 + (id % 5), 'A review of some length, written by customer ' || contact_id || '.', 'full', 'en', ?,
              case id % 4 when 0 then 'pending' when 1 then 'rejected' else 'approved' end, ?, ? from review_requests`,
      args: [start + day, start + 2 * day, start + day],
    },
    { sql: `insert into incentives (review_id, contact_id, state) select id, contact_id, 'sent' from reviews`, args: [] },
    { sql: `insert into publish_runs (started_by, status, started_at, finished_at) values ('bench', 'succeeded', ?, ?)`, args: [start + 3 * day, start + 3 * day] },
  ],
  'write',
);

async function median(runs: number, work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)]! * 10) / 10;
}

const dashboardMs = await median(5, () => loadDashboard(db));
const figures = await loadDashboard(db);
const npsExportMs = await median(3, () => exportNpsAnswersCsv(db));
const npsCsvBytes = Buffer.byteLength(await exportNpsAnswersCsv(db));
const reviewsExportMs = await median(3, () => exportReviewsCsv(db));
const eraseStarted = performance.now();
const report = await eraseContact(db, { email: 'customer7@example.net' }, { id: null, label: 'bench' }, { uploadDir, outboxDir });
const eraseMs = Math.round((performance.now() - eraseStarted) * 10) / 10;
db.$client.close();
rmSync(directory, { recursive: true, force: true });

const measured = { dashboardMs, npsExportMs, reviewsExportMs, eraseMs };
const result = {
  date: new Date().toISOString(),
  node: process.version,
  data: { answers, customers, reviews: reviewCount, overallNps: figures.overall.nps, npsCsvBytes },
  target,
  measured,
  erased: report,
};
console.log(JSON.stringify(result, null, 2));
const resultsDir = join(import.meta.dirname, 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, 'dashboard.json'), `${JSON.stringify(result, null, 2)}\n`);
const row = (name: string, key: keyof typeof target) => `| ${name} | ${measured[key]} ms | ${target[key]} ms | ${measured[key] <= target[key] ? 'yes' : 'no'} |`;
writeFileSync(
  join(resultsDir, 'dashboard.md'),
  `### Dashboard, exports and erasure

${answers.toLocaleString('en')} NPS answers from ${customers.toLocaleString('en')} customers, ${reviewCount.toLocaleString('en')} reviews, a local libSQL file (median of several runs; the erasure once).

| operation | time | target | within |
| --- | --- | --- | --- |
${row('load every dashboard figure', 'dashboardMs')}
${row(`NPS answers CSV export (${(npsCsvBytes / 1024 / 1024).toFixed(1)} MB)`, 'npsExportMs')}
${row('reviews CSV export', 'reviewsExportMs')}
${row('erase one customer (transaction, VACUUM, WAL truncate)', 'eraseMs')}
`,
);
const missed = (Object.keys(target) as (keyof typeof target)[]).filter((key) => measured[key] > target[key]);
if (missed.length) {
  console.error(`dashboard bench: over target: ${missed.join(', ')}`);
  process.exitCode = 1;
}
