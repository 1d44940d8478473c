#!/usr/bin/env node
// Sending 10,000 incentives through `npm run incentives` (the real command, as a child process)
// to a local fake of the Resend API: how many API calls it makes and how long it takes at
// Resend's default rate limit (2 requests a second), and how long without the pacing.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { incentives } from '../db/schema.ts';
import { projectRoot } from '../test/helpers/app.ts';
import { startFakeResend } from '../test/helpers/fake-resend.ts';
import { manyReviewers, seedSubmissions } from '../test/helpers/incentive-fixtures.ts';

const count = Number(process.env.BENCH_INCENTIVES ?? 10_000);
const target = { apiCalls: Math.ceil(count / 100) };

interface Scenario {
  name: string;
  rate: string | null;
  /** Requests the fake answers with 429 (Retry-After: 1 s), to show retries in the count. */
  rateLimited: number[];
}

interface Outcome {
  scenario: string;
  rate: string;
  incentives: number;
  apiCalls: number;
  retries: number;
  largestBatch: number;
  deliveredOnce: boolean;
  seconds: number;
}

async function runScenario(scenario: Scenario): Promise<Outcome> {
  const directory = mkdtempSync(join(tmpdir(), 'review-wall-bench-incentives-'));
  const url = `file:${join(directory, 'bench.db')}`;
  const db = await openDatabase({ url });
  await migrateDatabase(db);
  await seedSubmissions(db, manyReviewers(count, 'bench'));
  const fake = await startFakeResend();
  fake.respond = (_request, index) => (scenario.rateLimited.includes(index) ? { status: 429, headers: { 'retry-after': '1' } } : undefined);

  const started = performance.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [join('scripts', 'incentives.ts'), ...(scenario.rate ? ['--rate', scenario.rate] : [])], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: url, RESEND_API_KEY: 're_bench', RESEND_BASE_URL: fake.url, OUTBOX_DIR: join(directory, 'outbox') },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (exitCode) => {
      console.log(`  ${output.match(/^Sent .*$/m)?.[0] ?? output.trim().split('\n').at(-1)}`);
      resolve(exitCode);
    });
  });
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`npm run incentives exited with ${code}`);

  const rows = await db.select({ state: incentives.state }).from(incentives);
  const keys = fake.deliveries.map((delivery) => (delivery.email.headers as Record<string, string>)['X-Idempotency-Key']);
  const deliveredOnce = rows.every((row) => row.state === 'sent') && keys.length === count && new Set(keys).size === count;
  const outcome: Outcome = {
    scenario: scenario.name,
    rate: scenario.rate ?? '2 (default)',
    incentives: count,
    apiCalls: fake.requests.length,
    retries: fake.requests.length - new Set(fake.requests.map((request) => request.headers['idempotency-key'])).size,
    largestBatch: Math.max(...fake.requests.map((request) => (request.body as unknown[]).length)),
    deliveredOnce,
    seconds: Math.round(seconds * 10) / 10,
  };
  await fake.close();
  db.$client.close();
  rmSync(directory, { recursive: true, force: true });
  return outcome;
}

const scenarios: Scenario[] = [
  { name: 'default rate limit, two 429 answers', rate: null, rateLimited: [10, 50] },
  { name: 'no pacing (--rate 1000)', rate: '1000', rateLimited: [] },
];
const outcomes: Outcome[] = [];
for (const scenario of scenarios) {
  console.log(`${count} incentives, ${scenario.name}…`);
  const outcome = await runScenario(scenario);
  console.log(`  ${outcome.apiCalls} API calls (${outcome.retries} retries), ${outcome.seconds} s, delivered once each: ${outcome.deliveredOnce}`);
  outcomes.push(outcome);
}

const resultsDir = join(import.meta.dirname, 'results');
writeFileSync(join(resultsDir, 'incentives.json'), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, target, outcomes }, null, 2)}\n`);
const table = outcomes
  .map((outcome) => `| ${outcome.scenario} | ${outcome.rate} | ${outcome.apiCalls} (${outcome.retries} retries) | ${outcome.largestBatch} | ${outcome.seconds} s | ${outcome.deliveredOnce ? 'yes' : 'NO'} |`)
  .join('\n');
writeFileSync(
  join(resultsDir, 'incentives.md'),
  `## Incentives\n\n\`npm run incentives\` sending ${count} incentives to a local fake of the Resend API (target: ≤ ${target.apiCalls} API calls plus retries).\n\n| scenario | requests/s | API calls | emails per call | wall time | each delivered once |\n| --- | --- | --- | --- | --- | --- |\n${table}\n`,
);
const failed = outcomes.some((outcome) => !outcome.deliveredOnce || outcome.apiCalls - outcome.retries > target.apiCalls);
process.exit(failed ? 1 : 0);
