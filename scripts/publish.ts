#!/usr/bin/env node
// npm run publish: rebuild the public pages from the database and swap them in.
import { openAppContext } from '../src/lib/server/platform/app-context.ts';
import { parseCommandLine, runCommand } from '../src/lib/server/platform/cli.ts';
import { publishSite, queuePublishRequest } from '../src/lib/server/publish/publish.ts';
import { count, eq } from 'drizzle-orm';
import { reviews } from '../db/schema.ts';
import { counted } from '../src/lib/plural.ts';

const help = `Usage: npm run publish [-- --dry-run]

Rebuilds the wall, the testimonial pages, the feed and the widget from the approved reviews
into a new folder under SITE_DIR and swaps it in atomically. A failed build leaves the
previous pages live. While another publish runs, asks it to publish once more when it ends.

  --dry-run   say how many reviews would be published, build nothing
  --verbose   show the astro build output`;

runCommand('publish', async () => {
  const { values } = parseCommandLine({ 'dry-run': { type: 'boolean' }, verbose: { type: 'boolean' } });
  if (values.help) {
    console.log(help);
    return 0;
  }
  const { db, env } = await openAppContext();
  if (values['dry-run']) {
    const [row] = await db.select({ value: count() }).from(reviews).where(eq(reviews.status, 'approved'));
    console.log(`Would publish ${counted(row?.value ?? 0, 'approved review')}.`);
    return 0;
  }
  const publish = () =>
    publishSite({
      db,
      siteDir: env.SITE_DIR,
      startedBy: 'cli',
      onOutput: values.verbose ? (line) => console.log(line) : undefined,
    });
  let result = await publish();
  if (result.status === 'busy') {
    // That run may have read the database before the changes to publish: it builds once more when
    // it ends. If it ended just now without seeing the request, the retry runs (and covers) it.
    await queuePublishRequest(db, 'cli');
    result = await publish();
  }
  if (result.status === 'busy') {
    console.log(`Another publish (run ${result.runId}) is running; it publishes again when it ends, with these changes.`);
    return 0;
  }
  if (result.status === 'failed') throw new Error(`publish failed, the previous pages stay live: ${result.error}`);
  console.log(`Published ${counted(result.reviewCount, 'review')} in ${(result.durationMs / 1000).toFixed(1)} s.`);
});
