import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importNpsCsv } from '../../src/lib/server/nps-import.ts';
import { isolatedEnvironment, projectRoot, runScript } from '../helpers/app.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../helpers/database.ts';

const fixture = join(projectRoot, 'test', 'fixtures', 'nps-responses.csv');

async function contactCount(database: TemporaryDatabase, email: string): Promise<number> {
  return Number((await database.db.$client.execute({ sql: 'select count(*) from contacts where email = ?', args: [email] })).rows[0]?.[0]);
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
    expect(second.stderr).toBe('erase: no such customer: nothing was erased\n');
  });

  it.each([
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
});
