import { eq } from 'drizzle-orm';
import { copyFileSync, createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts, reviewRequests, reviews } from '../../../db/schema.ts';
import { hashToken } from '../../../src/lib/tokens.ts';
import { importNpsCsv } from '../../../src/lib/server/listen/nps-import.ts';
import { isolatedEnvironment, projectRoot, runScript } from '../../helpers/app.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';

const fixture = join(projectRoot, 'test', 'fixtures', 'nps-responses.csv');

async function contactCount(database: TemporaryDatabase, email: string): Promise<number> {
  return Number((await database.db.$client.execute({ sql: 'select count(*) from contacts where email = ?', args: [email] })).rows[0]?.[0]);
}

/** Files under a folder whose (decompressed) text holds one of the needles, case-insensitively. */
function traces(directory: string, needles: string[]): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .flatMap((entry) => {
      const path = join(entry.parentPath, entry.name);
      const raw = readFileSync(path);
      const text = (path.endsWith('.gz') ? gunzipSync(raw) : path.endsWith('.br') ? brotliDecompressSync(raw) : raw).toString('utf8').toLowerCase();
      return needles.filter((needle) => text.includes(needle.toLowerCase())).map((needle) => `${needle} in ${path}`);
    });
}

describe('npm run erase', () => {
  let database: TemporaryDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTemporaryDatabase();
    env = { ...isolatedEnvironment(database.directory, 4321), DATABASE_URL: database.url };
    await importNpsCsv(database.db, createReadStream(fixture), { source: 'csv', defaultLocale: 'en' });
  });
  afterAll(() => database.cleanup());

  it('--dry-run says what would go and keeps everything', async () => {
    const result = await runScript('erase', ['magdalena.wisniewska2@example.com', '--dry-run'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Would erase customer #\d+: 2 NPS answers, 0 review links, 0 reviews/);
    expect(await contactCount(database, 'magdalena.wisniewska2@example.com')).toBe(1);
  });

  it('erases a customer by email, then finds nobody the second time', async () => {
    const first = await runScript('erase', ['Magdalena.Wisniewska2@example.com'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^Erased customer #\d+: 2 NPS answers/);
    expect(await contactCount(database, 'magdalena.wisniewska2@example.com')).toBe(0);
    const second = await runScript('erase', ['magdalena.wisniewska2@example.com'], env);
    expect(second.code).toBe(1);
    expect(second.stderr).toBe('erase: no such customer: nothing was erased; the address is recorded as erased, so imports and the webhook will leave it out\n');
  });

  it('an erased customer stays out of later imports until --allow-again, and only a hash of the address is kept', async () => {
    const email = 'magdalena.wisniewska2@example.com';
    // Erased by the test above: importing the same file again leaves their two rows out.
    const fixtureCopy = join(database.directory, 'again.csv');
    copyFileSync(fixture, fixtureCopy);
    const again = await runScript('import', [fixtureCopy], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Added 0 answers and 0 new customers.');
    expect(again.stdout).toContain('Left out 2 rows of customers erased on request');
    expect(await contactCount(database, email)).toBe(0);
    const kept = await database.db.$client.execute('select * from erased_emails');
    expect(kept.rows).toHaveLength(1);
    expect(JSON.stringify(kept.rows)).not.toMatch(/magdalena|wisniewska|example\.com/i);

    const allowed = await runScript('erase', ['--allow-again', 'Magdalena.Wisniewska2@example.com'], env);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stdout).toBe(`${email} may be imported again; nothing of theirs was restored.\n`);
    const lifted = await database.db.$client.execute("select actor_label, detail from audit_log where action = 'contact.erasure-lifted'");
    expect(lifted.rows.map((row) => ({ ...row }))).toEqual([{ actor_label: 'cli', detail: null }]);
    const notErased = await runScript('erase', ['--allow-again', 'anna.kowalska0@example.com'], env);
    expect(notErased.code).toBe(1);
    expect(notErased.stderr).toBe('erase: anna.kowalska0@example.com was not erased before: nothing to allow\n');

    const back = await runScript('import', [fixtureCopy], env);
    expect(back.stdout).toContain('Added 2 answers and 1 new customer.');
    expect(back.stdout).not.toContain('Left out');
    expect(await contactCount(database, email)).toBe(1);
    // Erased again, for the tests below.
    expect((await runScript('erase', [email], env)).code).toBe(0);
  });

  it.each([
    [['--allow-again'], 'erase: --allow-again takes one email and nothing else: npm run erase -- --allow-again EMAIL\n'],
    [[], 'erase: expected the customer email: npm run erase -- EMAIL\n'],
    [['not-an-email'], 'erase: "not-an-email" is not an email address\n'],
    [['--contact-id', 'x'], 'erase: --contact-id expects a positive whole number, not "x"\n'],
  ])('refuses %j with one line and exit code 2', async (args, message) => {
    const result = await runScript('erase', args, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(message);
  });

  it('--help explains the command and the publish step', async () => {
    const result = await runScript('erase', ['--help'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('npm run publish');
  });
  it('republishes when their review was on the wall, and no published build keeps it', async () => {
    const email = 'anna.kowalska0@example.com';
    const body = 'Doradca w sklepie pomógł mi wybrać rozmiar, a zwrot przyszedł w dwa dni.';
    const { db } = database;
    const [contact] = await db.select().from(contacts).where(eq(contacts.email, email));
    const [request] = await db
      .insert(reviewRequests)
      .values({ contactId: contact!.id, tokenHash: hashToken('erase-command-review'), locale: 'pl', expiresAt: new Date(Date.UTC(2027, 0, 1)), sentAt: new Date() })
      .returning();
    await db.insert(reviews).values({ requestId: request!.id, contactId: contact!.id, rating: 5, body, nameDisplay: 'full', locale: 'pl', consentAt: new Date(), status: 'approved', moderatedAt: new Date() });
    const published = await runScript('publish', [], env);
    expect(published.code, published.stderr).toBe(0);
    const needles = [email, contact!.name!, body];
    // The test can fail: the published build holds their review (and npm run publish keeps it as "previous").
    expect(traces(join(env.SITE_DIR!, 'builds'), needles).length).toBeGreaterThan(3);

    const erased = await runScript('erase', [email], env);
    expect(erased.code, erased.stderr).toBe(0);
    expect(erased.stdout).toContain('the public pages were republished without it');
    expect(traces(join(env.SITE_DIR!, 'builds'), needles)).toEqual([]);
    expect(readdirSync(join(env.SITE_DIR!, 'builds'))).toHaveLength(1);
    expect(existsSync(join(env.SITE_DIR!, 'current', 'client', 'index.html'))).toBe(true);
  }, 120_000);
});
