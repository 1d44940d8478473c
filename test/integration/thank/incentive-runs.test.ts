import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireCommandLock } from '../../../src/lib/server/platform/command-lock.ts';
import { runDueJobs } from '../../../src/lib/server/schedule/job-runner.ts';
import { jobHandlers } from '../../../src/lib/server/schedule/tick.ts';
import { incentiveRunProgress, startIncentiveRun } from '../../../src/lib/server/thank/incentive-runs.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';
import { manyReviewers, seedSubmissions } from '../../helpers/incentive-fixtures.ts';
import { configWith, outboxJobContext, outboxMessages } from '../../helpers/surveys.ts';

let temporary: TemporaryDatabase;
beforeEach(async () => {
  temporary = await createTemporaryDatabase();
});
afterEach(() => temporary.cleanup());

const config = configWith();

describe('sending incentives from the admin', () => {
  it('thanks every reviewer once, in the background, and a second run sends nothing more', async () => {
    await seedSubmissions(temporary.db, manyReviewers(3));
    const outbox = join(temporary.directory, 'outbox');
    const context = outboxJobContext(temporary.db, config, outbox);
    const runId = await startIncentiveRun(temporary.db, { adminId: null });
    expect(await incentiveRunProgress(temporary.db, runId)).toMatchObject({ state: 'waiting', ledger: { pending: 3, sent: 0 } });

    await runDueJobs(context, jobHandlers);
    expect(await incentiveRunProgress(temporary.db, runId)).toMatchObject({ state: 'done', outcome: '3 of 3 sent', ledger: { pending: 0, sent: 3 } });
    expect(outboxMessages(outbox)).toHaveLength(3);

    const again = await startIncentiveRun(temporary.db, { adminId: null });
    await runDueJobs(context, jobHandlers);
    expect(await incentiveRunProgress(temporary.db, again)).toMatchObject({ state: 'done', outcome: '0 of 0 sent' });
    expect(outboxMessages(outbox)).toHaveLength(3);
  });

  it('waits while npm run incentives is sending, then sends what is left', async () => {
    await seedSubmissions(temporary.db, manyReviewers(2));
    const outbox = join(temporary.directory, 'outbox');
    const context = outboxJobContext(temporary.db, config, outbox);
    const lock = await acquireCommandLock(temporary.db, 'incentives', { holder: 'other-machine:1:42' });
    const runId = await startIncentiveRun(temporary.db, { adminId: null });
    await runDueJobs(context, jobHandlers);
    expect(await incentiveRunProgress(temporary.db, runId)).toMatchObject({ state: 'waiting', lastError: 'another run is sending (other-machine:1:42)', ledger: { pending: 2 } });
    expect(outboxMessages(outbox)).toHaveLength(0);

    await lock.release();
    await runDueJobs(context, jobHandlers, { now: () => new Date(Date.now() + 61_000) });
    expect(await incentiveRunProgress(temporary.db, runId)).toMatchObject({ state: 'done', outcome: '2 of 2 sent' });
    expect(outboxMessages(outbox)).toHaveLength(2);
  });
});
