import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAdminUsers, signIn } from '../../../src/lib/server/auth/admin-users.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';
import { projectRoot, runScript } from '../../helpers/app.ts';

let temporary: TemporaryDatabase;
let env: Record<string, string>;
beforeAll(async () => {
  temporary = await createTemporaryDatabase();
  env = { DATABASE_URL: temporary.url, ADMIN_PASSWORD: '' };
});
afterAll(() => temporary.cleanup());

const limits = { perAddress: { limit: 1000, windowMs: 1000 }, perAccount: { limit: 1000, windowMs: 1000 } };
const canSignIn = async (email: string, password: string) =>
  (await signIn(temporary.db, { email, password, clientAddress: 'cli-test' }, { limits })).kind === 'signed-in';

/** Runs the command on a real terminal (util-linux `script` makes the pty), typing each answer after its prompt. */
function runOnTerminal(args: string[], answers: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const command = ['node', 'scripts/admin.ts', ...args].map((part) => `'${part}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: projectRoot,
      env: { ...process.env, ...env, PATH: `${projectRoot}/node_modules/.bin:${process.env.PATH}` },
    });
    let output = '';
    let prompts = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const seen = (output.match(/Password( again)?: /g) ?? []).length;
      while (prompts < seen && prompts < answers.length) child.stdin.write(`${answers[prompts++]}\r`);
    });
    child.on('close', (code) => done({ code, output }));
  });
}

describe('npm run admin', () => {
  it('reads the password from one piped line and creates an argon2id account', async () => {
    const result = await runScript('admin', ['create', 'Piped@Example.com'], env, { input: 'piped-password-123\nignored second line\n' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Created the admin account piped@example.com');
    expect(result.stdout + result.stderr).not.toContain('piped-password-123');
    expect(await canSignIn('piped@example.com', 'piped-password-123')).toBe(true);
  });

  it.runIf(existsSync('/usr/bin/script'))('asks twice on a terminal without echoing the password', async () => {
    const result = await runOnTerminal(['create', 'tty@example.com'], ['terminal-secret-42', 'terminal-secret-42']);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('Created the admin account tty@example.com');
    expect(result.output).not.toContain('terminal-secret-42');
    expect(await canSignIn('tty@example.com', 'terminal-secret-42')).toBe(true);
    const mismatch = await runOnTerminal(['create', 'tty2@example.com'], ['terminal-secret-42', 'something-else-42']);
    expect(mismatch.code).toBe(2);
    expect(mismatch.output).toContain('admin: the two passwords differ');
  }, 30_000);

  it.runIf(existsSync('/usr/bin/script'))('says a password is too short right after the first entry, without asking again', async () => {
    const result = await runOnTerminal(['create', 'short@example.com'], ['short', 'short']);
    expect(result.code, result.output).toBe(2);
    expect(result.output).toContain('admin: the password must have at least 12 characters');
    expect(result.output).not.toContain('Password again');
    expect((await listAdminUsers(temporary.db)).map((account) => account.email)).not.toContain('short@example.com');
  }, 30_000);

  it('refuses bad input with one line and exit code 2, writing nothing', async () => {
    const cases: [string[], string, string][] = [
      [['create', 'not-an-email'], 'long-enough-password', '"not-an-email" is not an email address'],
      [['create', 'short@example.com'], 'short', 'at least 12 characters'],
      [['create', 'piped@example.com'], 'another-long-password', 'already exists'],
      [['reset-password', 'nobody@example.com'], 'long-enough-password', 'no admin account for nobody@example.com'],
      [['frobnicate'], '', 'unknown command "frobnicate"'],
      [['list', '--force'], '', "Unknown option '--force'"],
    ];
    const before = await listAdminUsers(temporary.db);
    const results = await Promise.all(cases.map(([args, input]) => runScript('admin', args, env, { input: `${input}\n` })));
    results.forEach((result, index) => {
      const [args, , message] = cases[index]!;
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toContain(message);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    });
    expect(await listAdminUsers(temporary.db)).toEqual(before);
  }, 60_000);

  it('has --help and --dry-run; list shows accounts, delete removes one', async () => {
    const [help, dry] = await Promise.all([
      runScript('admin', ['--help'], env),
      runScript('admin', ['create', 'dry@example.com', '--dry-run'], { ...env, ADMIN_PASSWORD: 'dry-run-password' }),
    ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('reset-password EMAIL');
    expect(dry.stdout).toContain('Would create the admin account dry@example.com');
    const list = await runScript('admin', ['list'], env);
    expect(list.stdout).toContain('piped@example.com');
    expect(list.stdout).not.toContain('dry@example.com');
    const removed = await runScript('admin', ['delete', 'piped@example.com'], env);
    expect(removed.code).toBe(0);
    expect((await listAdminUsers(temporary.db)).map((account) => account.email)).not.toContain('piped@example.com');
  }, 60_000);
});
