import { parse } from 'csv-parse/sync';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { contacts, emailLog, reviewRequests } from '../../../db/schema.ts';
import { createReviewRequest } from '../../../src/lib/server/ask/review-requests.ts';
import { findReviewRequestByToken } from '../../../src/lib/server/collect/review-submissions.ts';
import { hashToken } from '../../../src/lib/tokens.ts';
import { isolatedEnvironment, projectRoot, runScript } from '../../helpers/app.ts';
import { writeConfigVariant } from '../../helpers/config.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';
import { readEml, type DecodedEmail } from '../../helpers/eml.ts';
import { startFakeResend, type FakeResend } from '../../helpers/fake-resend.ts';

const fixture = join(projectRoot, 'test', 'fixtures', 'nps-responses.csv');
const siteUrl = 'https://reviews.acme.example';
/** Reports which strings occur in any of the files (run with node -e). */
const searchScript = `const { readFileSync } = require('node:fs');
const { files, needles } = JSON.parse(process.argv[1]);
const text = files.map((file) => readFileSync(file).toString('latin1')).join('');
process.stdout.write(JSON.stringify(Object.fromEntries(needles.map((needle) => [needle, text.includes(needle)]))));`;
const linkPattern = /https:\/\/reviews\.acme\.example\/r\/([a-z2-7]{32})(?![a-z2-7/])/;

/** Respondents of the fixture and their latest score, worked out here independently of the app. */
function latestScores(): Map<string, number> {
  const rows = parse(readFileSync(fixture), { columns: true }) as { email: string; score: string; responded_at: string }[];
  const latest = new Map<string, { score: number; at: string }>();
  for (const row of rows) {
    const seen = latest.get(row.email);
    if (!seen || row.responded_at > seen.at) latest.set(row.email, { score: Number(row.score), at: row.responded_at });
  }
  return new Map([...latest].map(([email, { score }]) => [email, score]));
}

