import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contacts, emailLog, incentives } from '../../../db/schema.ts';
import { getConfig } from '../../../src/lib/config.ts';
import { deliverIncentives, retryFailedIncentives } from '../../../src/lib/server/thank/incentives.ts';
import { createOutboxTransport, createResendBatchSender, type Mailer } from '../../../src/lib/server/platform/mail.ts';
import { projectRoot } from '../../helpers/app.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';
import { startFakeResend, type FakeResend } from '../../helpers/fake-resend.ts';
import { manyReviewers, seedSubmissions } from '../../helpers/incentive-fixtures.ts';

const config = getConfig();
const from = '"Acme" <reviews@acme.example>';

let temporary: TemporaryDatabase;
let fake: FakeResend;
let mailer: Mailer;
beforeEach(async () => {
  temporary = await createTemporaryDatabase();
  fake = await startFakeResend();
  // The outbox transport is never used when a batch sender is given; it stands in for the mailer's own.
  mailer = { db: temporary.db, transport: createOutboxTransport(join(temporary.directory, 'unused')), from };
});
afterEach(async () => {
  await fake.close();
  temporary.cleanup();
});

/** How many times the fake delivered each incentive, by the email's own idempotency key. */
function deliveriesPerIncentive(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const delivery of fake.deliveries) {
    const key = (delivery.email.headers as Record<string, string>)['X-Idempotency-Key']!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Every ledger row was delivered exactly once, and the ledger holds the id the provider gave it. */
async function expectEachDeliveredOnce(count: number) {
  const rows = await temporary.db.select().from(incentives);
  expect(rows).toHaveLength(count);
  const perIncentive = deliveriesPerIncentive();
  expect(perIncentive.size).toBe(count);
  expect([...perIncentive.values()].every((times) => times === 1)).toBe(true);
  const idByKey = new Map(fake.deliveries.map((delivery) => [(delivery.email.headers as Record<string, string>)['X-Idempotency-Key'], delivery.id]));
  for (const row of rows) {
    expect(row.state).toBe('sent');
    expect(row.providerMessageId).toBe(idByKey.get(`incentive:${row.id}`));
  }
  const logged = await temporary.db.select().from(emailLog);
  expect(logged).toHaveLength(count);
  expect(logged.every((row) => row.kind === 'incentive' && row.status === 'sent' && row.transport === 'resend')).toBe(true);
}

describe('through Resend batches', () => {
  it('sends 100 per request under a key derived from the rows, retrying 429 (honouring Retry-After) and 500', async () => {
    await seedSubmissions(temporary.db, manyReviewers(250));
    fake.respond = (_request, index) =>
      index === 0 ? { status: 429, headers: { 'retry-after': '3' } } : index === 2 ? { status: 500 } : undefined;
    const waits: number[] = [];
    const sendBatch = createResendBatchSender({ apiKey: 're_test', baseUrl: fake.url, sleep: async (ms) => void waits.push(ms) });
    const summary = await deliverIncentives({ config, mailer, sendBatch });

    expect(summary).toMatchObject({ total: 250, sent: 250, failed: 0, batches: 3, transport: 'resend' });
    expect(fake.requests).toHaveLength(5);
    expect(fake.requests.every((request) => request.path === '/emails/batch')).toBe(true);
    expect(fake.requests.map((request) => (request.body as unknown[]).length)).toEqual([100, 100, 100, 100, 50]);
    const keys = fake.requests.map((request) => request.headers['idempotency-key']);
    expect(keys[0]).toMatch(/^incentives:[0-9a-f]{32}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[3]).toBe(keys[2]);
    expect(new Set(keys).size).toBe(3);
    expect(waits[0]).toBe(3000);
    expect(waits).toHaveLength(2);
    await expectEachDeliveredOnce(250);
  });

  it('abandons a request that gets no answer and repeats it under the same key, delivering nothing twice', async () => {
    await seedSubmissions(temporary.db, manyReviewers(3));
    // The first request is accepted but its answer never arrives in time.
    fake.delay = (_request, index) => (index === 0 ? 2_000 : 0);
    const sendBatch = createResendBatchSender({ apiKey: 're_test', baseUrl: fake.url, requestTimeoutMs: 200, sleep: async () => {} });
    expect(await deliverIncentives({ config, mailer, sendBatch })).toMatchObject({ sent: 3, failed: 0 });
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]!.headers['idempotency-key']).toBe(fake.requests[0]!.headers['idempotency-key']);
    await expectEachDeliveredOnce(3);
  });

  it('keeps the batch key of a request that kept failing, and the next run repeats that very request', async () => {
    await seedSubmissions(temporary.db, manyReviewers(150));
    fake.respond = (_request, index) => (index < 2 ? { status: 503 } : undefined);
    const sendBatch = createResendBatchSender({ apiKey: 're_test', baseUrl: fake.url, maxAttempts: 2, sleep: async () => {} });
    const first = await deliverIncentives({ config, mailer, sendBatch });
    expect(first).toMatchObject({ total: 150, sent: 50, failed: 100 });
    const failed = (await temporary.db.select().from(incentives)).filter((row) => row.state === 'failed');
    expect(failed).toHaveLength(100);
    expect(failed[0]).toMatchObject({ attempts: 1, lastError: expect.stringContaining('HTTP 503'), batchKey: fake.requests[0]!.headers['idempotency-key'] });

    const second = await deliverIncentives({ config, mailer, sendBatch });
    expect(second).toMatchObject({ total: 100, sent: 100, failed: 0, repeatedBatches: 1 });
    expect(fake.requests.at(-1)!.headers['idempotency-key']).toBe(fake.requests[0]!.headers['idempotency-key']);
    await expectEachDeliveredOnce(150);
  });

  it('repeats a batch left in "sending" with its own rows and key, even when other rows would now sort between them', async () => {
    const seeded = await seedSubmissions(temporary.db, manyReviewers(5));
    fake.respond = (_request, index) => (index === 0 ? { status: 422, body: { statusCode: 422, name: 'validation_error', message: 'bad' } } : undefined);
    const sendBatch = createResendBatchSender({ apiKey: 're_test', baseUrl: fake.url, sleep: async () => {} });
    // Batches [1,2] (refused), [3,4] and [5].
    expect(await deliverIncentives({ config, mailer, sendBatch, batchSize: 2 })).toMatchObject({ sent: 3, failed: 2 });
    // A crash right after Resend accepted [3,4] leaves them in "sending"; then contact 2 is erased and "retry" pressed.
    const [, second, third, fourth] = seeded;
    await temporary.db
      .update(incentives)
      .set({ state: 'sending', providerMessageId: null })
      .where(inArray(incentives.id, [third!.incentiveId, fourth!.incentiveId]));
    await temporary.db.delete(contacts).where(eq(contacts.id, second!.contactId));
    await retryFailedIncentives(temporary.db);

    const rerun = await deliverIncentives({ config, mailer, sendBatch, batchSize: 2 });
    expect(rerun).toMatchObject({ total: 3, sent: 3, repeatedBatches: 1 });
    expect(fake.requests.at(-2)!.headers['idempotency-key']).toBe(fake.requests[1]!.headers['idempotency-key']);
    await expectEachDeliveredOnce(4);
  });

  it('never re-sends under a new key when Resend says the key was used for other content (409)', async () => {
    const seeded = await seedSubmissions(temporary.db, manyReviewers(2));
    const sendBatch = createResendBatchSender({ apiKey: 're_test', baseUrl: fake.url, sleep: async () => {} });
    await deliverIncentives({ config, mailer, sendBatch });
    // A crash before the answer was recorded, then the reviewer's name was edited.
    await temporary.db.update(incentives).set({ state: 'sending' });
    await temporary.db.update(contacts).set({ name: 'Renamed' }).where(eq(contacts.id, seeded[0]!.contactId));

    for (let run = 0; run < 2; run++) {
      expect(await deliverIncentives({ config, mailer, sendBatch })).toMatchObject({ failed: 2, sent: 0 });
      const rows = await temporary.db.select().from(incentives);
      expect(rows.every((row) => row.state === 'failed' && row.batchKey === fake.requests[0]!.headers['idempotency-key'])).toBe(true);
      expect(rows[0]!.lastError).toContain('HTTP 409');
    }
    expect(fake.deliveries).toHaveLength(2);
  });

  it('lets rows of a refused request (422: nothing sent) join a new batch next time', async () => {
    await seedSubmissions(temporary.db, manyReviewers(3));
    fake.respond = (_request, index) => (index === 0 ? { status: 422, body: { statusCode: 422, name: 'validation_error', message: 'Invalid `from` field.' } } : undefined);
    const sendBatch = createResendBatchSender({ apiKey: 're_test', baseUrl: fake.url, sleep: async () => {} });
    expect(await deliverIncentives({ config, mailer, sendBatch })).toMatchObject({ failed: 3 });
    expect(fake.requests).toHaveLength(1);
    const rows = await temporary.db.select().from(incentives);
    expect(rows.every((row) => row.state === 'failed' && row.batchKey === null && row.lastError?.includes('Invalid `from` field.'))).toBe(true);
    expect(await deliverIncentives({ config, mailer, sendBatch })).toMatchObject({ sent: 3 });
    await expectEachDeliveredOnce(3);
  });
});

