import { eq } from 'drizzle-orm';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../db/client.ts';
import { publishRuns } from '../../../db/schema.ts';
import {
  claimPublishRun,
  listPublishRuns,
  publishSite,
  queuedPublishRequest,
  queuePublishRequest,
  requestPublish,
  startPublishInBackground,
} from '../../../src/lib/server/publish/publish.ts';
import { runScript } from '../../helpers/app.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';
import { seedReviews } from '../../helpers/reviews.ts';

// The admin's Publish button and the publish-after-approval setting start real builds in the
// background; the request that started one must not wait for it.

let database: TemporaryDatabase;
let options: Parameters<typeof startPublishInBackground>[0];
/** A second connection to the same file, as another process (npm run publish, a second server) has. */
let other: Database;

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
  other = await openDatabase({ url: database.url });
});

afterAll(() => {
  other?.$client.close();
  database?.cleanup();
});

/** Marks runs this test claimed without building as finished, so the next test starts idle. */
async function finishClaimed(ids: number[]): Promise<void> {
  for (const id of ids) await database.db.update(publishRuns).set({ status: 'succeeded', finishedAt: new Date() }).where(eq(publishRuns.id, id));
}

describe('claiming a publish run', () => {
  it('lets exactly one of many simultaneous claims from two connections run; the others are busy', async () => {
    const claims = await Promise.all(
      Array.from({ length: 6 }, (_, i) => claimPublishRun(i % 2 === 0 ? database.db : other, `admin-${i}@example.com`)),
    );
    const won = claims.filter((id): id is number => id !== null);
    expect(won).toHaveLength(1);
    expect(await database.db.select().from(publishRuns).where(eq(publishRuns.status, 'running'))).toHaveLength(1);
    // publishSite itself answers busy while that run is going, without building.
    const busy = await publishSite({ ...options, db: other, startedBy: 'cli' });
    expect(busy).toEqual({ status: 'busy', runId: won[0] });
    await finishClaimed(won);
  });

  it('still treats a run left "running" for over 15 minutes as crashed', async () => {
    const crashed = await claimPublishRun(database.db, 'crashed@example.com', Date.now() - 16 * 60 * 1000);
    expect(crashed).not.toBeNull();
    const next = await claimPublishRun(other, 'next@example.com');
    expect(next).not.toBeNull();
    await finishClaimed([crashed!, next!]);
  });

  it('keeps one queued request, and the next publish that starts covers it', async () => {
    await queuePublishRequest(database.db, 'hider@example.com');
    await queuePublishRequest(other, 'redactor@example.com');
    expect(await database.db.select().from(publishRuns).where(eq(publishRuns.status, 'queued'))).toHaveLength(1);
    const run = await claimPublishRun(other, 'start');
    expect(run).not.toBeNull();
    expect(await queuedPublishRequest(database.db)).toBeNull();
    const [request] = await database.db.select().from(publishRuns).where(eq(publishRuns.startedBy, 'hider@example.com'));
    expect(request).toMatchObject({ status: 'superseded' });
    expect(request!.finishedAt).not.toBeNull();
    // A request made while that run goes is not covered by it: it stays queued for the end of the run.
    await queuePublishRequest(database.db, 'late@example.com');
    expect(await queuedPublishRequest(other)).toMatchObject({ startedBy: 'late@example.com' });
    await finishClaimed([run!]);
    await database.db.delete(publishRuns).where(eq(publishRuns.status, 'queued'));
  });

  it('npm run publish during another process\'s run asks for one more publish instead of failing', async () => {
    const running = await claimPublishRun(other, 'server@example.com');
    const result = await runScript('publish', [], options.env as Record<string, string>);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Another publish (run ${running}) is running; it publishes again when it ends`);
    expect(await queuedPublishRequest(database.db)).toMatchObject({ startedBy: 'cli' });
    await finishClaimed([running!]);
    await database.db.delete(publishRuns).where(eq(publishRuns.status, 'queued'));
  }, 60_000);
});

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

  it('publishes again when another process\'s run ends, if a change asked for a publish while it ran', async () => {
    await seedReviews(database.db, [{ name: 'Grace Hopper', body: 'Approved while a build ran.' }]);
    // `npm run publish` in another process: its run is the running one.
    const script = runScript('publish', [], options.env as Record<string, string>);
    const deadline = Date.now() + 60_000;
    while (!(await listPublishRuns(database.db)).some((run) => run.status === 'running' && run.startedBy === 'cli')) {
      if (Date.now() > deadline) throw new Error(`npm run publish did not start: ${(await script).stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // An approval arrives in this process while that build runs: it must not be left out of the pages.
    const request = await requestPublish({ ...options, startedBy: 'approver@example.com' });
    expect(request.status).toBe('queued');
    // The other process serves the request when its run ends, before it exits.
    const finished = await script;
    expect(finished.code, finished.stderr).toBe(0);
    const runs = (await listPublishRuns(database.db)).filter((run) => run.status !== 'superseded');
    expect(runs[0]).toMatchObject({ status: 'succeeded', startedBy: 'approver@example.com', reviewCount: 2 });
    expect(runs[1]).toMatchObject({ status: 'succeeded', startedBy: 'cli' });
    expect(await queuedPublishRequest(database.db)).toBeNull();
  }, 180_000);
});
