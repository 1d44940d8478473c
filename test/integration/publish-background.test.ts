import { eq } from 'drizzle-orm';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishRuns } from '../../db/schema.ts';
import { listPublishRuns, publishAfterApproval, startPublishInBackground } from '../../src/lib/server/publish.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../helpers/database.ts';
import { seedReviews } from '../helpers/reviews.ts';

// The admin's Publish button and the publish-after-approval setting start real builds in the
// background; the request that started one must not wait for it.

let database: TemporaryDatabase;
let options: Parameters<typeof startPublishInBackground>[0];

async function waitUntilIdle(): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const running = await database.db.select().from(publishRuns).where(eq(publishRuns.status, 'running'));
    if (running.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('publish did not finish');
}

beforeAll(async () => {
  database = await createTemporaryDatabase();
  await seedReviews(database.db, [{ name: 'Ada Lovelace', body: 'Exactly what we needed.' }]);
  const siteDir = join(database.directory, 'site');
  const env = { ...process.env, DATABASE_URL: database.url, SITE_DIR: siteDir, UPLOAD_DIR: join(database.directory, 'uploads') };
  options = { db: database.db, siteDir, startedBy: 'marketer@example.com', env };
});

afterAll(() => database?.cleanup());

describe('publishing in the background', () => {
  it('returns as soon as the run is recorded, refuses a second one meanwhile, and records who, how many and how long', async () => {
    const first = await startPublishInBackground(options);
    expect(first.status).toBe('started');
    // It resolved while the build still runs: a request that starts a publish does not wait for it.
    const [running] = await listPublishRuns(database.db);
    expect(running).toMatchObject({ id: first.runId, status: 'running', startedBy: 'marketer@example.com' });

    const second = await startPublishInBackground({ ...options, startedBy: 'someone-else@example.com' });
    expect(second).toEqual({ status: 'busy', runId: first.runId });

    await waitUntilIdle();
    const [done] = await listPublishRuns(database.db);
    expect(done).toMatchObject({ id: first.runId, status: 'succeeded', reviewCount: 1, startedBy: 'marketer@example.com', error: null });
    expect(done!.durationMs).toBeGreaterThan(0);
  }, 120_000);

  it('publishes again after a run that was busy when a review was approved', async () => {
    await seedReviews(database.db, [{ name: 'Grace Hopper', body: 'Approved while a build ran.' }]);
    const first = await startPublishInBackground(options);
    expect(first.status).toBe('started');
    // An approval arrives while that build runs: it must not be left out of the pages.
    await publishAfterApproval({ ...options, startedBy: 'approver@example.com' });
    // The follow-up run starts when the first ends; wait until it has finished too.
    const deadline = Date.now() + 120_000;
    while (!(await listPublishRuns(database.db)).some((run) => run.startedBy === 'approver@example.com' && run.status !== 'running')) {
      if (Date.now() > deadline) throw new Error('no publish followed the approval');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const runs = await listPublishRuns(database.db);
    expect(runs[0]).toMatchObject({ status: 'succeeded', startedBy: 'approver@example.com', reviewCount: 2 });
    expect(runs[1]).toMatchObject({ id: first.runId, status: 'succeeded' });
  }, 180_000);
});
