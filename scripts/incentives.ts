#!/usr/bin/env node
// npm run incentives: send every reviewer the promised thank-you, exactly once.
import { readFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { openAppContext, type AppContext } from '../src/lib/server/platform/app-context.ts';
import { parseCommandLine, runCommand, UsageError } from '../src/lib/server/platform/cli.ts';
import { acquireCommandLock, CommandLockHeldError, type CommandLock } from '../src/lib/server/platform/command-lock.ts';
import { assignGiftCodes, countUnusedGiftCodes, GiftCodeFileError, giftCodesInUse, parseGiftCodesCsv, type ParsedGiftCodes } from '../src/lib/server/thank/gift-codes.ts';
import {
  countIncentivesByState,
  defaultMaxAttempts,
  deliverIncentives,
  incentiveLocale,
  createRequestPacer,
  selectIncentiveRecipients,
  type DeliveryProgress,
} from '../src/lib/server/thank/incentives.ts';
import { createResendBatchSender } from '../src/lib/server/platform/mail.ts';
import { counted } from '../src/lib/plural.ts';

const help = `Usage: npm run incentives [-- --dry-run] [-- --codes FILE.csv] [-- --rate N] [-- --max-attempts N]

Sends the promised incentive to everyone who submitted a review, whatever the rating, the
text or the moderation outcome. Through Resend (RESEND_API_KEY set) it sends batches of up to
100 emails per request; otherwise each email becomes an .eml file in OUTBOX_DIR. A run that
is interrupted can simply be run again: nobody is skipped and nobody gets two emails. Only
one run sends at a time: a second one started meanwhile stops at once and sends nothing.

  --dry-run          list who would get an incentive, with counts per state and language; writes nothing
  --codes FILE.csv   add gift codes (a CSV with a "code" column) and give each new reviewer one;
                     stops before sending anything if there are not enough unused codes
  --rate N           at most N requests a second to Resend (default 2, Resend's default limit)
  --max-attempts N   runs that may try a failed incentive before it waits for "retry" in the
                     admin (default ${defaultMaxAttempts})

Exit codes: 0 all sent, 1 some failed (or another run was sending), 2 bad usage.`;

function positiveNumber(name: string, value: string | undefined, fallback: number, integer = false): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0 || (integer && !Number.isInteger(number))) {
    throw new UsageError(`--${name}: expected a positive ${integer ? 'whole ' : ''}number, got "${value}"`);
  }
  return number;
}

function readCodes(file: string): ParsedGiftCodes {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--codes: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return parseGiftCodesCsv(text);
  } catch (error) {
    if (error instanceof GiftCodeFileError) throw new UsageError(`--codes ${file}: ${error.message}`);
    throw error;
  }
}

function formatCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts);
  return entries.length ? entries.map(([key, value]) => `${key} ${value}`).join(', ') : 'none';
}

interface SendOptions {
  lock: CommandLock | null;
  parsed: ParsedGiftCodes | null;
  file: string | undefined;
  rate: number;
  maxAttempts: number;
  dryRun: boolean;
}

