#!/usr/bin/env node
// npm start: check the configuration, bind the port, migrate, load the demo on first run, publish, serve.
import { ConfigError } from '../src/lib/config-schema.ts';
import { getConfig } from '../src/lib/config.ts';
import { promiseOf } from '../src/lib/ask/promised-incentive.ts';
import { openAppContext } from '../src/lib/server/platform/app-context.ts';
import { parseCommandLine, runCommand } from '../src/lib/server/platform/cli.ts';
import { hasDemoData, isDatabaseEmpty, loadDemo, refreshDemoAccess } from '../src/lib/server/platform/demo.ts';
import { publishSite, queuedPublishRequest, readPointer, siteLayout } from '../src/lib/server/publish/publish.ts';
import { keepRendererWarm } from '../src/lib/server/publish/renderer-process.ts';
import { deleteStaleRateLimits } from '../src/lib/server/platform/rate-limit.ts';
import { bindSitePort, startSiteServer, type BoundPort } from '../src/lib/server/publish/site-server.ts';
import { getEnvironment } from '../src/lib/server/platform/env.ts';
import { jobContextFor, startTickLoop } from '../src/lib/server/schedule/tick.ts';
import { counted } from '../src/lib/plural.ts';

const help = `Usage: npm start [-- --no-demo] [-- --skip-publish] [-- --no-tick]

Checks review-wall.config.ts and the environment, takes HOST:PORT (default localhost:4321;
requests get 503 "starting" until the site is ready), applies database migrations, loads the
demo dataset into an empty database (unless --no-demo), rebuilds the public pages, and serves
the site. When the port is in use it stops at once, having changed nothing.

  --no-demo        do not load demo data into an empty database
  --skip-publish   serve the pages already published instead of rebuilding them first
                   (unless a publish was asked for and has not run yet)
  --no-tick        do not do the due work (delayed surveys, reminders, autopilot) in this
                   process: for deployments that run npm run tick from cron instead. Same as
                   TICK_INTERVAL_SECONDS=0; by default it runs every 60 seconds.`;

runCommand('start', async () => {
  const { values } = parseCommandLine({ 'no-demo': { type: 'boolean' }, 'skip-publish': { type: 'boolean' }, 'no-tick': { type: 'boolean' } });
  if (values.help) {
    console.log(help);
    return 0;
  }
  // Before anything reads the environment: the server's pages read it too (the admin says whether ticks run here).
  if (values['no-tick']) process.env.TICK_INTERVAL_SECONDS = '0';
  // The port first: a second start on a port in use must stop before it publishes or claims a build.
  getConfig();
  const { HOST, PORT, SITE_URL } = getEnvironment();
  const bound = await bindSitePort(HOST, PORT, SITE_URL);
  if (bound.kind === 'in-use') throw new Error(`port ${PORT} is in use (another npm start?)`);
  if (bound.kind === 'unavailable') throw new Error(`cannot listen on ${HOST}:${PORT}: ${bound.reason}`);
  try {
    return await serve(bound.port, values);
  } catch (error) {
    await bound.port.close();
    throw error;
  }
});

/** Everything after the port is bound: migrate, demo, publish, then serve until stopped. */
async function serve(port: BoundPort, values: { 'no-demo'?: boolean | undefined; 'skip-publish'?: boolean | undefined }): Promise<never> {
  const app = await openAppContext();
  const { config, env, db } = app;
  const lifetimeDays = config.tokens.lifetimeDays;

  if (!values['no-demo'] && (await isDatabaseEmpty(db))) {
    await loadDemo(db, { lifetimeDays, ...promiseOf(config) });
    console.log('Loaded the demo dataset (remove it with: npm run demo -- --clear).');
  }

  const layout = siteLayout(env.SITE_DIR);
  // This process publishes after approvals for as long as it runs: its renderer stays ready.
  keepRendererWarm();
  // A publish asked for while another ran, left waiting when that process stopped, runs now too.
  if (!values['skip-publish'] || !(await readPointer(layout.current)) || (await queuedPublishRequest(db))) {
    process.stdout.write('Publishing the public pages… ');
    const result = await publishSite({ db, siteDir: env.SITE_DIR, startedBy: 'start' });
    if (result.status === 'failed') {
      if (!(await readPointer(layout.current))) throw new ConfigError(`publish failed: ${result.error}`);
      console.log(`failed (${result.error}); serving the previous pages.`);
    } else if (result.status === 'succeeded') {
      console.log(`done: ${counted(result.reviewCount, 'review')} in ${(result.durationMs / 1000).toFixed(1)} s.`);
    } else {
      console.log('another publish is running; serving the current pages.');
    }
  }

  // Refreshed before serving so the demo lines follow the "Review wall on" line at once.
  const demoAccess = (await hasDemoData(db)) ? await refreshDemoAccess(db, { lifetimeDays, password: process.env.DEMO_ADMIN_PASSWORD }) : null;
  const site = await startSiteServer({
    bound: port,
    siteDir: env.SITE_DIR,
    host: env.HOST,
    port: env.PORT,
    proxy: env.TRUST_PROXY > 0 ? { hops: env.TRUST_PROXY, publicUrl: env.SITE_URL } : undefined,
    directReviewFormPosts: true,
    siteUrl: env.SITE_URL,
  });
  console.log(`Review wall on ${site.url}/  (admin: ${site.url}/admin/)`);
  if (demoAccess) {
    console.log(`Demo admin: ${demoAccess.adminEmail} / ${demoAccess.adminPassword}`);
    if (demoAccess.reviewToken) console.log(`Demo review link: ${env.SITE_URL}/r/${demoAccess.reviewToken}`);
  }

  // Housekeeping: rate-limit counters of ended windows, now and every hour.
  const sweep = () =>
    void deleteStaleRateLimits(db).catch((error: unknown) => console.error('housekeeping: could not delete old rate-limit counters:', error instanceof Error ? error.message : error));
  sweep();
  setInterval(sweep, 60 * 60 * 1000).unref();

  // The embedded scheduler: due surveys, reminders, autopilot rounds, delayed invitations.
  const ticks = env.TICK_INTERVAL_SECONDS > 0 ? startTickLoop(jobContextFor(app), env.TICK_INTERVAL_SECONDS) : null;
  console.log(ticks ? `Due work (surveys, reminders) runs here every ${env.TICK_INTERVAL_SECONDS} s.` : 'Due work is left to npm run tick (the in-process tick is off).');

  const stop = () => {
    void Promise.all([site.close(), ticks?.stop()]).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return await new Promise<never>(() => {});
}
