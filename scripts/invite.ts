#!/usr/bin/env node
// npm run invite: email a personal review link to each chosen respondent who has none yet.
import { openAppContext } from '../src/lib/server/platform/app-context.ts';
import { parseCommandLine, runCommand, UsageError } from '../src/lib/server/platform/cli.ts';
import { createRequestPacer } from '../src/lib/server/thank/incentives.ts';
import { isInviteAudience } from '../src/lib/ask/invite-audience.ts';
import { inviteCandidate, isInFlight, selectInvitationCandidates } from '../src/lib/server/ask/invitations.ts';
import { counted } from '../src/lib/plural.ts';

const help = `Usage: npm run invite [-- --audience promoters|all] [-- --dry-run]

Creates a review request for each chosen respondent who has none yet and emails them a
personal link in their language (through Resend, or into OUTBOX_DIR without RESEND_API_KEY).
Running it again sends nothing twice; unsubscribed customers are skipped. Each request
records the audience it was sent under and the incentive it promised: the public pages say
how reviews were collected from these, not from the config.

  --audience promoters   only customers whose most recent NPS answer is 9 or 10 (default,
                         unless review-wall.config.ts sets invite.audience)
  --audience all         every customer who answered the survey
  --rate N               emails a second sent to Resend (default 2, Resend's default limit)
  --dry-run              list who would be invited, without writing or sending

A request created but not sent by a run that stopped is sent by a run at least 10 minutes
later (a younger one may be in the middle of being sent by another run).

Exit codes: 0 done, 1 some emails failed (run again later to retry them), 2 bad usage or
configuration.`;

runCommand('invite', async () => {
  const { values, positionals } = parseCommandLine({
    audience: { type: 'string' },
    rate: { type: 'string' },
    'dry-run': { type: 'boolean' },
  });
  if (values.help) {
    console.log(help);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values.audience !== undefined && !isInviteAudience(values.audience)) {
    throw new UsageError(`--audience: expected "promoters" or "all", not "${values.audience}"`);
  }
  const rate = values.rate === undefined ? 2 : Number(values.rate);
  if (!Number.isFinite(rate) || rate <= 0) throw new UsageError(`--rate: expected a number of emails a second above 0, not "${values.rate}"`);
  const { db, config, env, mailer } = await openAppContext();
  // The config only sets the default; each request records the audience actually used.
  const audience = values.audience ?? config.invite.audience;
  const candidates = await selectInvitationCandidates(db, {
    audience,
    enabledLocales: config.locales.enabled,
    defaultLocale: config.locales.default,
  });
  const who = (count: number) => (audience === 'all' ? counted(count, 'respondent') : counted(count, 'promoter'));

  if (values['dry-run']) {
    for (const candidate of candidates) {
      const note =
        candidate.unsentRequestId === null
          ? ''
          : isInFlight(candidate)
            ? ' (created in the last 10 minutes and not sent yet: left for a later run)'
            : ' (its earlier email never went out)';
      console.log(`would invite ${candidate.email} (${candidate.locale}, latest score ${candidate.score})${note}`);
    }
    console.log(`Dry run, nothing written or sent: would invite ${who(candidates.length)}.`);
    return 0;
  }

  const counts = { sent: 0, 'already-sent': 0, skipped: 0, 'in-flight': 0, failed: 0 };
  // Resend limits requests a second; the outbox has no limit.
  const pace = mailer.transport.name === 'resend' ? createRequestPacer(rate) : async () => {};
  for (const candidate of candidates) {
    try {
      await pace();
      counts[await inviteCandidate({ db, mailer, config, siteUrl: env.SITE_URL, audience }, candidate)]++;
    } catch (error) {
      counts.failed++;
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      process.stderr.write(`invite: could not email ${candidate.email}: ${reason}\n`);
    }
  }
  const transport = mailer.transport.name === 'outbox' ? ` (written to ${env.OUTBOX_DIR})` : '';
  console.log(
    `Invited ${who(counts.sent)}${transport}; ${counts['already-sent']} had already been sent, ${counts.skipped} skipped, ${counts.failed} failed.`,
  );
  if (counts['in-flight'] > 0) {
    console.log(
      `${counts['in-flight'] === 1 ? '1 review request was' : `${counts['in-flight']} review requests were`} created in the last 10 minutes but not sent, by another run or one that stopped: run again after 10 minutes to send them.`,
    );
  }
  return counts.failed > 0 ? 1 : 0;
});
