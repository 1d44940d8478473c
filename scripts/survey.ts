#!/usr/bin/env node
// npm run survey: email the NPS (or CSAT, CES) question to every contact who may be surveyed now.
import cliProgress from 'cli-progress';
import { randomUUID } from 'node:crypto';
import { openAppContext } from '../src/lib/server/platform/app-context.ts';
import { parseCommandLine, runCommand, UsageError } from '../src/lib/server/platform/cli.ts';
import { runDueJobs } from '../src/lib/server/schedule/job-runner.ts';
import { defaultResendRate, jobContextFor } from '../src/lib/server/schedule/tick.ts';
import { createSurveys, selectSurveyRecipients, surveyJobKinds, surveySendHandler } from '../src/lib/server/listen/surveys.ts';
import { isSurveyKind, surveyKinds, type SurveyKind } from '../src/lib/listen/survey-kinds.ts';

const help = `Usage: npm run survey [-- --kind nps|csat|ces] [-- --dry-run] [-- --limit N] [-- --rate N]

Emails one survey question with one-click answer links to every contact who may be surveyed now:
not unsubscribed, not erased, and not surveyed with the same kind within the quiet period
(surveys.quietPeriodDays in review-wall.config.ts, default 90 days), in their language.
  nps   "How likely are you to recommend us to a friend or colleague?", 0 to 10 (the default)
  csat  "How satisfied were you with {subject}?", 1 to 5 (surveys.csat.subject, "our support")
  ces   "How easy was it to {task}?", 1 to 7 (surveys.ces.task, "get your issue solved")
Only NPS answers lead to a review request. Through Resend (RESEND_API_KEY set)
it sends batches of up to 100 emails per request; otherwise each email becomes an .eml file in
OUTBOX_DIR. Running it again right away sends nothing: everyone just surveyed is in their quiet
period. An email that fails is retried by npm run tick (npm start runs it every minute).

  --kind K    the question: nps (default), csat or ces
  --dry-run   list who would be surveyed, without writing or sending
  --limit N   survey at most N contacts (those added first)
  --rate N    requests a second to Resend (default ${defaultResendRate}, Resend's default limit)

Exit codes: 0 every survey sent, 1 some are left for npm run tick to retry, 2 bad usage or
configuration.`;

function positiveNumber(name: string, value: string | undefined, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0 || (integer && !Number.isInteger(number))) {
    throw new UsageError(`--${name}: expected a positive ${integer ? 'whole ' : ''}number, not "${value}"`);
  }
  return number;
}

runCommand('survey', async () => {
  const { values, positionals } = parseCommandLine({ 'dry-run': { type: 'boolean' }, kind: { type: 'string' }, limit: { type: 'string' }, rate: { type: 'string' } });
  if (values.help) {
    console.log(help);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const limit = positiveNumber('limit', values.limit, true);
  const rate = positiveNumber('rate', values.rate, false) ?? defaultResendRate;
  const kindName = values.kind?.trim().toLowerCase() ?? 'nps';
  if (!isSurveyKind(kindName)) throw new UsageError(`--kind: expected ${surveyKinds.join(', ')}, not "${values.kind}"`);
  const kind: SurveyKind = kindName;
  const label = kind.toUpperCase();
  const app = await openAppContext();
  const { db, config, env } = app;
  const recipients = await selectSurveyRecipients(db, config, { limit, kind });
  const quiet = `${config.surveys.quietPeriodDays} days`;

  if (values['dry-run']) {
    for (const recipient of recipients) console.log(`would survey ${recipient.email} (${recipient.locale})`);
    console.log(`Dry run, nothing written or sent: would survey ${recipients.length} contacts with the ${label} question (not unsubscribed, no ${label} survey in the last ${quiet}).`);
    return 0;
  }
  if (recipients.length === 0) {
    console.log(`Nobody to survey: every contact is unsubscribed or had a ${label} survey in the last ${quiet}.`);
    return 0;
  }

  const origin = `cli:${randomUUID()}`;
  const created = await createSurveys(db, config, { contactIds: recipients.map((recipient) => recipient.contactId), trigger: 'manual', origin, kind });
  const bar = process.stdout.isTTY
    ? new cliProgress.SingleBar({ format: 'survey [{bar}] {value}/{total} sent', hideCursor: true }, cliProgress.Presets.shades_classic)
    : null;
  bar?.start(created.length, 0);
  // The emails are due jobs like any other: sent here now, and retried by npm run tick if they fail.
  const summary = await runDueJobs(jobContextFor(app, { rate }), [surveySendHandler], {
    kinds: [surveyJobKinds.send],
    maxDurationMs: Number.POSITIVE_INFINITY,
    onProgress: (progress) => {
      if (bar) bar.update(Math.min(progress.sent, created.length));
      else console.log(`${progress.sent} of ${created.length} sent`);
    },
  }).finally(() => bar?.stop());

  const { rows } = await db.$client.execute({ sql: 'select count(*) as total, count(sent_at) as sent from surveys where origin = ?', args: [origin] });
  const sent = Number(rows[0]?.sent ?? 0);
  const via = env.RESEND_API_KEY ? `Resend (${summary.batches} requests)` : `the outbox ${env.OUTBOX_DIR}`;
  console.log(`Surveyed ${sent} of ${created.length} contacts via ${via} (${label}).`);
  if (sent < created.length) {
    console.log(`${created.length - sent} not sent yet (a failure, or another process is sending them): npm run tick retries them, and the admin shows why at /admin/scheduled/.`);
    return 1;
  }
  return 0;
});