describe('npm run invite', () => {
  let database: TemporaryDatabase;
  let env: Record<string, string>;
  let outbox: string;
  const unsubscribed = 'sofia.rossi@example.org';
  const scores = latestScores();
  const promoters = [...scores].filter(([, score]) => score >= 9).map(([email]) => email);

  const query = async (sql: string, args: (string | number)[] = []) => (await database.db.$client.execute({ sql, args })).rows;
  const invitedEmails = async () =>
    (await query('select c.email from review_requests q join contacts c on c.id = q.contact_id order by c.email')).map((row) => String(row.email));
  const outboxFiles = () => readdirSync(outbox).filter((file) => file.endsWith('.eml')).sort();
  const emailTo = (address: string): DecodedEmail => {
    const file = outboxFiles().find((name) => readFileSync(join(outbox, name), 'utf8').includes(`To: ${address}`));
    if (!file) throw new Error(`no email to ${address}`);
    return readEml(join(outbox, file));
  };

  beforeAll(async () => {
    database = await createTemporaryDatabase();
    env = { ...isolatedEnvironment(database.directory, 4321), DATABASE_URL: database.url, SITE_URL: siteUrl };
    outbox = env.OUTBOX_DIR!;
    const imported = await runScript('import', [fixture], env);
    expect(imported.code, imported.stderr).toBe(0);
    await query('update contacts set unsubscribed_at = 1 where email = ?', [unsubscribed]);
  });
  afterAll(() => database.cleanup());

  it('knows the fixture: 23 contacts whose latest answer is 9–10, one of them unsubscribed', () => {
    expect(promoters).toHaveLength(23);
    expect(promoters).toContain(unsubscribed);
    // customer11 answered 9, then 8: no longer a promoter. piotr.nowak1 answered 0, then 10: a promoter.
    expect(promoters).not.toContain('customer11@example.com');
    expect(promoters).toContain('piotr.nowak1@example.com');
  });

  it('--dry-run lists the promoters who would be invited and writes nothing', async () => {
    const result = await runScript('invite', ['--dry-run'], env);
    expect(result.code, result.stderr).toBe(0);
    const listed = [...result.stdout.matchAll(/^would invite (\S+) /gm)].map((match) => match[1]).sort();
    expect(listed).toEqual(promoters.filter((email) => email !== unsubscribed).sort());
    expect(result.stdout).toContain('would invite 22 promoters');
    expect(await invitedEmails()).toEqual([]);
    expect(() => readdirSync(outbox)).toThrow();
  });

  it('invites exactly the promoters who are not unsubscribed, one email each', async () => {
    const result = await runScript('invite', [], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Invited 22 promoters');
    const expected = promoters.filter((email) => email !== unsubscribed).sort();
    expect(await invitedEmails()).toEqual(expected);
    expect(outboxFiles()).toHaveLength(22);
    const unsent = await query('select count(*) as value from review_requests where sent_at is null');
    expect(Number(unsent[0]?.value)).toBe(0);
    expect(outboxFiles().some((file) => readFileSync(join(outbox, file), 'utf8').includes(unsubscribed))).toBe(false);
  });

  it.each([
    ['customer13@example.com', 'uk', 'Вітаємо, Тарас Мельник!', 'подарункову картку на 10 $', 'незалежно від того, що ви напишете і яку оцінку поставите', 'Відписатися'],
    ['anna.kowalska0@example.com', 'pl', 'Dzień dobry, Anna Kowalska!', 'kartę podarunkową o wartości 10 USD', 'niezależnie od tego, co w niej napiszesz i jak nas ocenisz', 'Wypisz mnie'],
    ['aisha.bello@example.org', 'en', 'Hello Aisha Bello,', 'a $10 gift card', 'regardless of what your review says or how you rate us', 'Unsubscribe'],
  ])('the email to %s is in %s with the incentive, the "regardless" promise, the link and one-click unsubscribe', async (address, locale, greeting, incentive, regardless, unsubscribe) => {
    const email = emailTo(address);
    for (const part of [email.text, email.html]) {
      expect(part).toContain(greeting);
      expect(part).toContain(incentive);
      expect(part).toContain(regardless);
      expect(part).toContain(unsubscribe);
    }
    expect(email.html).toContain(`<html lang="${locale}">`);
    expect(email.html).toContain('#1f5fbf');
    expect(email.subject).toContain('Acme Support Desk');
    const token = email.text.match(linkPattern)?.[1];
    expect(token).toBeDefined();
    expect(email.html).toContain(`href="${siteUrl}/r/${token}"`);
    expect(email.headers.get('list-unsubscribe')).toBe(`<${siteUrl}/r/${token}/unsubscribe>`);
    expect(email.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const [request] = await query(
      'select q.token_hash, q.locale, q.expires_at, q.created_at from review_requests q join contacts c on c.id = q.contact_id where c.email = ?',
      [address],
    );
    expect(request?.token_hash).toBe(hashToken(token!));
    expect(request?.locale).toBe(locale);
    expect(Number(request?.expires_at) - Number(request?.created_at)).toBe(30 * 24 * 60 * 60 * 1000);
  });

  it('stores only the hashes of the tokens: no token from any email is in the database files', async () => {
    const tokens = outboxFiles().map((file) => readEml(join(outbox, file)).text.match(linkPattern)?.[1]);
    expect(tokens.every((token) => token && token.length === 32)).toBe(true);
    const files = readdirSync(database.directory)
      .filter((file) => file.startsWith('test.db'))
      .map((file) => join(database.directory, file));
    // Read in another process: closing a descriptor of the open database here would drop this process's SQLite locks.
    const found = JSON.parse(
      execFileSync(process.execPath, ['-e', searchScript, JSON.stringify({ files, needles: tokens.flatMap((token) => [token, hashToken(token!)]) })], {
        encoding: 'utf8',
      }),
    ) as Record<string, boolean>;
    expect(files.length).toBeGreaterThan(0);
    for (const token of tokens) {
      expect(found[token!], 'token in the database').toBe(false);
      expect(found[hashToken(token!)], 'hash in the database').toBe(true);
    }
  });

  it('sends nothing again when run a second time', async () => {
    const before = outboxFiles().map((file) => [file, statSync(join(outbox, file)).mtimeMs]);
    const result = await runScript('invite', [], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Invited 0 promoters');
    expect(outboxFiles().map((file) => [file, statSync(join(outbox, file)).mtimeMs])).toEqual(before);
    const logged = await query(`select count(*) as value from email_log where kind = 'invite'`);
    expect(Number(logged[0]?.value)).toBe(22);
  });

  it('after a crash between creating a request and sending it, the next run sends it with a fresh, working token', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'review-wall-invite-')), 'late.csv');
    writeFileSync(file, 'email,name,locale,score,responded_at\nlate.promoter@example.com,Late Promoter,lv,10,2026-10-20T10:00:00Z\n');
    expect((await runScript('import', [file], env)).code).toBe(0);
    rmSync(file);
    const [contact] = await query(`select id from contacts where email = 'late.promoter@example.com'`);
    // What a crashed run leaves behind: the request exists, its token is gone, no email went out.
    const crashed = await createReviewRequest(database.db, { contactId: Number(contact?.id), responseId: null, locale: 'lv', lifetimeDays: 30, terms: { audience: 'promoters', incentive: 'a $10 gift card' } });
    expect(crashed).not.toBeNull();

    // Right after, another run may still be sending it: it is left alone.
    const soon = await runScript('invite', [], env);
    expect(soon.code, soon.stderr).toBe(0);
    expect(soon.stdout).toContain('Invited 0 promoters');
    expect(soon.stdout).toContain('1 review request was created in the last 10 minutes but not sent');
    expect(() => emailTo('late.promoter@example.com')).toThrow();

    await query('update review_requests set created_at = created_at - 11 * 60 * 1000 where id = ?', [crashed!.id]);
    const result = await runScript('invite', [], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Invited 1 promoter ');
    const email = emailTo('late.promoter@example.com');
    expect(email.text).toContain('Labdien, Late Promoter!');
    const token = email.text.match(linkPattern)?.[1];
    const [request] = await query('select id, token_hash, sent_at from review_requests where contact_id = ?', [Number(contact?.id)]);
    expect(Number(request?.id)).toBe(crashed!.id);
    expect(request?.token_hash).toBe(hashToken(token!));
    expect(request?.token_hash).not.toBe(hashToken(crashed!.token));
    expect(request?.sent_at).not.toBeNull();
    // The earlier token stays valid beside it: had that run's email gone out, its link would still work.
    expect(await findReviewRequestByToken(database.db, crashed!.token)).toMatchObject({ requestId: crashed!.id });
    expect(await findReviewRequestByToken(database.db, token!)).toMatchObject({ requestId: crashed!.id });
    expect(email.headers.get('x-idempotency-key')).toBe(`invite:${crashed!.id}`);
  });

  it('when only recording sent_at was interrupted, the next run records it and keeps the token that was sent', async () => {
    const email = emailTo('customer13@example.com');
    const token = email.text.match(linkPattern)?.[1];
    const file = outboxFiles().find((name) => readFileSync(join(outbox, name), 'utf8').includes('To: customer13@example.com'))!;
    const modified = statSync(join(outbox, file)).mtimeMs;
    await query(`update review_requests set sent_at = null where contact_id = (select id from contacts where email = 'customer13@example.com')`);

    const result = await runScript('invite', [], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Invited 0 promoters');
    expect(result.stdout).toContain('1 had already been sent');
    const [request] = await query(`select token_hash, sent_at from review_requests where contact_id = (select id from contacts where email = 'customer13@example.com')`);
    expect(request?.token_hash).toBe(hashToken(token!));
    expect(request?.sent_at).not.toBeNull();
    expect(statSync(join(outbox, file)).mtimeMs).toBe(modified);
  });

  it('--audience all invites every other respondent except the unsubscribed one', async () => {
    const dryRun = await runScript('invite', ['--audience', 'all', '--dry-run'], env);
    expect(dryRun.stdout).toContain('would invite 12 respondents');
    const result = await runScript('invite', ['--audience', 'all'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Invited 12 respondents');
    const everyone = [...scores.keys(), 'late.promoter@example.com'].filter((email) => email !== unsubscribed).sort();
    expect(await invitedEmails()).toEqual(everyone);
    expect(emailTo('customer11@example.com').text).toContain('Вітаємо, Андрій Бондаренко!');
  });

  it('follows invite.audience of the configuration when --audience is not given', async () => {
    const fresh = await createTemporaryDatabase();
    try {
      const configFile = writeConfigVariant(fresh.directory, (config) => ({ ...config, invite: { audience: 'all' } }));
      const freshEnv = { ...env, DATABASE_URL: fresh.url, REVIEW_WALL_CONFIG: configFile };
      expect((await runScript('import', [fixture], freshEnv)).code).toBe(0);
      const result = await runScript('invite', ['--dry-run'], freshEnv);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('would invite 35 respondents');
    } finally {
      fresh.cleanup();
    }
  });

  it.each([
    [['--audience', 'everyone'], /^invite: --audience: expected "promoters" or "all", not "everyone"$/],
    [['extra'], /^invite: unexpected argument "extra"$/],
    [['--rate', '0'], /^invite: --rate: expected a number of emails a second above 0, not "0"$/],
  ])('exits 2 with one line on bad usage: %j', async (args, expected) => {
    const result = await runScript('invite', args, env);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(expected);
  });
});

describe('npm run invite through Resend', () => {
  let database: TemporaryDatabase;
  let fake: FakeResend;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTemporaryDatabase();
    fake = await startFakeResend();
    env = {
      ...isolatedEnvironment(database.directory, 4321),
      DATABASE_URL: database.url,
      SITE_URL: siteUrl,
      RESEND_API_KEY: 're_test_key',
      RESEND_BASE_URL: fake.url,
      MAIL_FROM: '"Acme" <reviews@acme.example>',
    };
    const file = join(database.directory, 'two.csv');
    writeFileSync(file, 'email,name,locale,score,responded_at\nolena@example.com,Olena,uk,10,2026-10-01T09:00:00Z\nivan@example.com,Иван,bg,6,2026-10-01T09:00:00Z\n');
    expect((await runScript('import', [file], env)).code).toBe(0);
  });
  afterAll(async () => {
    await fake.close();
    database.cleanup();
  });

  it('sends each invitation once with its idempotency key and the one-click unsubscribe headers', async () => {
    const result = await runScript('invite', ['--rate', '20'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(fake.deliveries).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.path).toBe('/emails');
    expect(request?.headers['idempotency-key']).toMatch(/^invite:\d+$/);
    const email = request?.body as { to: string; html: string; text: string; headers: Record<string, string> };
    expect(email.to).toBe('olena@example.com');
    const token = email.text.match(linkPattern)?.[1];
    expect(email.html).toContain(`${siteUrl}/r/${token}`);
    expect(email.headers).toEqual({
      'List-Unsubscribe': `<${siteUrl}/r/${token}/unsubscribe>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });

    const again = await runScript('invite', [], env);
    expect(again.code, again.stderr).toBe(0);
    expect(fake.requests).toHaveLength(1);
  });

  it('after a crash between Resend accepting an invitation and recording it, the customer’s link keeps working and no second email goes out', async () => {
    const first = fake.requests[0]!.body as { text: string };
    const token = first.text.match(linkPattern)?.[1];
    const [request] = await database.db.select().from(reviewRequests).where(eq(reviewRequests.tokenHash, hashToken(token!)));
    // What the crash left: Resend has the email, our log and the request do not know it, and the request is old enough to retry.
    await database.db.update(emailLog).set({ status: 'pending', providerMessageId: null, sentAt: null }).where(eq(emailLog.idempotencyKey, `invite:${request!.id}`));
    await database.db
      .update(reviewRequests)
      .set({ sentAt: null, createdAt: new Date(Date.now() - 11 * 60 * 1000) })
      .where(eq(reviewRequests.id, request!.id));

    const rerun = await runScript('invite', ['--rate', '20'], env);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain('1 had already been sent');
    // The rerun's email, with a new token, was refused under the same key (409): nothing new was delivered.
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]!.headers['idempotency-key']).toBe(`invite:${request!.id}`);
    expect(fake.deliveries).toHaveLength(1);
    // The link in the email the customer has works.
    expect(await findReviewRequestByToken(database.db, token!)).toMatchObject({ requestId: request!.id });
    const [after] = await database.db.select().from(reviewRequests).where(eq(reviewRequests.id, request!.id));
    expect(after!.sentAt).not.toBeNull();
    const [logged] = await database.db.select().from(emailLog).where(eq(emailLog.idempotencyKey, `invite:${request!.id}`));
    expect(logged?.status).toBe('sent');
    // And the next run does nothing at all.
    expect((await runScript('invite', ['--rate', '20'], env)).stdout).toContain('Invited 0 promoters');
    expect(fake.requests).toHaveLength(2);
  });

  it('keeps every earlier token working through several interrupted runs, whichever email reached the customer', async () => {
    const [contact] = await database.db.select().from(contacts).where(eq(contacts.email, 'olena@example.com'));
    const [request] = await database.db.select().from(reviewRequests).where(eq(reviewRequests.contactId, contact!.id));
    // Three takeovers in a row, none of which gets its email recorded as sent (Resend refuses each).
    await database.db.update(reviewRequests).set({ sentAt: null }).where(eq(reviewRequests.id, request!.id));
    await database.db.update(emailLog).set({ status: 'pending' }).where(eq(emailLog.idempotencyKey, `invite:${request!.id}`));
    fake.respond = () => ({ status: 422 });
    const issued: string[] = [];
    for (let run = 0; run < 3; run++) {
      await database.db.update(reviewRequests).set({ createdAt: new Date(Date.now() - 11 * 60 * 1000) }).where(eq(reviewRequests.id, request!.id));
      const before = fake.requests.length;
      const failed = await runScript('invite', ['--rate', '20'], env);
      expect(failed.code).toBe(1);
      issued.push((fake.requests[before]!.body as { text: string }).text.match(linkPattern)![1]!);
    }
    fake.respond = () => undefined;
    const all = [(fake.requests[0]!.body as { text: string }).text.match(linkPattern)![1]!, ...issued];
    expect(new Set(all).size).toBe(4);
    for (const token of all) expect(await findReviewRequestByToken(database.db, token), token).toMatchObject({ requestId: request!.id });
  });
});
