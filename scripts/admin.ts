#!/usr/bin/env node
// npm run admin: manage the marketers who may sign in to /admin.
import { createInterface } from 'node:readline';
import { openAppContext } from '../src/lib/server/platform/app-context.ts';
import {
  createAdminUser,
  deleteAdminUser,
  describePasswordProblem,
  listAdminUsers,
  minimumPasswordLength,
  normalizeAdminEmail,
  resetAdminPassword,
} from '../src/lib/server/auth/admin-users.ts';
import { parseCommandLine, runCommand, UsageError } from '../src/lib/server/platform/cli.ts';
import { counted } from '../src/lib/plural.ts';

const help = `Usage: npm run admin -- COMMAND [EMAIL] [--dry-run]

Manages admin accounts (marketers who sign in at /admin/ to moderate reviews).

  create EMAIL           create an account
  reset-password EMAIL   set a new password and sign the account out everywhere
  delete EMAIL           delete an account and end its sessions
  list                   list every account

The password comes from ADMIN_PASSWORD, else from a hidden prompt (asked twice); when stdin is
not a terminal, one line is read from it. Passwords need at least ${minimumPasswordLength} characters and are
stored only as argon2id hashes.

  --dry-run   check the input and say what would happen without writing`;

/** Reads the first line of a piped stdin ("" when it is empty). */
function readOneLine(): Promise<string> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: process.stdin, terminal: false });
    let answered = false;
    lines.once('line', (line) => {
      answered = true;
      resolve(line);
      lines.close();
    });
    lines.once('close', () => {
      if (!answered) resolve('');
    });
  });
}

/** Asks on the terminal without echoing what is typed. */
function promptHidden(question: string): Promise<string> {
  const input = process.stdin;
  // Echo goes off before the prompt appears, so nothing typed after it can show.
  input.setRawMode(true);
  process.stderr.write(question);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const character of chunk) {
        if (character === '\r' || character === '\n' || character === '\u0004') return finish();
        if (character === '\u0003') return finish(new UsageError('cancelled'));
        if (character === '\u007f' || character === '\b') value = Array.from(value).slice(0, -1).join('');
        else if (character >= ' ') value += character;
      }
    };
    input.on('data', onData);
  });
}

/** The new password: ADMIN_PASSWORD, a hidden prompt asked twice, or one line of piped stdin. */
async function readNewPassword(): Promise<string> {
  let password = process.env.ADMIN_PASSWORD;
  if (password === undefined || password === '') {
    if (process.stdin.isTTY) {
      password = await promptHidden('Password: ');
      // Said at once: typing a password twice only to hear it was too short wastes both.
      const problem = describePasswordProblem(password);
      if (problem) throw new UsageError(problem);
      const again = await promptHidden('Password again: ');
      if (again !== password) throw new UsageError('the two passwords differ');
    } else {
      password = await readOneLine();
    }
  }
  const problem = describePasswordProblem(password);
  if (problem) throw new UsageError(problem);
  return password;
}

function emailArgument(positionals: string[], command: string): string {
  const value = positionals[1];
  if (!value) throw new UsageError(`${command} needs an EMAIL (npm run admin -- ${command} EMAIL)`);
  if (positionals.length > 2) throw new UsageError(`unexpected argument "${positionals[2]}"`);
  const email = normalizeAdminEmail(value);
  if (!email) throw new UsageError(`"${value}" is not an email address`);
  return email;
}

runCommand('admin', async () => {
  const { values, positionals } = parseCommandLine({ 'dry-run': { type: 'boolean' } });
  if (values.help) {
    console.log(help);
    return 0;
  }
  const command = positionals[0];
  const dryRun = values['dry-run'] === true;
  switch (command) {
    case 'list': {
      if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
      const { db } = await openAppContext();
      const accounts = await listAdminUsers(db);
      if (accounts.length === 0) console.log('No admin accounts. Create one with: npm run admin -- create EMAIL');
      for (const account of accounts) {
        console.log(`${account.email}\tcreated ${account.createdAt.toISOString().slice(0, 10)}${account.isDemo ? '\t(demo)' : ''}`);
      }
      return 0;
    }
    case 'create': {
      const email = emailArgument(positionals, command);
      const password = await readNewPassword();
      const { db } = await openAppContext();
      if (dryRun) {
        const exists = (await listAdminUsers(db)).some((account) => account.email === email);
        if (exists) throw new UsageError(`an account for ${email} already exists`);
        console.log(`Would create the admin account ${email}.`);
        return 0;
      }
      const account = await createAdminUser(db, email, password);
      if (!account) throw new UsageError(`an account for ${email} already exists (use reset-password to change its password)`);
      console.log(`Created the admin account ${email}. Sign in at /admin/sign-in.`);
      return 0;
    }
    case 'reset-password': {
      const email = emailArgument(positionals, command);
      const password = await readNewPassword();
      const { db } = await openAppContext();
      if (dryRun) {
        const exists = (await listAdminUsers(db)).some((account) => account.email === email);
        if (!exists) throw new UsageError(`no admin account for ${email}`);
        console.log(`Would set a new password for ${email} and end its sessions.`);
        return 0;
      }
      const result = await resetAdminPassword(db, email, password);
      if (!result) throw new UsageError(`no admin account for ${email}`);
      console.log(`Set a new password for ${email}; ended ${counted(result.sessionsEnded, 'session')}.`);
      return 0;
    }
    case 'delete': {
      const email = emailArgument(positionals, command);
      const { db } = await openAppContext();
      if (dryRun) {
        const exists = (await listAdminUsers(db)).some((account) => account.email === email);
        if (!exists) throw new UsageError(`no admin account for ${email}`);
        console.log(`Would delete the admin account ${email} and end its sessions.`);
        return 0;
      }
      if (!(await deleteAdminUser(db, email))) throw new UsageError(`no admin account for ${email}`);
      console.log(`Deleted the admin account ${email}.`);
      return 0;
    }
    case undefined:
      throw new UsageError('missing COMMAND: create, reset-password, delete or list (see --help)');
    default:
      throw new UsageError(`unknown command "${command}": use create, reset-password, delete or list`);
  }
});
