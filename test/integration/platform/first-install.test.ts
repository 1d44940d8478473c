import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../helpers/app.ts';

// The README's first command, `npm install`, as a newcomer runs it: in a fresh folder, with npm
// on the machine's own Node (PATH without any node_modules/.bin) and no user npm settings (an
// empty user config: this machine's ~/.npmrc turns funding notices off, a newcomer's does not).
// The npm cache is shared, so packages come from it when it is warm: about 25 s on an idle
// machine (a fresh install of every package is the point), minutes on a busy one.

const packageJson = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const projectNodeVersion = `v${packageJson.devDependencies.node}`;
/**
 * A lockfile's versions and integrity hashes. Registry URLs ("resolved") are left out: npm writes
 * or omits them by the user's own npm config (omit-lockfile-registry-resolved), not the project.
 */
function lockedVersions(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) => (key === 'resolved' ? undefined : value));
}
const committedLockfile = lockedVersions(readFileSync(join(projectRoot, 'package-lock.json'), 'utf8'));

const directory = mkdtempSync(join(tmpdir(), 'review-wall-install-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** The environment of a shell outside this project: no npm_* variables, no node_modules/.bin on PATH. */
function newcomerEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
  env.PATH = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((entry) => !entry.split(/[\\/]/).includes('node_modules'))
    .join(delimiter);
  const userConfig = join(directory, 'empty-user-npmrc');
  writeFileSync(userConfig, '');
  env.npm_config_userconfig = userConfig;
  env.npm_config_cache = process.env.npm_config_cache ?? join(homedir(), '.npm');
  env.npm_config_update_notifier = 'false'; // "a new npm is available" is about npm, not this project
  env.FORCE_COLOR = '0';
  return env;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: directory, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => done({ code, output }));
  });
}

/** Whether vX.Y.Z meets ">=X.Y[.Z]" (the form package.json uses). */
function meets(version: string, range: string): boolean {
  const want = range.replace(/^>=\s*/, '').split('.').map(Number);
  const have = version.replace(/^v/, '').split('.').map(Number);
  for (let index = 0; index < 3; index++) if ((have[index] ?? 0) !== (want[index] ?? 0)) return (have[index] ?? 0) > (want[index] ?? 0);
  return true;
}

const warnings = (output: string) => output.split('\n').filter((line) => line.startsWith('npm warn'));
const notes = (output: string) => output.split('\n').filter((line) => line.startsWith('Note: the EBADENGINE warnings above are expected'));

describe('the first command, npm install', () => {
  const env = newcomerEnvironment();
  const systemNode = execFileSync('node', ['--version'], { env, encoding: 'utf8' }).trim();

  it('installs the locked versions and says only what matters', { timeout: 600_000 }, async () => {
    for (const file of ['package.json', 'package-lock.json', '.npmrc']) copyFileSync(join(projectRoot, file), join(directory, file));
    mkdirSync(join(directory, 'scripts'));
    copyFileSync(join(projectRoot, 'scripts', 'postinstall.mjs'), join(directory, 'scripts', 'postinstall.mjs'));

    const install = await run('npm', ['install', '--prefer-offline'], env);
    expect(install.code, install.output).toBe(0);

    // No funding notice, no "install script not covered by allowScripts", no deprecation: the only
    // warnings are npm's engine checks against an older system Node, and one line says why.
    expect(install.output).not.toMatch(/looking for funding/);
    expect(install.output).not.toMatch(/allowScripts/);
    expect(warnings(install.output).filter((line) => !line.startsWith('npm warn EBADENGINE'))).toEqual([]);
    if (meets(systemNode, packageJson.engines.node)) {
      expect(warnings(install.output)).toEqual([]);
      expect(notes(install.output)).toEqual([]);
    } else {
      expect(warnings(install.output).length).toBeGreaterThan(0);
      expect(notes(install.output)).toEqual([
        `Note: the EBADENGINE warnings above are expected and harmless: npm runs on this machine's Node ${systemNode}, the project on its own Node ${projectNodeVersion} (node_modules/.bin/node, from the "node" devDependency), which every npm script uses.`,
      ]);
    }

    expect(lockedVersions(readFileSync(join(directory, 'package-lock.json'), 'utf8'))).toEqual(committedLockfile);
    const installed = (name: string) => (JSON.parse(readFileSync(join(directory, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    for (const [name, version] of Object.entries({ ...packageJson.dependencies, ...packageJson.devDependencies })) expect(installed(name), name).toBe(version);
    expect(execFileSync(join(directory, 'node_modules', '.bin', 'node'), ['--version'], { encoding: 'utf8' }).trim()).toBe(projectNodeVersion);
  });

  it('is silent about engines when npm itself runs on Node 24, and leaves the lockfile alone', { timeout: 120_000 }, async () => {
    // npm's own entry point, run by the Node the first install brought.
    const npmCli = join(realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { env, encoding: 'utf8' }).trim()), '..', '..', 'bin', 'npm-cli.js');
    const install = await run(join(directory, 'node_modules', '.bin', 'node'), [npmCli, 'install', '--prefer-offline'], env);
    expect(install.code, install.output).toBe(0);
    expect(warnings(install.output)).toEqual([]);
    expect(notes(install.output)).toEqual([]);
    expect(install.output).toMatch(/> node scripts\/postinstall\.mjs/);
    expect(lockedVersions(readFileSync(join(directory, 'package-lock.json'), 'utf8'))).toEqual(committedLockfile);
  });

  it.skipIf(meets(systemNode, packageJson.engines.node))(
    'stops with one line when npm runs on an older Node and the project\'s own Node is missing (--omit=dev)',
    async () => {
      const bare = mkdtempSync(join(tmpdir(), 'review-wall-omit-dev-'));
      try {
        copyFileSync(join(projectRoot, 'package.json'), join(bare, 'package.json'));
        mkdirSync(join(bare, 'scripts'));
        copyFileSync(join(projectRoot, 'scripts', 'postinstall.mjs'), join(bare, 'scripts', 'postinstall.mjs'));
        const systemNodePath = execFileSync('sh', ['-c', 'command -v node'], { env, encoding: 'utf8' }).trim();
        const result = await run(process.execPath, [join(bare, 'scripts', 'postinstall.mjs')], { ...env, npm_node_execpath: systemNodePath });
        expect(result.code).toBe(1);
        expect(result.output).toBe(
          `postinstall: this project needs Node ${packageJson.engines.node}; npm runs on Node ${systemNode} and the "node" devDependency that brings its own Node is not installed (was it left out with --omit=dev?). Run plain "npm install".\n`,
        );
      } finally {
        rmSync(bare, { recursive: true, force: true });
      }
    },
  );

  it('allows exactly the install scripts the project relies on (package.json allowScripts)', { timeout: 60_000 }, async () => {
    // npm 11 skips a dependency's install script unless allowScripts names it, and lists the skipped.
    const unreviewed = await run('npm', ['install-scripts', 'ls'], env);
    expect(unreviewed.output).toMatch(/^No packages with unreviewed install scripts\.$/m);
    const stale = await run('npm', ['install-scripts', 'prune', '--dry-run'], env);
    expect(stale.output).toMatch(/^No unused allowScripts entries\.$/m);
  });
});
