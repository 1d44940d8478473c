import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importNpsCsv } from '../../../src/lib/server/listen/nps-import.ts';
import { isolatedEnvironment, runNpm } from '../../helpers/app.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';

// `npm run tick -- --dry-run` as an operator runs it before turning a cron job on: it counts the
// notification work waiting (new events, deliveries due and retries), not only scheduled jobs.
describe('npm run tick -- --dry-run', { timeout: 120_000 }, () => {
  let database: TemporaryDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    database = await createTemporaryDatabase();
    // Slack is configured, but a dry run must never reach it: the address answers nothing.
    env = { ...isolatedEnvironment(database.directory, 4321), DATABASE_URL: database.url, SLACK_WEBHOOK_URL: 'http://127.0.0.1:9/never' };
  });
  afterAll(() => database.cleanup());

  const table = async (name: string) => Number((await database.db.$client.execute(`select count(*) as n from ${name}`)).rows[0]!.n);

  it('counts new events and deliveries due, and changes nothing', async () => {
    const csv = 'email,score,comment,responded_at\na@example.com,9,Great,2026-11-01T10:00:00Z\nb@example.com,3,Slow,2026-11-02T10:00:00Z\n';
    await importNpsCsv(database.db, Readable.from([csv]), { source: 'csv', defaultLocale: 'en' });
    // One older event already turned into a delivery whose retry is due.
    const eventId = String((await database.db.$client.execute('select id from outbox_events order by occurred_at limit 1')).rows[0]!.id);
    await database.db.$client.execute({ sql: 'update outbox_events set fanned_out_at = ? where id = ?', args: [Date.now() - 60_000, eventId] });
    await database.db.$client.execute({
      sql: "insert into webhook_deliveries (event_id, endpoint, body, status, attempts, next_attempt_at) values (?, 'slack', '{}', 'pending', 1, ?)",
      args: [eventId, Date.now() - 1000],
    });

    const result = await runNpm('tick', ['--', '--dry-run'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('due: 1 new event to turn into notifications');
    expect(result.stdout).toContain('due: 1 notification to send (Slack, webhooks), retries included');
    expect(result.stdout).toContain('Dry run, nothing done: 0 jobs, 1 new event and 1 notification due.');
    const [delivery] = (await database.db.$client.execute('select attempts, status from webhook_deliveries')).rows;
    expect(delivery).toMatchObject({ attempts: 1, status: 'pending' });
    expect(await table('webhook_deliveries')).toBe(1);
    expect(Number((await database.db.$client.execute('select count(*) as n from outbox_events where fanned_out_at is null')).rows[0]!.n)).toBe(1);
  });
});
