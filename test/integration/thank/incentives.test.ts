import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contacts, emailLog, incentives, reviews } from '../../../db/schema.ts';
import { getConfig } from '../../../src/lib/config.ts';
import { parseReviewWallConfig } from '../../../src/lib/config-schema.ts';
import { supportedLocales } from '../../../src/lib/locales.ts';
import { acquireCommandLock } from '../../../src/lib/server/platform/command-lock.ts';
import { eraseContact } from '../../../src/lib/server/moderate/erasure.ts';
import {
  deliverIncentives,
  incentiveBatchKey,
  incentiveMessage,
  incentiveRecipientsQuery,
  renderIncentiveEmail,
  retryFailedIncentives,
  selectIncentiveRecipients,
} from '../../../src/lib/server/thank/incentives.ts';
import { createOutboxTransport, sendMail, type Mailer, type MailMessage, type MailTransport } from '../../../src/lib/server/platform/mail.ts';
import { projectRoot } from '../../helpers/app.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';
import { testConfig } from '../../helpers/config.ts';
import { seedSubmissions, type SubmissionSeed } from '../../helpers/incentive-fixtures.ts';

const config = getConfig();
const from = '"Acme" <reviews@acme.example>';

let temporary: TemporaryDatabase;
let outbox: string;
let mailer: Mailer;
beforeEach(async () => {
  temporary = await createTemporaryDatabase();
  outbox = join(temporary.directory, 'outbox');
  mailer = { db: temporary.db, transport: createOutboxTransport(outbox), from };
});
afterEach(() => temporary.cleanup());

/** Who would be thanked, and with exactly which email. */
async function recipientsAndEmails() {
  const recipients = await selectIncentiveRecipients(temporary.db);
  return recipients.map((recipient) => {
    const message = incentiveMessage(config, recipient);
    return { to: message.to, key: message.idempotencyKey, subject: message.subject, text: message.text, html: message.html };
  });
}

