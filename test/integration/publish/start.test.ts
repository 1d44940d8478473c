import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyProject, isolatedEnvironment, runNpm, runScript, startApp } from '../../helpers/app.ts';
import { hashToken } from '../../../src/lib/tokens.ts';
import { createTemporaryDatabase } from '../../helpers/database.ts';

const copies: string[] = [];
afterAll(() => copies.forEach((directory) => rmSync(directory, { recursive: true, force: true })));

describe('start-up', () => {
  it('stops with one line naming the file and the key when the configuration is malformed', async () => {
    const copy = copyProject();
    copies.push(copy);
    writeFileSync(
      join(copy, 'review-wall.config.ts'),
      `export default { business: { name: 'Acme', website: 'https://acme.example' }, itemReviewed: { type: 'Gadget', name: 'X' }, incentive: { text: 'a mug' } };\n`,
    );
    // The project's own file (REVIEW_WALL_CONFIG unset), then the same file named by REVIEW_WALL_CONFIG.
    for (const [chosen, named] of [['', 'review-wall.config.ts'], [join(copy, 'review-wall.config.ts'), join(copy, 'review-wall.config.ts')]] as const) {
      const result = await runScript('start', [], { ...isolatedEnvironment(copy, 0), REVIEW_WALL_CONFIG: chosen }, { cwd: copy });
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      const expected = `start: ${named}: itemReviewed.type: expected one of Product,`;
      expect(result.stderr.slice(0, expected.length)).toBe(expected);
    }
  });

  it.each([
    ['postgres://localhost/reviews', /^start: environment: DATABASE_URL: expected file:PATH/],
    ['http://127.0.0.1:9', /^start: DATABASE_URL: cannot open the database/],
  ])('stops with one line when DATABASE_URL=%s', async (url, expected) => {
    const copy = copyProject();
    copies.push(copy);
    const result = await runScript('start', [], { ...isolatedEnvironment(copy, 0), DATABASE_URL: url }, { cwd: copy });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(expected);
  });

  it('stops with one line naming NPS_WEBHOOK_SECRET when it is shorter than 32 bytes', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'review-wall-secret-'));
    copies.push(directory);
    const result = await runScript('start', ['--no-demo'], { ...isolatedEnvironment(directory, 0), NPS_WEBHOOK_SECRET: 'x' });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^start: environment: NPS_WEBHOOK_SECRET: must be at least 32 bytes long/);
    // Stopped before anything was created.
    expect(existsSync(join(directory, 'db'))).toBe(false);
  });

  it('npm run demo -- --clear removes every demo row, and npm run demo loads it again', async () => {
    const temporary = await createTemporaryDatabase();
    const env = { ...isolatedEnvironment(temporary.directory, 4321), DATABASE_URL: temporary.url };
    const loaded = await runScript('demo', [], env);
    expect(loaded.code, loaded.stderr).toBe(0);
    expect(loaded.stdout).toMatch(/Demo review link: http:\/\/127\.0\.0\.1:4321\/r\/[a-z2-7]{32}/);
    const count = async (table: string) => Number((await temporary.db.$client.execute(`select count(*) from ${table}`)).rows[0]?.[0]);
    expect(await count('contacts')).toBe(35);
    expect(await count('nps_responses')).toBe(63);
    expect(await count('reviews')).toBe(8);
    expect(await count('incentives')).toBe(8);

    const cleared = await runScript('demo', ['--clear'], env);
    expect(cleared.code, cleared.stderr).toBe(0);
    for (const table of ['contacts', 'nps_responses', 'review_requests', 'reviews', 'incentives', 'admin_users']) {
      expect(await count(table), table).toBe(0);
    }
    temporary.cleanup();
  });

  it('npm run demo -- --clear removes the emails the demo customers were sent from the outbox, and only those', async () => {
    const temporary = await createTemporaryDatabase();
    const env: Record<string, string> = { ...isolatedEnvironment(temporary.directory, 4321), DATABASE_URL: temporary.url };
    const outbox = env.OUTBOX_DIR!;
    expect((await runScript('demo', [], env)).code).toBe(0);
    // A real customer beside the demo ones, and a file in the outbox that no email log row names.
    const csv = join(temporary.directory, 'real.csv');
    writeFileSync(csv, 'email,name,score,responded_at\nreal.customer@example.com,Real Customer,10,2026-05-01T10:00:00Z\n');
    expect((await runScript('import', [csv], env)).code).toBe(0);
    await temporary.db.$client.execute('update review_requests set created_at = created_at - 3600000');
    const invited = await runScript('invite', [], env);
    expect(invited.code, invited.stderr).toBe(0);
    writeFileSync(join(outbox, 'kept-by-hand.eml'), 'Subject: not ours\n\nhello\n');
    const logged = await temporary.db.$client.execute('select e.outbox_file, c.is_demo from email_log e join contacts c on c.id = e.contact_id');
    const demoFiles = logged.rows.filter((row) => Number(row.is_demo) === 1).map((row) => String(row.outbox_file));
    const realFiles = logged.rows.filter((row) => Number(row.is_demo) === 0).map((row) => String(row.outbox_file));
    expect(demoFiles.length).toBeGreaterThan(1);
    expect(realFiles).toHaveLength(1);

    const dryRun = await runNpm('demo', ['--', '--clear', '--dry-run'], env);
    expect(dryRun.stdout).toContain(`Would remove the demo dataset and ${demoFiles.length} demo emails from ${outbox}.`);
    expect(readdirSync(outbox)).toEqual(expect.arrayContaining(demoFiles));
    const cleared = await runNpm('demo', ['--', '--clear'], env);
    expect(cleared.code, cleared.stderr).toBe(0);
    expect(cleared.stdout).toContain(`and ${demoFiles.length} emails to them from ${outbox}.`);
    expect(readdirSync(outbox).sort()).toEqual([...realFiles, 'kept-by-hand.eml'].sort());
    temporary.cleanup();
  }, 120_000);

  it('keeps the printed demo review link working when npm run invite runs later', async () => {
    const temporary = await createTemporaryDatabase();
    const env = { ...isolatedEnvironment(temporary.directory, 4321), DATABASE_URL: temporary.url };
    const loaded = await runScript('demo', [], env);
    const token = loaded.stdout.match(/\/r\/([a-z2-7]{32})/)?.[1];
    expect(token).toBeTruthy();
    // Age every request past the invite command's in-flight window, as if invite ran much later.
    await temporary.db.$client.execute('update review_requests set created_at = created_at - 3600000');
    const invited = await runScript('invite', [], env);
    expect(invited.code, invited.stderr).toBe(0);
    const rows = await temporary.db.$client.execute({ sql: 'select count(*) from review_requests where token_hash = ?', args: [hashToken(token!)] });
    expect(Number(rows.rows[0]?.[0])).toBe(1);
    temporary.cleanup();
  });

  it('deletes rate-limit counters of windows that ended long ago when it starts', async () => {
    const temporary = await createTemporaryDatabase();
    const day = 24 * 60 * 60 * 1000;
    await temporary.db.$client.execute({
      sql: 'insert into rate_limits (key, count, window_starts_at) values (?, 3, ?), (?, 3, ?)',
      args: ['review-submit:ip:198.51.100.7', Date.now() - 2 * day, 'signin:ip:198.51.100.8', Date.now() - 60_000],
    });
    const app = await startApp({ args: ['--no-demo'], env: { DATABASE_URL: temporary.url } });
    try {
      const keys = async () => (await temporary.db.$client.execute('select key from rate_limits order by key')).rows.map((row) => row.key);
      for (let attempt = 0; attempt < 50 && (await keys()).length > 1; attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await keys()).toEqual(['signin:ip:198.51.100.8']);
    } finally {
      await app.stop();
      temporary.cleanup();
    }
  }, 120_000);

  it('answers --help and refuses unknown options with exit code 2', async () => {
    const help = await runScript('demo', ['--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: npm run demo');
    const wrong = await runScript('demo', ['--frobnicate'], {});
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
  });
});