/** Runs `npm run incentives` as a child process; `killWhen` is polled and SIGKILLs it once true. */
function runIncentives(args: string[], killWhen?: () => boolean) {
  const child = spawn(process.execPath, [join('scripts', 'incentives.ts'), ...args], {
    cwd: projectRoot,
    env: {
      ...process.env,
      DATABASE_URL: temporary.url,
      OUTBOX_DIR: join(temporary.directory, 'outbox'),
      RESEND_API_KEY: 're_test_key',
      RESEND_BASE_URL: fake.url,
      FORCE_COLOR: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const timer = killWhen
    ? setInterval(() => {
        if (killWhen()) child.kill('SIGKILL');
      }, 2)
    : undefined;
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
    child.on('close', (code, signal) => {
      clearInterval(timer);
      resolve({ code, signal, output });
    }),
  );
}

describe('npm run incentives, killed with SIGKILL mid-run and run again', () => {
  it('delivers every incentive exactly once', { timeout: 60_000 }, async () => {
    await seedSubmissions(temporary.db, manyReviewers(250));
    // Answers are held back, so a kill lands while a request is in flight: the fake has
    // delivered the batch, the command never hears so.
    fake.delay = () => 250;
    fake.respond = (_request, index) =>
      index === 1 ? { status: 429, headers: { 'retry-after': '1' } } : index === 4 ? { status: 500 } : undefined;
    const args = ['--rate', '50'];

    // Run 1: batch 1 sent, batch 2 rate-limited, retried, accepted... and the command dies.
    const first = await runIncentives(args, () => fake.requests.length >= 3);
    expect(first.signal).toBe('SIGKILL');
    const afterFirst = await temporary.db.select().from(incentives);
    expect(afterFirst.filter((row) => row.state === 'sending')).toHaveLength(100);
    expect(afterFirst.filter((row) => row.state === 'sent')).toHaveLength(100);
    expect(fake.deliveries).toHaveLength(200);

    // Run 2: repeats batch 2 under its key (nothing new delivered), batch 3 meets a 500, its retry is accepted, and the command dies again.
    const second = await runIncentives(args, () => fake.requests.length >= 6);
    expect(second.signal).toBe('SIGKILL');
    expect(fake.requests[3]!.headers['idempotency-key']).toBe(fake.requests[2]!.headers['idempotency-key']);
    expect(fake.deliveries).toHaveLength(250);

    // Then run until the command says it is done.
    let last = { code: null as number | null, signal: null as NodeJS.Signals | null, output: '' };
    for (let run = 0; run < 3 && last.code !== 0; run++) last = await runIncentives(args);
    expect(last.code).toBe(0);
    expect(last.output).toMatch(/Sent 50 of 50 incentives via Resend in 1 batch, 1 repeated from an interrupted run\./);
    expect(last.output).toMatch(/Ledger: pending 0, sending 0, sent 250, failed 0/);

    await expectEachDeliveredOnce(250);
    const keys = fake.requests.map((request) => request.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(3);
    // A run after everything was sent makes no request at all.
    const idle = await runIncentives(args);
    expect(idle.code).toBe(0);
    expect(idle.output).toMatch(/No incentives to send/);
    expect(fake.requests).toHaveLength(keys.length);
  });
});

describe('two runs of npm run incentives at once', () => {
  it('lets only one send: the second stops with one line and sends nothing, the first delivers each once', { timeout: 60_000 }, async () => {
    await seedSubmissions(temporary.db, manyReviewers(250));
    // The fake holds its answers until the second run has ended, so the first is still sending
    // however slowly the machine starts the second.
    let release!: () => void;
    fake.hold = new Promise((resolve) => (release = resolve));
    const first = runIncentives(['--rate', '50']);
    // The second starts while the first is sending its first batch.
    while (fake.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await runIncentives(['--rate', '50']).finally(() => release());
    expect(second.code).toBe(1);
    expect(second.output).toMatch(/^incentives: another run is sending \(.+:\d+, since .+\); nothing was sent\./);
    const done = await first;
    expect(done.code, done.output).toBe(0);
    expect(fake.requests).toHaveLength(3);
    await expectEachDeliveredOnce(250);
    // The finished run gave its place back.
    expect((await temporary.db.$client.execute('select count(*) as n from command_locks')).rows[0]?.n).toBe(0);
    expect((await runIncentives(['--rate', '50'])).output).toMatch(/No incentives to send/);
  });
});