/** The run itself, once the lock is held (or for a dry run, which only reads). */
async function send({ db, config, env, mailer }: AppContext, { lock, parsed, file, rate, maxAttempts, dryRun }: SendOptions): Promise<number> {
  const recipients = await selectIncentiveRecipients(db, { maxAttempts });
  const codesInUse = parsed !== null || (await giftCodesInUse(db));
  // Rows already handed to the provider keep their exact message, so only fresh rows get codes.
  const needingCodes = codesInUse ? recipients.filter((recipient) => !recipient.code && !recipient.batchKey) : [];

  if (dryRun) {
    const byLocale: Record<string, number> = {};
    for (const recipient of recipients) {
      const locale = incentiveLocale(config, recipient.locale);
      byLocale[locale] = (byLocale[locale] ?? 0) + 1;
    }
    console.log(`Ledger: ${formatCounts(await countIncentivesByState(db))}`);
    console.log(`Would send ${counted(recipients.length, 'incentive')} (${formatCounts(byLocale)}) via ${env.RESEND_API_KEY ? 'Resend' : `the outbox ${env.OUTBOX_DIR}`}`);
    for (const recipient of recipients) {
      const attempts = recipient.attempts ? `, ${counted(recipient.attempts, 'attempt')} so far` : '';
      console.log(`  #${recipient.incentiveId} ${recipient.email} [${incentiveLocale(config, recipient.locale)}] ${recipient.state}${attempts}`);
    }
    if (codesInUse) {
      const unused = await countUnusedGiftCodes(db);
      const fromFile = parsed ? ` (plus up to ${parsed.codes.length} from ${file})` : '';
      console.log(`${needingCodes.length} need a gift code; the pool has ${unused} unused${fromFile}.`);
    }
    console.log('Dry run: nothing was written or sent.');
    return 0;
  }

  if (codesInUse && (needingCodes.length > 0 || parsed)) {
    const assignment = await assignGiftCodes(db, { newCodes: parsed?.codes ?? [], incentiveIds: needingCodes.map((recipient) => recipient.incentiveId) });
    const known = assignment.alreadyKnown ? ` (${assignment.alreadyKnown} already in the pool, not added again)` : '';
    console.log(`Gift codes: ${assignment.added} added${known}, ${assignment.assigned} assigned, ${assignment.remaining} unused left.`);
  }
  if (recipients.length === 0) {
    console.log(`No incentives to send. Ledger: ${formatCounts(await countIncentivesByState(db))}`);
    return 0;
  }

  const sendBatch = env.RESEND_API_KEY
    ? createResendBatchSender({ apiKey: env.RESEND_API_KEY, baseUrl: env.RESEND_BASE_URL, beforeRequest: createRequestPacer(rate) })
    : null;
  const bar = process.stdout.isTTY
    ? new cliProgress.SingleBar({ format: 'incentives [{bar}] {value}/{total} sent, {failed} failed', hideCursor: true }, cliProgress.Presets.shades_classic)
    : null;
  bar?.start(recipients.length, 0, { failed: 0 });
  const onProgress = (progress: DeliveryProgress) => {
    if (bar) bar.update(progress.sent, { failed: progress.failed });
    else console.log(`batch ${progress.batch}/${progress.batches}: ${progress.sent} sent, ${progress.failed} failed of ${progress.total}`);
  };
  const summary = await deliverIncentives({ config, mailer, sendBatch, maxAttempts, onProgress, lock, siteUrl: env.SITE_URL }).finally(() => bar?.stop());

  const counts = await countIncentivesByState(db);
  const via = summary.transport === 'resend' ? 'Resend' : `the outbox ${env.OUTBOX_DIR}`;
  const repeated = summary.repeatedBatches ? `, ${summary.repeatedBatches} repeated from an interrupted run` : '';
  console.log(`Sent ${summary.sent} of ${counted(summary.total, 'incentive')} via ${via} in ${counted(summary.batches, 'batch', 'batches')}${repeated}.`);
  console.log(`Ledger: ${formatCounts(counts)}`);
  if (summary.stopped) {
    console.log('Stopped early: this run lost its lock (the database was out of reach for a while, or the run was paused) and sent nothing more; the run that took over, or the next run, sends the rest.');
    return 1;
  }
  if (summary.failed > 0) {
    console.log(`${summary.failed} failed; the next run retries them (up to ${counted(maxAttempts, 'attempt')}), and the admin shows why at /admin/incentives/.`);
    return 1;
  }
  return 0;
}

runCommand('incentives', async () => {
  const { values, positionals } = parseCommandLine({
    'dry-run': { type: 'boolean' },
    codes: { type: 'string' },
    rate: { type: 'string' },
    'max-attempts': { type: 'string' },
  });
  if (values.help) {
    console.log(help);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const rate = positiveNumber('rate', values.rate, 2);
  const maxAttempts = positiveNumber('max-attempts', values['max-attempts'], defaultMaxAttempts, true);
  const file = values.codes;
  // The file is checked before anything is opened or written.
  const parsed = file ? readCodes(file) : null;
  if (file && parsed?.duplicates.length) {
    console.log(`${file}: ignored ${counted(parsed.duplicates.length, 'duplicate code')} (each code is used once)`);
  }

  const context = await openAppContext();
  // One run at a time (a cron job and a person, or two machines on one database): a dry run only reads.
  let lock: CommandLock | null = null;
  if (!values['dry-run']) {
    try {
      lock = await acquireCommandLock(context.db, 'incentives');
    } catch (error) {
      if (!(error instanceof CommandLockHeldError)) throw error;
      process.stderr.write(
        `incentives: another run is sending (${error.holder}, since ${error.since.toISOString()}); nothing was sent. ` +
          'Wait for it to finish; a run that was killed frees its place at once on the same machine, or after a minute elsewhere.\n',
      );
      return 1;
    }
  }
  try {
    return await send(context, { lock, parsed, file, rate, maxAttempts, dryRun: values['dry-run'] === true });
  } finally {
    await lock?.release();
  }
});
