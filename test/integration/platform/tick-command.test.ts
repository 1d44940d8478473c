import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../db/client.ts';
import { migrateDatabase } from '../../../db/migrate.ts';
import { createSurveys } from '../../../src/lib/server/listen/surveys.ts';
import { projectRoot } from '../../helpers/app.ts';
import { startFakeResend, type FakeResend } from '../../helpers/fake-resend.ts';
import { startSqld } from '../../helpers/sqld.ts';
import { addContacts, configWith } from '../../helpers/surveys.ts';

/** Runs `npm run tick` as cron would, in its own process. */
function npmRunTick(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn('npm', ['run', '--silent', 'tick', '--', '--rate', '1000'], { cwd: projectRoot, env: { ...process.env, ...env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const locations: Record<string, () => Promise<{ url: string; done: () => Promise<void> | void }>> = {
  'a file database': async () => {
    const directory = mkdtempSync(join(tmpdir(), 'review-wall-tick-'));
    return { url: `file:${join(directory, 'tick.db')}`, done: () => rmSync(directory, { recursive: true, force: true }) };
  },
  'a real sqld server': async () => {
    const server = await startSqld();
    return { url: server.url, done: () => server.stop() };
  },
};

// 1,500 surveys are three chunks of 500 a tick claims at a time; the fake answers each batch after
// 100 ms, so both processes are sending while the other claims.
const surveys = 1500;

describe.each(Object.keys(locations))('two npm run tick processes started together on %s', (kind) => {
  let db: Database;
  let done: () => Promise<void> | void;
  let fake: FakeResend;
  let url: string;
  const outbox = mkdtempSync(join(tmpdir(), 'review-wall-tick-outbox-'));

  beforeAll(async () => {
    const location = await locations[kind]!();
    ({ url, done } = location);
    db = await openDatabase({ url });
    await migrateDatabase(db);
    fake = await startFakeResend();
    fake.delay = () => 100;
  });
  afterAll(async () => {
    db?.$client.close();
    await fake?.close();
    await done?.();
    rmSync(outbox, { recursive: true, force: true });
  });

  it('send each email exactly once, and leave nothing due', { timeout: 180_000 }, async () => {
    const contacts = await addContacts(db, surveys);
    const created = await createSurveys(db, configWith(), { contactIds: contacts.map((contact) => contact.id), trigger: 'manual', origin: 'test' });
    expect(created).toHaveLength(surveys);
    const env = { DATABASE_URL: url, RESEND_API_KEY: 're_test', RESEND_BASE_URL: fake.url, OUTBOX_DIR: outbox, SITE_URL: 'https://reviews.acme.example' };

    const [first, second] = await Promise.all([npmRunTick(env), npmRunTick(env)]);
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);

    const keys = fake.deliveries.map((delivery) => (delivery.email.headers as Record<string, string>)['X-Idempotency-Key']);
    expect(keys).toHaveLength(surveys);
    expect(new Set(keys).size).toBe(surveys);
    expect(new Set(fake.deliveries.map((delivery) => delivery.email.to)).size).toBe(surveys);
    // One request per batch key: no batch was sent twice either.
    const requestKeys = fake.requests.map((request) => request.headers['idempotency-key']);
    expect(new Set(requestKeys).size).toBe(requestKeys.length);
    expect(requestKeys.length).toBe(surveys / 100);

    const { rows } = await db.$client.execute(`select
      (select count(*) from email_log where status = 'sent' and attempts = 1) as sent_once,
      (select count(*) from surveys where sent_at is not null) as surveys_sent,
      (select count(*) from scheduled_jobs where kind = 'survey.send' and outcome = 'sent') as jobs_done,
      (select count(distinct claimed_by) from scheduled_jobs) as still_claimed,
      (select count(*) from scheduled_jobs where kind = 'survey.reminder' and done_at is null) as reminders_waiting`);
    expect({ ...rows[0] }).toEqual({ sent_once: surveys, surveys_sent: surveys, jobs_done: surveys, still_claimed: 0, reminders_waiting: surveys });
    // How the work was shared is up to the race; it shows in the output.
    console.log(`${kind}: ${first.stdout.trim()} | ${second.stdout.trim()}`);
  });
});