describe('who gets an incentive', () => {
  it('reads only the ledger, contacts and what the invitation promised: the query cannot see ratings or moderation', () => {
    const { sql } = incentiveRecipientsQuery(temporary.db).toSQL();
    expect(sql).toMatch(/from "incentives"/);
    expect(sql).not.toMatch(/"reviews"/);
    expect(sql).not.toMatch(/rating|status|featured|redacted/);
  });

  it('gives the same recipients the same emails for any ratings, texts and moderation outcomes', async () => {
    const reviewers: SubmissionSeed[] = supportedLocales.flatMap((locale, index) => [
      { email: `a${index}@example.com`, name: `Ana ${index}`, locale },
      { email: `b${index}@example.com`, name: null, locale },
    ]);
    const seeded = await seedSubmissions(temporary.db, reviewers);
    const baseline = await recipientsAndEmails();
    expect(baseline).toHaveLength(reviewers.length);

    const outcome = fc.record({
      rating: fc.integer({ min: 1, max: 5 }),
      status: fc.constantFrom('pending', 'approved', 'rejected', 'hidden'),
      featured: fc.boolean(),
      redacted: fc.boolean(),
      body: fc.string({ minLength: 1, maxLength: 200 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(outcome, { minLength: seeded.length, maxLength: seeded.length }), async (outcomes) => {
        await temporary.db.batch(
          outcomes.map((next, index) =>
            temporary.db
              .update(reviews)
              .set({
                rating: next.rating,
                status: next.status,
                featured: next.featured,
                redactedAt: next.redacted ? new Date() : null,
                rejectionReason: next.status === 'rejected' ? 'spam' : null,
                body: next.body,
              })
              .where(eq(reviews.id, seeded[index]!.reviewId)),
          ) as [never, ...never[]],
        );
        expect(await recipientsAndEmails()).toEqual(baseline);
      }),
      { numRuns: 60 },
    );
  });

  it('sends a 1-star rejected review and a 5-star approved one the same email', async () => {
    await seedSubmissions(temporary.db, [
      { email: 'grumpy@example.com', name: 'Olga', locale: 'uk', rating: 1, status: 'rejected', body: 'Terrible.' },
      { email: 'happy@example.com', name: 'Irina', locale: 'uk', rating: 5, status: 'approved', featured: true, body: 'Wonderful!' },
    ]);
    // The real outbox, watched on the way: what was handed to it is what the reviewers get.
    const sent: MailMessage[] = [];
    const outboxTransport = createOutboxTransport(outbox);
    const recording: MailTransport = { name: 'outbox', send: (message, sender) => (sent.push(message), outboxTransport.send(message, sender)) };
    const summary = await deliverIncentives({ config, mailer: { ...mailer, transport: recording } });
    expect(summary).toMatchObject({ total: 2, sent: 2, failed: 0 });
    expect(readdirSync(outbox)).toHaveLength(2);

    const [grumpy, happy] = sent;
    expect(grumpy!.to).toBe('grumpy@example.com');
    expect(happy!.to).toBe('happy@example.com');
    const withoutName = (message: MailMessage, name: string) =>
      [message.subject, message.text, message.html].map((part) => part.replaceAll(name, 'NAME'));
    expect(withoutName(grumpy!, 'Olga')).toEqual(withoutName(happy!, 'Irina'));
    expect(grumpy!.text).toContain('подарункову картку на 10 $');
    expect(grumpy!.text).toContain('не залежала ні від вашої оцінки');
  });

  it('still thanks an unsubscribed reviewer, and not a contact who was erased', async () => {
    const [kept, erased] = await seedSubmissions(temporary.db, [
      { email: 'quiet@example.com', unsubscribed: true },
      { email: 'gone@example.com' },
    ]);
    const report = await eraseContact(
      temporary.db,
      { contactId: erased!.contactId },
      { id: null, label: 'cli' },
      { uploadDir: join(temporary.directory, 'uploads'), outboxDir: outbox },
    );
    expect(report?.incentives).toBe(1);
    const recipients = await selectIncentiveRecipients(temporary.db);
    expect(recipients.map((recipient) => recipient.incentiveId)).toEqual([kept!.incentiveId]);
    // Deleting a contact row any other way takes its incentive with it too.
    await temporary.db.delete(contacts).where(eq(contacts.id, kept!.contactId));
    expect(await selectIncentiveRecipients(temporary.db)).toEqual([]);
  });
});

describe('what they get', () => {
  it.each(supportedLocales)('writes the email in %s, with the configured incentive and the honesty line', (locale) => {
    const email = renderIncentiveEmail(config, { name: 'Ana', locale, code: 'GIFT-123' });
    const incentive = (config.incentive.translations as Record<string, string>)[locale] ?? config.incentive.text;
    expect(email.text).toContain(incentive);
    expect(email.text).toContain('GIFT-123');
    expect(email.text).toContain('Ana');
    expect(email.html).toContain(`lang="${locale}"`);
    expect(email.html).toContain(config.business.colors.primary);
    expect(email.subject).toContain(config.business.name);
    if (locale !== 'en') expect(email.text).not.toContain(renderIncentiveEmail(config, { name: 'Ana', locale: 'en', code: null }).text.split('\n')[2]);
  });

  it('names the incentive the invitation promised, in the email’s language, not today’s config', async () => {
    await seedSubmissions(temporary.db, [
      // Invited when the business gave a jar of honey, in every language it spoke then.
      { email: 'honey.pl@example.com', locale: 'pl', incentive: 'a jar of honey', incentiveTranslations: { en: 'a jar of honey', pl: 'słoik miodu' } },
      // Invited before translations were recorded, with a promise that is still today's.
      { email: 'same.uk@example.com', locale: 'uk', incentive: config.incentive.text },
      // Invited before translations were recorded, with a promise that is not today's.
      { email: 'mug.ru@example.com', locale: 'ru', incentive: 'a mug' },
      // Invited before anything was recorded.
      { email: 'old.lv@example.com', locale: 'lv' },
    ]);
    const texts = new Map((await selectIncentiveRecipients(temporary.db)).map((recipient) => [recipient.email, incentiveMessage(config, recipient).text]));
    expect(texts.get('honey.pl@example.com')).toContain('Zgodnie z obietnicą otrzymujesz słoik miodu.');
    expect(texts.get('honey.pl@example.com')).not.toContain(config.incentive.translations.pl!);
    expect(texts.get('same.uk@example.com')).toContain(`ви отримуєте ${config.incentive.translations.uk}.`);
    expect(texts.get('mug.ru@example.com')).toContain('вы получаете a mug.');
    expect(texts.get('old.lv@example.com')).toContain(`jūs saņemat ${config.incentive.translations.lv}.`);
  });

  it('says how to claim the incentive, in the email’s language, when the config says how', () => {
    const claiming = parseReviewWallConfig({
      ...testConfig,
      incentive: {
        ...testConfig.incentive,
        claimInstructions: {
          text: 'Redeem the code at https://acme.example/gift within a year.',
          translations: { pl: 'Zrealizuj kod na https://acme.example/gift w ciągu roku.', ru: 'Активируйте код на https://acme.example/gift в течение года.', uk: 'Активуйте код на https://acme.example/gift протягом року.', lv: 'Izmantojiet kodu vietnē https://acme.example/gift viena gada laikā.', bg: 'Използвайте кода на https://acme.example/gift в рамките на една година.' },
        },
      },
    });
    const english = renderIncentiveEmail(claiming, { name: 'Ana', locale: 'en', code: 'GIFT-1' });
    expect(english.text).toContain('Your code: GIFT-1\n\nRedeem the code at https://acme.example/gift within a year.\n\n');
    expect(english.html).toContain('Redeem the code at https://acme.example/gift within a year.');
    expect(renderIncentiveEmail(claiming, { name: 'Ana', locale: 'pl', code: null }).text).toContain('Zrealizuj kod na https://acme.example/gift w ciągu roku.');
    const silent = parseReviewWallConfig({ ...testConfig, incentive: { text: testConfig.incentive.text, translations: testConfig.incentive.translations } });
    expect(renderIncentiveEmail(silent, { name: 'Ana', locale: 'en', code: null }).text).not.toContain('Redeem');
  });

  it('falls back to the default language for one the site does not speak', () => {
    expect(renderIncentiveEmail(config, { name: null, locale: 'de-AT', code: null })).toEqual(
      renderIncentiveEmail(config, { name: null, locale: config.locales.default, code: null }),
    );
  });
});

describe('delivery to the outbox', () => {
  it('writes one .eml per incentive, moves the ledger to sent, and a rerun writes nothing again', async () => {
    const seeded = await seedSubmissions(
      temporary.db,
      Array.from({ length: 7 }, (_, index) => ({ email: `r${index}@example.com`, locale: supportedLocales[index % 6] })),
    );
    const first = await deliverIncentives({ config, mailer, batchSize: 3 });
    expect(first).toMatchObject({ total: 7, sent: 7, failed: 0, batches: 3, transport: 'outbox' });
    const files = readdirSync(outbox).sort();
    expect(files).toEqual(seeded.map((row) => `incentive_${row.incentiveId}.eml`).sort());
    const written = files.map((file) => statSync(join(outbox, file)).mtimeMs);

    const rows = await temporary.db.select().from(incentives);
    expect(rows.every((row) => row.state === 'sent' && row.attempts === 1 && row.sentAt !== null)).toBe(true);
    const logged = await temporary.db.select().from(emailLog);
    expect(logged.map((row) => row.idempotencyKey).sort()).toEqual(seeded.map((row) => `incentive:${row.incentiveId}`).sort());
    expect(logged.every((row) => row.kind === 'incentive' && row.status === 'sent')).toBe(true);

    const second = await deliverIncentives({ config, mailer });
    expect(second).toMatchObject({ total: 0, sent: 0 });
    expect(readdirSync(outbox).sort()).toEqual(files);
    expect(files.map((file) => statSync(join(outbox, file)).mtimeMs)).toEqual(written);
  });

  it('under a lock, sends batches only while the lock is still its own, and stops before the next one once it is not', async () => {
    await seedSubmissions(temporary.db, Array.from({ length: 5 }, (_, index) => ({ email: `locked${index}@example.com` })));
    const lock = await acquireCommandLock(temporary.db, 'incentives', { holder: 'this-run' });
    // While the first batch is sent, another run takes the lock over; this one does not notice.
    let sends = 0;
    const takenOverMidway: MailTransport = {
      name: 'outbox',
      send: async (message, from) => {
        if (++sends === 2) await temporary.db.$client.execute("update command_locks set holder = 'other-run' where name = 'incentives'");
        return mailer.transport.send(message, from);
      },
    };
    const summary = await deliverIncentives({ config, mailer: { ...mailer, transport: takenOverMidway }, batchSize: 2, lock });
    await lock.release();
    expect(summary).toMatchObject({ total: 5, sent: 2, stopped: true });
    expect(readdirSync(outbox)).toHaveLength(2);
    const rows = await temporary.db.select().from(incentives);
    expect(rows.filter((row) => row.state === 'sent')).toHaveLength(2);
    // Nothing was claimed for the batches it did not send: they are still pending, with no key.
    expect(rows.filter((row) => row.state === 'pending' && row.batchKey === null)).toHaveLength(3);
  });

  it('after a crash between writing the file and updating the ledger, the rerun sends nothing twice', async () => {
    const [row] = await seedSubmissions(temporary.db, [{ email: 'crash@example.com' }]);
    const [recipient] = await selectIncentiveRecipients(temporary.db);
    // What a run that died right after the send leaves behind.
    await sendMail(mailer, incentiveMessage(config, recipient!));
    await temporary.db
      .update(incentives)
      .set({ state: 'sending', attempts: 1, batchKey: incentiveBatchKey([row!.incentiveId]) })
      .where(eq(incentives.id, row!.incentiveId));

    const summary = await deliverIncentives({ config, mailer });
    expect(summary).toMatchObject({ total: 1, sent: 1, repeatedBatches: 1 });
    expect(readdirSync(outbox)).toEqual([`incentive_${row!.incentiveId}.eml`]);
    const [logged] = await temporary.db.select().from(emailLog);
    expect(logged).toMatchObject({ status: 'sent', attempts: 1 });
    const [ledger] = await temporary.db.select().from(incentives);
    expect(ledger).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('records failures with the reason and attempt count, retries them next run up to the limit, and "retry" resets them', async () => {
    const seeded = await seedSubmissions(temporary.db, [{ email: 'one@example.com' }, { email: 'two@example.com' }]);
    const broken: MailTransport = {
      name: 'outbox',
      async send() {
        throw new Error('disk full');
      },
    };
    const failing = { ...mailer, transport: broken };
    for (let run = 1; run <= 2; run++) {
      const summary = await deliverIncentives({ config, mailer: failing, maxAttempts: 2 });
      expect(summary).toMatchObject({ total: 2, failed: 2, sent: 0 });
    }
    const rows = await temporary.db.select().from(incentives).where(inArray(incentives.id, seeded.map((row) => row.incentiveId)));
    expect(rows.map((row) => [row.state, row.attempts, row.lastError])).toEqual([
      ['failed', 2, 'disk full'],
      ['failed', 2, 'disk full'],
    ]);
    // At the limit: the command leaves them for a person to look at.
    expect(await deliverIncentives({ config, mailer: failing, maxAttempts: 2 })).toMatchObject({ total: 0 });

    expect(await retryFailedIncentives(temporary.db)).toBe(2);
    const summary = await deliverIncentives({ config, mailer, maxAttempts: 2 });
    expect(summary).toMatchObject({ total: 2, sent: 2, failed: 0 });
    expect(readdirSync(outbox)).toHaveLength(2);
  });
});

describe('npm run incentives output', () => {
  const environment = () => ({ ...process.env, DATABASE_URL: temporary.url, OUTBOX_DIR: outbox, RESEND_API_KEY: '', FORCE_COLOR: '0' });

  it('prints plain progress lines and a summary when not on a terminal', async () => {
    await seedSubmissions(temporary.db, [{ email: 'a@example.com' }, { email: 'b@example.com', locale: 'lv' }]);
    const result = spawnSync(process.execPath, ['scripts/incentives.ts'], { cwd: projectRoot, env: environment(), encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('batch 1/1: 2 sent, 0 failed of 2\n');
    expect(result.stdout).toContain(`Sent 2 of 2 incentives via the outbox ${outbox} in 1 batch.\n`);
    expect(result.stdout).toContain('Ledger: pending 0, sending 0, sent 2, failed 0\n');
  });

  it('draws a progress bar on a terminal', async () => {
    await seedSubmissions(temporary.db, [{ email: 'a@example.com' }]);
    // util-linux `script` runs the command on a pseudo-terminal.
    const result = spawnSync('script', ['-qec', `${process.execPath} scripts/incentives.ts`, '/dev/null'], { cwd: projectRoot, env: environment(), encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/incentives \[[^\]]+\] 1\/1 sent, 0 failed/);
    expect(result.stdout).not.toContain('batch 1/1');
  });
});
