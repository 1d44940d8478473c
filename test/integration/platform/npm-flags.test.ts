import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnvironment, projectRoot, runNpm, runScript } from '../../helpers/app.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';
import { seedSubmissions } from '../../helpers/incentive-fixtures.ts';

// `npm run X --flag` (no `--`) hands --flag to npm, which passes it on only as an npm_config_*
// variable. These tests type the commands as a person would, through the real npm.

const fixture = join(projectRoot, 'test', 'fixtures', 'nps-responses.csv');
const slow = { timeout: 180_000 };

/** The lines a run printed on stderr, without npm's own warnings and banners. */
function commandErrors(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.trim() && !/^npm (warn|notice|error)\b/.test(line));
}

describe('flags npm swallowed', () => {
  let database: TemporaryDatabase;
  let env: Record<string, string>;
  const count = async (sql: string) => Number((await database.db.$client.execute(sql)).rows[0]?.[0]);
  const outboxMessages = () => (existsSync(env.OUTBOX_DIR!) ? readdirSync(env.OUTBOX_DIR!).filter((file) => file.endsWith('.eml')) : []);

  beforeAll(async () => {
    database = await createTemporaryDatabase();
    env = { ...isolatedEnvironment(database.directory, 4321), DATABASE_URL: database.url };
    const imported = await runScript('import', [fixture], env);
    expect(imported.code, imported.stderr).toBe(0);
  }, 120_000);
  afterAll(() => database.cleanup());

  it('npm run invite --dry-run is a dry run: nobody is invited, and it says how to type it', slow, async () => {
    const result = await runNpm('invite', ['--dry-run'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Dry run, nothing written or sent: would invite [1-9]\d* promoters\./);
    expect(commandErrors(result.stderr)).toEqual(['invite: npm took --dry-run as its own setting, so this is a dry run; the right way is: npm run invite -- --dry-run']);
    expect(outboxMessages()).toEqual([]);
    expect(await count('select count(*) from review_requests')).toBe(0);
    expect(await count('select count(*) from email_log')).toBe(0);
  });

  it('npm run invite --audience all stops with the line to type instead, and sends nothing', slow, async () => {
    const result = await runNpm('invite', ['--audience', 'all'], env);
    expect(result.code).toBe(2);
    expect(commandErrors(result.stderr)).toEqual(['invite: npm took --audience as its own setting; run: npm run invite -- --audience all']);
    expect(outboxMessages()).toEqual([]);
    expect(await count('select count(*) from review_requests')).toBe(0);
  });

  it('npm run import --dry-run FILE adds nobody', slow, async () => {
    const file = join(database.directory, 'two-more.csv');
    writeFileSync(file, 'email,score,responded_at\nnew.one@example.com,9,2026-10-01T09:00:00Z\nnew.two@example.com,4,2026-10-02T09:00:00Z\n');
    const before = await count('select count(*) from nps_responses');
    const result = await runNpm('import', ['--dry-run', file], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Dry run, nothing written: would add 2 answers and 2 new customers.');
    expect(commandErrors(result.stderr)).toEqual([`import: npm took --dry-run as its own setting, so this is a dry run; the right way is: npm run import -- --dry-run ${file}`]);
    expect(await count('select count(*) from nps_responses')).toBe(before);
    expect(await count("select count(*) from contacts where email like 'new.%'")).toBe(0);
  });

  it('npm run erase --dry-run EMAIL erases nothing', slow, async () => {
    const result = await runNpm('erase', ['--dry-run', 'aisha.bello@example.org'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Would erase customer #\d+: .*Nothing was changed\.$/m);
    expect(await count("select count(*) from contacts where email = 'aisha.bello@example.org'")).toBe(1);
    expect(await count('select count(*) from erased_emails')).toBe(0);
  });

  it('npm run publish --dry-run builds nothing', slow, async () => {
    const result = await runNpm('publish', ['--dry-run'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Would publish 0 approved reviews.');
    expect(existsSync(env.SITE_DIR!)).toBe(false);
    expect(await count('select count(*) from publish_runs')).toBe(0);
  });

  it('npm start --dry-run refuses, since start has no dry run, and publishes and serves nothing', slow, async () => {
    const result = await runNpm('start', ['--dry-run'], env, { timeoutMs: 60_000 });
    expect(result.code).toBe(2);
    expect(commandErrors(result.stderr)).toEqual(['start: npm took --dry-run as its own setting, and start has no dry run: nothing was done']);
    expect(existsSync(env.SITE_DIR!)).toBe(false);
  });

  it('npm start --no-demo stops with the line to type instead', slow, async () => {
    const result = await runNpm('start', ['--no-demo'], env, { timeoutMs: 60_000 });
    expect(result.code).toBe(2);
    expect(commandErrors(result.stderr)).toEqual(['start: npm took --no-demo as its own setting; run: npm start -- --no-demo']);
    expect(existsSync(env.SITE_DIR!)).toBe(false);
  });

  it("runs as usual beside settings from the user's .npmrc and npm's own flags", slow, async () => {
    // Keys npm 11 no longer knows (always-auth) and other tools' keys are common in .npmrc files.
    const npmrc = join(database.directory, 'npmrc');
    writeFileSync(npmrc, 'always-auth=true\nshamefully-hoist = true\n; audience=all\nfund=false\n');
    const result = await runNpm('invite', ['--silent', '--foreground-scripts', '--', '--dry-run'], {
      ...env,
      npm_config_userconfig: npmrc,
      // Set in the environment by hand, as mirrors for native modules are.
      npm_config_sharp_binary_host: 'https://mirror.example/sharp',
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/would invite [1-9]\d* promoters/);
    expect(commandErrors(result.stderr)).toEqual([]);
  });
});

describe('npm run incentives --dry-run', () => {
  it('sends nothing and leaves every incentive pending', slow, async () => {
    const database = await createTemporaryDatabase();
    try {
      const env: Record<string, string> = { ...isolatedEnvironment(database.directory, 4321), DATABASE_URL: database.url };
      await seedSubmissions(database.db, [
        { email: 'olena@example.com', locale: 'uk', rating: 2, status: 'rejected' },
        { email: 'piotr@example.com', locale: 'pl', rating: 5, status: 'approved' },
      ]);
      const result = await runNpm('incentives', ['--dry-run'], env);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('Would send 2 incentives');
      expect(result.stdout).toContain('Dry run: nothing was written or sent.');
      expect(commandErrors(result.stderr)).toEqual(['incentives: npm took --dry-run as its own setting, so this is a dry run; the right way is: npm run incentives -- --dry-run']);
      const states = await database.db.$client.execute('select state, attempts, sent_at from incentives');
      expect(states.rows.map((row) => [row.state, row.attempts, row.sent_at])).toEqual([
        ['pending', 0, null],
        ['pending', 0, null],
      ]);
      expect(existsSync(env.OUTBOX_DIR!) ? readdirSync(env.OUTBOX_DIR!) : []).toEqual([]);
    } finally {
      database.cleanup();
    }
  });
});
