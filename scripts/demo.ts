#!/usr/bin/env node
// npm run demo: load or remove the clearly marked demo dataset.
import { promiseOf } from '../src/lib/ask/promised-incentive.ts';
import { openAppContext } from '../src/lib/server/platform/app-context.ts';
import { parseCommandLine, runCommand, UsageError } from '../src/lib/server/platform/cli.ts';
import { clearDemo, findDemoOutboxFiles, hasDemoData, loadDemo, refreshDemoAccess } from '../src/lib/server/platform/demo.ts';
import { counted } from '../src/lib/plural.ts';

const help = `Usage: npm run demo [-- --clear] [-- --dry-run]

Loads the demo dataset (35 multilingual customers, 63 NPS answers, approved and pending
reviews, a demo admin) and prints the demo admin's login and a review link.

  --clear     remove every demo row instead (customers, answers, reviews, the demo admin)
              and the emails sent to demo customers from the outbox (OUTBOX_DIR)
  --dry-run   say what would happen without writing`;

runCommand('demo', async () => {
  const { values, positionals } = parseCommandLine({ clear: { type: 'boolean' }, 'dry-run': { type: 'boolean' } });
  if (values.help) {
    console.log(help);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const { db, config, env } = await openAppContext();
  const present = await hasDemoData(db);
  if (values.clear) {
    if (values['dry-run']) {
      const files = await findDemoOutboxFiles(db, env.OUTBOX_DIR);
      console.log(present ? `Would remove the demo dataset and ${counted(files.length, 'demo email')} from ${env.OUTBOX_DIR}.` : 'No demo data to remove.');
      return 0;
    }
    const removed = await clearDemo(db, { outboxDir: env.OUTBOX_DIR });
    console.log(
      `Removed the demo dataset (${counted(removed.contacts, 'demo customer')}) and ${counted(removed.outboxFiles, 'email')} to them from ${env.OUTBOX_DIR}. ` +
        'Run npm run publish to update the public pages.',
    );
    return 0;
  }
  if (present) {
    console.log('The demo dataset is already loaded.');
  } else if (values['dry-run']) {
    console.log('Would load the demo dataset.');
    return 0;
  } else {
    await loadDemo(db, { lifetimeDays: config.tokens.lifetimeDays, ...promiseOf(config) });
    console.log('Loaded the demo dataset. Run npm run publish to update the public pages.');
  }
  const access = await refreshDemoAccess(db, { lifetimeDays: config.tokens.lifetimeDays, password: process.env.DEMO_ADMIN_PASSWORD });
  console.log(`Demo admin: ${access.adminEmail} / ${access.adminPassword}`);
  if (access.reviewToken) console.log(`Demo review link: ${env.SITE_URL}/r/${access.reviewToken}`);
});
