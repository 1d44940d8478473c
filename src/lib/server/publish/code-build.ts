import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { link, copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { configFile } from '../../config.ts';
import { precompressFiles } from './precompress.ts';
import type { SiteLayout } from './site-layout.ts';

/**
 * The site's compiled code (`astro build`: server bundle, client assets, public files) depends
 * only on the project's source, configuration, dependencies and a few environment variables, never
 * on the database: every public page is rendered afterwards from the data (render-pages.ts). So
 * it is built once per code hash into SITE_DIR/code/HASH/ and linked into every build that uses
 * it. It holds no review, so an erasure never has to touch it.
 */

/**
 * What `astro build` reads besides files: which configuration file (astro.config.mjs). The site's
 * address (SITE_URL, PORT) is not built in: pages read it when they are rendered.
 */
const buildEnvironment = ['REVIEW_WALL_CONFIG'] as const;
/**
 * Kept from `astro build`: Vite inlines environment variables whose names occur in a module that
 * uses import.meta.env whole (PORT does, in Astro's actions runtime), and no compiled code may
 * differ by the address it is served at.
 */
const notForBuild = ['SITE_URL', 'PORT'] as const;
/** Folders and files of the project that make up the code. */
const codeFolders = ['src', 'public', 'db'];
const codeFiles = ['astro.config.mjs', 'review-wall.config.ts', 'package.json', 'package-lock.json', 'tsconfig.json'];
const notCode = /\.db(-wal|-shm|-journal)?$/;

/** Every file under `folder`, relative to `root`, sorted. */
async function listFiles(root: string, folder: string): Promise<string[]> {
  const entries = await readdir(join(root, folder), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

/**
 * A hash of everything the compiled code depends on: the source, public files, database schema,
 * configuration and lockfile of the project in `projectRoot`, the build's environment variables,
 * and the Node version. Equal hashes mean the same compiled code.
 */
export async function computeCodeHash(projectRoot: string, env: NodeJS.ProcessEnv): Promise<string> {
  const root = resolve(projectRoot);
  const files = [...codeFiles.filter((file) => existsSync(join(root, file)))];
  for (const folder of codeFolders) files.push(...(await listFiles(root, folder)).filter((file) => !notCode.test(file)));
  const hash = createHash('sha256').update(`node ${process.version}\n`);
  for (const name of buildEnvironment) hash.update(`${name}=${env[name] ?? ''}\n`);
  for (const file of files) hash.update(`${file}\n`).update(await readFile(join(root, file))).update('\n');
  // A config file named by REVIEW_WALL_CONFIG may live outside the project.
  const config = configFile(env).path;
  hash.update(`config ${config}\n`).update(await readFile(config).catch(() => Buffer.from('(unreadable)'))).update('\n');
  return hash.digest('hex').slice(0, 24);
}

/** The record written when a code build is complete: which files it holds, relative to its folder. */
interface CodeRecord {
  codeHash: string;
  files: string[];
}

const recordName = 'code-build.json';

/** A complete code build: its folder, hash and files. */
export interface CodeBuild {
  dir: string;
  codeHash: string;
  files: string[];
}

/** The code build of `codeHash` under SITE_DIR/code, or null when there is none or it is incomplete. */
export async function findCodeBuild(layout: SiteLayout, codeHash: string): Promise<CodeBuild | null> {
  const dir = join(layout.root, 'code', codeHash);
  try {
    const record = JSON.parse(await readFile(join(dir, recordName), 'utf8')) as CodeRecord;
    if (record.codeHash !== codeHash || !existsSync(join(dir, 'server', 'entry.mjs'))) return null;
    return { dir, codeHash, files: record.files };
  } catch {
    return null;
  }
}

/** `env` without the variables no build may read (notForBuild). */
function withoutAddress(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const kept = { ...env };
  for (const name of notForBuild) delete kept[name];
  return kept;
}

/** Runs `astro build` into `outDir`; resolves with the outcome and the last lines of output. */
function runAstroBuild(projectRoot: string, outDir: string, env: NodeJS.ProcessEnv, onOutput?: (line: string) => void) {
  return new Promise<{ ok: boolean; tail: string[] }>((done) => {
    const astro = join(projectRoot, 'node_modules', 'astro', 'bin', 'astro.mjs');
    const child = spawn(process.execPath, [astro, 'build'], {
      cwd: projectRoot,
      env: { ...withoutAddress(env), REVIEW_WALL_BUILD_DIR: outDir, ASTRO_TELEMETRY_DISABLED: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail: string[] = [];
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 40) tail.shift();
        onOutput?.(line);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('close', (code) => done({ ok: code === 0, tail }));
    child.on('error', (error) => done({ ok: false, tail: [error.message] }));
  });
}

/** The outcome of building the code. */
export type CodeBuildOutcome = { kind: 'built'; build: CodeBuild } | { kind: 'failed'; tail: string[] };

/**
 * Compiles the site into SITE_DIR/code/HASH/ (replacing an incomplete or, with `force`, any earlier
 * one), precompresses its text files and records what it holds. The folder is built in place,
 * not renamed afterwards: the server bundle remembers the folder it was built in.
 */
export async function buildCode(
  layout: SiteLayout,
  codeHash: string,
  options: { projectRoot: string; env: NodeJS.ProcessEnv; onOutput?: ((line: string) => void) | undefined },
): Promise<CodeBuildOutcome> {
  const dir = join(layout.root, 'code', codeHash);
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  await mkdir(dir, { recursive: true });
  const result = await runAstroBuild(options.projectRoot, dir, options.env, options.onOutput);
  if (!result.ok || !existsSync(join(dir, 'server', 'entry.mjs'))) {
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    return { kind: 'failed', tail: result.tail };
  }
  await precompressFiles((await listFiles(dir, 'client')).map((file) => join(dir, file)));
  const files = [...(await listFiles(dir, 'client')), ...(await listFiles(dir, 'server'))];
  await writeFile(join(dir, recordName), `${JSON.stringify({ codeHash, files } satisfies CodeRecord)}\n`);
  return { kind: 'built', build: { dir, codeHash, files } };
}

/**
 * Hard-links `files` (relative paths) from `from` into `to`, creating folders; copies instead
 * where the file system cannot link (another device). Nothing is ever written through a link:
 * the files of a build are only linked, added or deleted, never changed in place.
 */
export async function linkFiles(from: string, to: string, files: readonly string[], madeFolders = new Set<string>()): Promise<void> {
  for (const file of files) {
    const target = join(to, file);
    const folder = dirname(target);
    if (!madeFolders.has(folder)) {
      await mkdir(folder, { recursive: true });
      madeFolders.add(folder);
    }
    try {
      await link(join(from, file), target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK') throw error;
      await copyFile(join(from, file), target);
    }
  }
}

/** Deletes code builds no remaining build uses (their hashes are in `used`). */
export async function pruneCodeBuilds(layout: SiteLayout, used: ReadonlySet<string>): Promise<void> {
  const names = await readdir(join(layout.root, 'code')).catch(() => [] as string[]);
  for (const name of names) {
    if (used.has(name)) continue;
    await rm(join(layout.root, 'code', name), { recursive: true, force: true, maxRetries: 3 });
  }
}
