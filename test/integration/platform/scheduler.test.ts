import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/client.ts';
import { runDueJobs, type JobHandler } from '../../../src/lib/server/schedule/job-runner.ts';
import { claimDueJobs, maxJobAttempts, scheduleJob } from '../../../src/lib/server/schedule/scheduler.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';
import { configWith, outboxJobContext } from '../../helpers/surveys.ts';

let temporary: TemporaryDatabase;
beforeEach(async () => {
  temporary = await createTemporaryDatabase();
});
afterEach(() => temporary.cleanup());

const at = (iso: string) => new Date(iso);

describe('scheduled jobs', () => {
  it('schedules a piece of work once per key', async () => {
    const job = { kind: 'test.work', key: 'work:1', dueAt: at('2026-12-01T10:00:00Z') };
    expect(await scheduleJob(temporary.db, job)).toBe(true);
    expect(await scheduleJob(temporary.db, { ...job, dueAt: at('2026-12-02T10:00:00Z') })).toBe(false);
    const { rows } = await temporary.db.$client.execute('select key, due_at from scheduled_jobs');
    expect(rows.map((row) => ({ ...row }))).toEqual([{ key: 'work:1', due_at: at('2026-12-01T10:00:00Z').getTime() }]);
  });

  it('claims only due work that nobody holds, and claims it again once the claim ran out', async () => {
    await scheduleJob(temporary.db, { kind: 'test.work', key: 'due', dueAt: at('2026-12-01T10:00:00Z') });
    await scheduleJob(temporary.db, { kind: 'test.work', key: 'later', dueAt: at('2026-12-01T12:00:00Z') });
    const now = at('2026-12-01T11:00:00Z');
    const first = await claimDueJobs(temporary.db, { holder: 'a', now, limit: 10 });
    expect(first.map((job) => job.key)).toEqual(['due']);
    expect(await claimDueJobs(temporary.db, { holder: 'b', now, limit: 10 })).toEqual([]);
    // Holder a died: after the lease, b gets it, as the second attempt.
    const later = new Date(now.getTime() + 6 * 60 * 1000);
    const again = await claimDueJobs(temporary.db, { holder: 'b', now: later, limit: 10 });
    expect(again.map((job) => [job.key, job.attempts])).toEqual([['due', 2]]);
  });

  it('gives each of two processes claiming together a different share, never the same row', async () => {
    for (let index = 0; index < 300; index++) await scheduleJob(temporary.db, { kind: 'test.work', key: `work:${index}`, dueAt: at('2026-12-01T10:00:00Z') });
    const other = await openDatabase({ url: temporary.url });
    try {
      const now = at('2026-12-01T11:00:00Z');
      const claims = await Promise.all(
        Array.from({ length: 6 }, (_, index) => claimDueJobs(index % 2 ? other : temporary.db, { holder: `holder-${index}`, now, limit: 70 })),
      );
      const keys = claims.flat().map((job) => job.key);
      expect(keys).toHaveLength(300);
      expect(new Set(keys).size).toBe(300);
    } finally {
      other.$client.close();
    }
  });

  it('retries a failing job with growing pauses and gives up after the last attempt, keeping the reason', async () => {
    await scheduleJob(temporary.db, { kind: 'test.flaky', key: 'flaky', dueAt: at('2026-12-01T10:00:00Z') });
    const handler: JobHandler = { type: 'task', kind: 'test.flaky', run: async () => ({ status: 'retry', error: 'the helpdesk is down' }) };
    const context = outboxJobContext(temporary.db, configWith(), `${temporary.directory}/outbox`);
    let now = at('2026-12-01T10:00:00Z');
    const dueTimes: number[] = [];
    for (let attempt = 1; attempt <= maxJobAttempts; attempt++) {
      const summary = await runDueJobs(context, [handler], { now: () => now });
      expect(summary.claimed).toBe(1);
      const { rows } = await temporary.db.$client.execute("select due_at, done_at, outcome, last_error from scheduled_jobs where key = 'flaky'");
      expect(rows[0]!.last_error).toBe('the helpdesk is down');
      if (attempt < maxJobAttempts) {
        expect(rows[0]!.done_at).toBeNull();
        dueTimes.push(Number(rows[0]!.due_at) - now.getTime());
        now = new Date(Number(rows[0]!.due_at));
      } else {
        expect(rows[0]!.outcome).toBe('failed');
        expect(rows[0]!.done_at).not.toBeNull();
      }
    }
    expect(dueTimes[0]).toBe(60_000);
    expect(dueTimes.every((delay, index) => index === 0 || delay >= dueTimes[index - 1]!)).toBe(true);
    // Finished for good: nothing due any more.
    expect((await runDueJobs(context, [handler], { now: () => new Date(now.getTime() + 86_400_000) })).claimed).toBe(0);
  });

  it('a job whose handler throws is handed back, not lost', async () => {
    await scheduleJob(temporary.db, { kind: 'test.boom', key: 'boom', dueAt: at('2026-12-01T10:00:00Z') });
    const handler: JobHandler = {
      type: 'task',
      kind: 'test.boom',
      run: async () => {
        throw new Error('database is locked');
      },
    };
    const summary = await runDueJobs(outboxJobContext(temporary.db, configWith(), `${temporary.directory}/outbox`), [handler], { now: () => at('2026-12-01T10:00:00Z') });
    expect(summary).toMatchObject({ claimed: 1, retried: 1 });
    const { rows } = await temporary.db.$client.execute("select done_at, claimed_by, last_error from scheduled_jobs where key = 'boom'");
    expect({ ...rows[0] }).toEqual({ done_at: null, claimed_by: null, last_error: 'database is locked' });
  });
});
