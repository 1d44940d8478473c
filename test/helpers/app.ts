import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { testConfigFile } from './config.ts';
import { freePort } from './sqld.ts';
import { nodeStartupArgs } from '../../src/lib/server/platform/node-startup.ts';

/** The repository root. */
export const projectRoot = resolve(import.meta.dirname, '..', '..');

/** A running `npm start` with its own database, outbox, uploads and published pages. */
export interface RunningApp {
  url: string;
  /** The server's process id (its memory can be read from /proc/PID/status). */
  pid: number;
  directory: string;
  env: Record<string, string>;
  adminEmail: string | null;
  adminPassword: string | null;
  reviewLink: string | null;
  output: () => string;
  stop(): Promise<void>;
}

/** Environment for a run isolated in `directory`, with the test configuration. */
export function isolatedEnvironment(directory: string, port: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    REVIEW_WALL_CONFIG: testConfigFile,
    DATABASE_URL: `file:${join(directory, 'db', 'app.db')}`,
    OUTBOX_DIR: join(directory, 'outbox'),
    UPLOAD_DIR: join(directory, 'uploads'),
    SITE_DIR: join(directory, 'site'),
    HOST: '127.0.0.1',
    PORT: String(port),
    SITE_URL: `http://127.0.0.1:${port}`,
    ...extra,
  };
}

/**
 * The environment a command starts with: this process's, without the npm settings of an npm
 * run that started the tests (`npm run test:e2e --headed` leaves npm_config_headed behind, which
 * the commands would take for a flag meant for them), with the test configuration and `env`.
 */
export function commandEnvironment(env: Record<string, string>): Record<string, string> {
  const inherited = Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !/^npm_/i.test(entry[0]));
  return { ...Object.fromEntries(inherited), REVIEW_WALL_CONFIG: testConfigFile, ...env, FORCE_COLOR: '0' };
}

/** Runs a script of the project (scripts/NAME.ts) to completion. */
export function runScript(
  name: string,
  args: string[],
  env: Record<string, string>,
  options: { cwd?: string; input?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [...nodeStartupArgs(options.cwd ?? projectRoot), join('scripts', `${name}.ts`), ...args], {
      cwd: options.cwd ?? projectRoot,
      env: commandEnvironment(env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdin.end(options.input ?? '');
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/**
 * Runs `npm run SCRIPT ...args` in the project as a person would type it (`args` holds what
 * follows the script name, `--` included if any), with the system npm. A run still going after
 * `timeoutMs` (a server that should have refused to start) is stopped, with its children.
 */
export function runNpm(
  script: string,
  args: string[],
  env: Record<string, string>,
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn('npm', ['run', script, ...args], {
      cwd: options.cwd ?? projectRoot,
      env: commandEnvironment(env),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      stderr += `\n(stopped after ${options.timeoutMs ?? 90_000} ms)`;
      process.kill(-child.pid!, 'SIGTERM');
    }, options.timeoutMs ?? 90_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/**
 * A copy of the project's source in a temp folder (node_modules linked, not copied), so a test
 * can change files without touching the real ones; with `tests`, the tests and their settings too.
 */
export function copyProject(options: { tests?: boolean } = {}): string {
  const directory = mkdtempSync(join(tmpdir(), 'review-wall-copy-'));
  const entries = ['src', 'db', 'scripts', 'public', 'astro.config.mjs', 'review-wall.config.ts', 'package.json', 'tsconfig.json'];
  if (options.tests) entries.push('test', 'vitest.config.ts', 'playwright.config.ts');
  for (const entry of entries) {
    cpSync(join(projectRoot, entry), join(directory, entry), {
      recursive: true,
      filter: (source) => !/\.db(-wal|-shm)?$/.test(source),
    });
  }
  symlinkSync(join(projectRoot, 'node_modules'), join(directory, 'node_modules'), 'dir');
  return directory;
}

/**
 * Signs in to a running app as a browser would (a form post from the site itself), by default as
 * the demo admin, and returns the session cookie as a `name=value` pair for a Cookie header.
 */
export async function signInAdmin(app: RunningApp, credentials = { email: app.adminEmail!, password: app.adminPassword! }): Promise<string> {
  const response = await fetch(`${app.url}/admin/sign-in`, {
    method: 'POST',
    body: new URLSearchParams(credentials),
    headers: { Origin: app.url },
    redirect: 'manual',
  });
  if (response.status !== 303) throw new Error(`${credentials.email} could not sign in: ${response.status}`);
  return (response.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/** Starts `scripts/start.ts` on a free port and waits until it serves. */
export async function startApp(options: { env?: Record<string, string>; args?: string[]; cwd?: string } = {}): Promise<RunningApp> {
  const directory = mkdtempSync(join(tmpdir(), 'review-wall-app-'));
  mkdirSync(join(directory, 'db'), { recursive: true });
  const port = await freePort();
  const env = isolatedEnvironment(directory, port, options.env);
  let log = '';
  const child: ChildProcess = spawn(process.execPath, [...nodeStartupArgs(options.cwd ?? projectRoot), join('scripts', 'start.ts'), ...(options.args ?? [])], {
    cwd: options.cwd ?? projectRoot,
    env: commandEnvironment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => (log += chunk));
  child.stderr?.on('data', (chunk) => (log += chunk));
  const deadline = Date.now() + 90_000;
  while (!/Review wall on /.test(log)) {
    if (child.exitCode !== null) throw new Error(`start exited with ${child.exitCode}: ${log}`);
    if (Date.now() > deadline) throw new Error(`start did not serve in time: ${log}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // The demo lines follow the "serving" line (on a loaded machine, not always at once).
  const demoDeadline = Date.now() + 30_000;
  while (!(options.args ?? []).includes('--no-demo') && !/Demo admin: /.test(log) && Date.now() < demoDeadline && child.exitCode === null) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  const match = (pattern: RegExp) => log.match(pattern)?.[1] ?? null;
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    directory,
    env,
    adminEmail: match(/Demo admin: (\S+) \//),
    adminPassword: match(/Demo admin: \S+ \/ (\S+)/),
    reviewLink: match(/Demo review link: (\S+)/),
    output: () => log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
