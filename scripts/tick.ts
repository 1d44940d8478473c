#!/usr/bin/env node
// npm run tick: do the work that is due (delayed surveys, reminders, autopilot rounds, delayed review invitations).
import { openAppContext } from '../src/lib/server/platform/app-context.ts';
import { parseCommandLine, runCommand, UsageError } from '../src/lib/server/platform/cli.ts';
import { counted } from '../src/lib/plural.ts';
import { countDueNotifications } from '../src/lib/server/notify/outbox.ts';
import { countDueJobs } from '../src/lib/server/schedule/scheduler.ts';
import { defaultResendRate, describeTick, jobContextFor, runTick } from '../src/lib/server/schedule/tick.ts';

const help = `Usage: npm run tick [-- --dry-run] [-- --rate N]

Does the work that is due now: surveys after resolved tickets, survey and review-link
reminders, autopilot rounds (surveys.autopilot in review-wall.config.ts), review invitations
after survey answers, survey campaigns started from the admin, and notifications waiting in the
outbox (Slack, signed webhooks; see docs/notifications.md). Every piece of work is a row
in the database with a due time; each run claims what it does, so it is safe to run every
minute from cron or a systemd timer, on several machines at once: every email goes out once.
npm start already runs it every minute by itself (TICK_INTERVAL_SECONDS=0 or --no-tick turns
that off).

  --dry-run   list how much work of each kind is due (notifications too), without doing any
  --rate N    requests a second to Resend (default ${defaultResendRate}, Resend's default limit)

Exit codes: 0 done (work that failed is retried by a later run, with growing pauses), 1 a failure
that stopped the run, 2 bad usage or configuration.`;

runCommand('tick', async () => {
  const { values, positionals } = parseCommandLine({ 'dry-run': { type: 'boolean' }, rate: { type: 'string' } });
  if (values.help) {
    console.log(help);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const rate = values.rate === undefined ? defaultResendRate : Number(values.rate);
  if (!Number.isFinite(rate) || rate <= 0) throw new UsageError(`--rate: expected a number of requests a second above 0, not "${values.rate}"`);
  const app = await openAppContext();
  if (values['dry-run']) {
    const due = await countDueJobs(app.db);
    for (const entry of due) console.log(`due: ${entry.count} ${entry.kind}`);
    const notifications = await countDueNotifications(app.db);
    if (notifications.newEvents > 0) console.log(`due: ${counted(notifications.newEvents, 'new event')} to turn into notifications`);
    if (notifications.deliveriesDue > 0) console.log(`due: ${counted(notifications.deliveriesDue, 'notification')} to send (Slack, webhooks), retries included`);
    const jobs = due.reduce((sum, entry) => sum + entry.count, 0);
    console.log(`Dry run, nothing done: ${counted(jobs, 'job')}, ${counted(notifications.newEvents, 'new event')} and ${counted(notifications.deliveriesDue, 'notification')} due.`);
    return 0;
  }
  const summary = await runTick(jobContextFor(app, { rate }));
  console.log(`Tick: ${describeTick(summary)}.`);
  return 0;
});
