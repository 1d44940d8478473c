import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { campaignInvitationJobKind, invitationCampaignJobKind, invitationCampaignProgress, startInvitationCampaign } from '../../../src/lib/server/ask/invitation-campaigns.ts';
import { importNpsCsv } from '../../../src/lib/server/listen/nps-import.ts';
import { runDueJobs } from '../../../src/lib/server/schedule/job-runner.ts';
import { claimDueJobs, claimLeaseMs } from '../../../src/lib/server/schedule/scheduler.ts';
import { jobHandlers } from '../../../src/lib/server/schedule/tick.ts';
import { campaignInvitationHandler } from '../../../src/lib/server/ask/invitation-campaigns.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';
import { configWith, outboxJobContext, outboxMessages } from '../../helpers/surveys.ts';

let temporary: TemporaryDatabase;
beforeEach(async () => {
  temporary = await createTemporaryDatabase();
});
afterEach(() => temporary.cleanup());

const config = configWith();
const csv = [
  'email,name,locale,score',
  'ana@example.com,Ana,en,10',
  'bartek@example.com,Bartek,pl,9',
  'chris@example.com,Chris,en,9',
  'dana@example.com,Dana,en,3',
  'eli@example.com,Eli,en,7',
].join('\n');

async function importCustomers() {
  await importNpsCsv(temporary.db, Readable.from([csv]), { source: 'csv', defaultLocale: 'en' });
}

const at = (minutes: number) => new Date(Date.UTC(2026, 11, 1, 9, minutes));

describe('invitation campaigns from the admin', () => {
  it('invite the chosen audience once each, and a second campaign sends nothing more', async () => {
    await importCustomers();
    const outbox = join(temporary.directory, 'outbox');
    const context = outboxJobContext(temporary.db, config, outbox);
    const campaignId = await startInvitationCampaign(temporary.db, { audience: 'promoters', adminId: null, now: at(0) });
    expect(await invitationCampaignProgress(temporary.db, campaignId)).toMatchObject({ state: 'waiting', audience: 'promoters', total: 0 });

    await runDueJobs(context, jobHandlers, { now: () => at(1) });
    expect(await invitationCampaignProgress(temporary.db, campaignId)).toMatchObject({ state: 'done', total: 3, sent: 3, pending: 0, notSent: 0 });
    expect(outboxMessages(outbox).map((message) => message.headers.get('to')).sort()).toEqual(['ana@example.com', 'bartek@example.com', 'chris@example.com']);

    const second = await startInvitationCampaign(temporary.db, { audience: 'promoters', adminId: null, now: at(2) });
    await runDueJobs(context, jobHandlers, { now: () => at(3) });
    expect(await invitationCampaignProgress(temporary.db, second)).toMatchObject({ state: 'done', total: 0, sent: 0 });
    expect(outboxMessages(outbox)).toHaveLength(3);

    // "All respondents" adds the passive and the detractor, and records that audience with their requests.
    const all = await startInvitationCampaign(temporary.db, { audience: 'all', adminId: null, now: at(4) });
    await runDueJobs(context, jobHandlers, { now: () => at(5) });
    expect(await invitationCampaignProgress(temporary.db, all)).toMatchObject({ state: 'done', audience: 'all', total: 2, sent: 2 });
    const { rows } = await temporary.db.$client.execute('select c.email, q.audience from review_requests q join contacts c on c.id = q.contact_id order by c.email');
    expect(rows.map((row) => [row.email, row.audience])).toEqual([
      ['ana@example.com', 'promoters'],
      ['bartek@example.com', 'promoters'],
      ['chris@example.com', 'promoters'],
      ['dana@example.com', 'all'],
      ['eli@example.com', 'all'],
    ]);
    expect(outboxMessages(outbox)).toHaveLength(5);
  });

  it('survive a tick that dies half-way: the next tick finishes the campaign and nobody gets two emails', async () => {
    await importCustomers();
    const outbox = join(temporary.directory, 'outbox');
    const context = outboxJobContext(temporary.db, config, outbox);
    const campaignId = await startInvitationCampaign(temporary.db, { audience: 'promoters', adminId: null, now: at(0) });
    // A tick schedules the campaign's invitations...
    await runDueJobs(context, jobHandlers, { now: () => at(1), kinds: [invitationCampaignJobKind] });
    // ...and another claims them all, sends the first email and dies before recording anything.
    const claimed = await claimDueJobs(temporary.db, { holder: 'dead-tick', now: at(1), limit: 10, kinds: [campaignInvitationJobKind] });
    expect(claimed).toHaveLength(3);
    await campaignInvitationHandler.run(context, claimed[0]!, at(1));
    expect(outboxMessages(outbox)).toHaveLength(1);
    expect(await invitationCampaignProgress(temporary.db, campaignId)).toMatchObject({ state: 'sending', total: 3, sent: 0, pending: 3 });

    // Within the claim nothing happens; once it ran out, the next tick finishes the work.
    expect((await runDueJobs(context, jobHandlers, { now: () => at(2) })).claimed).toBe(0);
    const after = new Date(at(1).getTime() + claimLeaseMs + 1000);
    await runDueJobs(context, jobHandlers, { now: () => after });
    expect(await invitationCampaignProgress(temporary.db, campaignId)).toMatchObject({ state: 'done', total: 3, sent: 3, pending: 0 });
    const recipients = outboxMessages(outbox).map((message) => message.headers.get('to'));
    expect(recipients.sort()).toEqual(['ana@example.com', 'bartek@example.com', 'chris@example.com']);
    const { rows } = await temporary.db.$client.execute("select count(*) as n, count(distinct contact_id) as contacts from email_log where kind = 'invite'");
    expect(rows[0]).toMatchObject({ n: 3, contacts: 3 });
  });
});
