#!/usr/bin/env node
// npm run erase -- EMAIL: erase a customer on request (GDPR Art. 17).
import { z } from 'astro/zod';
import { openAppContext } from '../src/lib/server/platform/app-context.ts';
import { parseCommandLine, runCommand, UsageError } from '../src/lib/server/platform/cli.ts';
import { forgetErasedEmail } from '../src/lib/server/moderate/erased-emails.ts';
import { eraseContact, type ErasureReport } from '../src/lib/server/moderate/erasure.ts';
import { publishSite } from '../src/lib/server/publish/publish.ts';
import { counted } from '../src/lib/plural.ts';

const help = `Usage: npm run erase -- EMAIL [--dry-run]
       npm run erase -- --contact-id ID [--dry-run]
       npm run erase -- --allow-again EMAIL

Erases a customer for good: their contact record, NPS answers, review links, reviews,
photos (under UPLOAD_DIR), incentive records, email log and outbox messages (under
OUTBOX_DIR). Gift codes they were sent stay used and are never handed out again. The audit
log keeps only that an erasure happened. On a local database file the deleted data is
overwritten and the file vacuumed, so no copy stays on disk.

The public pages are static: if they showed a review of this customer, the command
removes its own page at once, republishes (like "npm run publish") and deletes every older
build under SITE_DIR; a build a running server loads its code from keeps only that code, none
of its pages. The admin page at /admin/erase/ does the same in the background.

What stays is a hash of their address (no name, no readable address), so that a later
import or webhook call leaves them out instead of bringing them back and emailing them.
If they come back and agree to be asked again, --allow-again EMAIL lifts that.

  --dry-run         say what would be erased, change nothing
  --contact-id ID   erase by contact id instead of email
  --allow-again     let EMAIL, erased before, be imported again

Exit codes: 0 erased (or would be, or allowed again), 1 no such customer (or not erased
before, with --allow-again), 2 bad usage.`;

function describe(report: ErasureReport): string {
  return [
    counted(report.npsAnswers, 'NPS answer'),
    counted(report.reviewRequests, 'review link'),
    counted(report.reviews, 'review'),
    counted(report.photoFiles, 'photo'),
    `${counted(report.incentives, 'incentive record')} (${report.giftCodes === 1 ? '1 gift code stays' : `${report.giftCodes} gift codes stay`} used)`,
    counted(report.emails, 'logged email'),
    counted(report.outboxFiles, 'outbox message'),
    `${counted(report.publishedBuildFiles, 'file')} of older published builds`,
    counted(report.auditEntriesScrubbed, 'audit detail'),
  ].join(', ');
}

runCommand('erase', async () => {
  const { values, positionals } = parseCommandLine({
    'dry-run': { type: 'boolean' },
    'contact-id': { type: 'string' },
    'allow-again': { type: 'boolean' },
  });
  if (values.help) {
    console.log(help);
    return 0;
  }
  const [email, extra] = positionals;
  if (extra) throw new UsageError(`unexpected argument "${extra}" (erase one customer at a time)`);
  if (values['allow-again']) {
    if (!email || values['contact-id'] !== undefined || values['dry-run']) throw new UsageError('--allow-again takes one email and nothing else: npm run erase -- --allow-again EMAIL');
    const parsed = z.email().safeParse(email.trim().toLowerCase());
    if (!parsed.success) throw new UsageError(`"${email}" is not an email address`);
    const { db } = await openAppContext();
    if (!(await forgetErasedEmail(db, parsed.data, { id: null, label: 'cli' }))) {
      process.stderr.write(`erase: ${parsed.data} was not erased before: nothing to allow\n`);
      return 1;
    }
    console.log(`${parsed.data} may be imported again; nothing of theirs was restored.`);
    return 0;
  }
  if (email && values['contact-id'] !== undefined) throw new UsageError('give an email or --contact-id, not both');
  let target: { email: string } | { contactId: number };
  if (values['contact-id'] !== undefined) {
    const id = Number(values['contact-id']);
    if (!Number.isInteger(id) || id <= 0) throw new UsageError(`--contact-id expects a positive whole number, not "${values['contact-id']}"`);
    target = { contactId: id };
  } else {
    if (!email) throw new UsageError('expected the customer email: npm run erase -- EMAIL');
    const parsed = z.email().safeParse(email.trim().toLowerCase());
    if (!parsed.success) throw new UsageError(`"${email}" is not an email address`);
    target = { email: parsed.data };
  }

  const { db, env } = await openAppContext();
  const dryRun = values['dry-run'] === true;
  let publishProblem: string | null = null;
  const republish = async () => {
    const result = await publishSite({ db, siteDir: env.SITE_DIR, startedBy: 'cli' });
    if (result.status === 'succeeded') return true;
    publishProblem = result.status === 'busy' ? `another publish (run ${result.runId}) is still running` : `the publish failed: ${result.error}`;
    return false;
  };
  const report = await eraseContact(
    db,
    target,
    { id: null, label: 'cli' },
    { uploadDir: env.UPLOAD_DIR, outboxDir: env.OUTBOX_DIR, siteDir: env.SITE_DIR, republish, dryRun },
  );
  if (!report) {
    const recorded = 'email' in target && !dryRun ? '; the address is recorded as erased, so imports and the webhook will leave it out' : '';
    process.stderr.write(`erase: no such customer: nothing was erased${recorded}\n`);
    return 1;
  }
  if (dryRun) {
    console.log(`Would erase customer #${report.contactId}: ${describe(report)}. Nothing was changed.`);
  } else {
    console.log(`Erased customer #${report.contactId}: ${describe(report)}.`);
    if (db.$client.protocol === 'file' && !report.storageScrubbed) {
      console.log('The database file was busy, so old copies of pages may stay on disk until SQLite\'s next checkpoint (at the latest when the server stops).');
    }
  }
  if (report.needsPublish && dryRun) {
    console.log('A review of theirs was approved: erasing republishes the public pages.');
  } else if (report.needsPublish && publishProblem) {
    console.log(`A review of theirs was approved, but ${publishProblem}: run "npm run publish" so it leaves the public pages.`);
  } else if (report.needsPublish) {
    console.log('A review of theirs was approved: the public pages were republished without it.');
  }
  return 0;
});
