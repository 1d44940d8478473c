import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { constants as fsConstants, existsSync } from 'node:fs';
import { link, copyFile, mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
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
/**
 * A folder (opt-in, set by the test suites) where complete code builds are kept and shared by
 * every SITE_DIR of the same project: without it, each new SITE_DIR compiles the same code again.
 */
const codeCacheVariable = 'REVIEW_WALL_CODE_CACHE';
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
  const record = await readRecord(dir, codeHash);
  return record ? { dir, codeHash, files: record.files } : null;
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
 * one), precompresses its text files and records what it holds. With REVIEW_WALL_CODE_CACHE set,
 * a build of the same code made for another SITE_DIR is copied instead (see buildThroughCache).
 */
export async function buildCode(
  layout: SiteLayout,
  codeHash: string,
  options: { projectRoot: string; env: NodeJS.ProcessEnv; onOutput?: ((line: string) => void) | undefined },
): Promise<CodeBuildOutcome> {
  const dir = join(layout.root, 'code', codeHash);
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  const cache = options.env[codeCacheVariable];
  if (cache) return buildThroughCache(resolve(cache), dir, codeHash, options);
  return compileInto(dir, codeHash, options);
}

/**
 * Runs `astro build` into the empty or missing folder `dir`, precompresses and records the build.
 * The compiled code finds its files relative to its own place (the server bundle names the folder
 * it was built in, but resolves the client folder from where entry.mjs is loaded), so a build may
 * be linked or copied elsewhere.
 */
async function compileInto(
  dir: string,
  codeHash: string,
  options: { projectRoot: string; env: NodeJS.ProcessEnv; onOutput?: ((line: string) => void) | undefined },
): Promise<CodeBuildOutcome> {
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
 * Takes the build of `codeHash` from the cache folder (compiling it there first if it is missing)
 * and copies it into `dir`. A build enters the cache complete or not at all: it is compiled in a
 * temporary folder that is renamed into place, so parallel test workers never see half a build.
 * It is keyed by the project folder too, since the server bundle names the project's folders.
 * Copies, not links: nothing a test does to its SITE_DIR can reach the cache.
 */
async function buildThroughCache(
  cache: string,
  dir: string,
  codeHash: string,
  options: { projectRoot: string; env: NodeJS.ProcessEnv; onOutput?: ((line: string) => void) | undefined },
): Promise<CodeBuildOutcome> {
  const project = createHash('sha256').update(resolve(options.projectRoot)).digest('hex').slice(0, 12);
  const cached = join(cache, `${codeHash}-${project}`);
  let record = await readRecord(cached, codeHash);
  if (!record) {
    const temporary = join(cache, `.building-${codeHash}-${project}-${process.pid}-${randomBytes(4).toString('hex')}`);
    const built = await compileInto(temporary, codeHash, options);
    if (built.kind === 'failed') return built;
    // Another worker may have put the same build in place meanwhile: then keep that one. A folder
    // there without a complete build (emptied by hand) is replaced.
    if (!(await moveInto(temporary, cached)) && !(await readRecord(cached, codeHash))) {
      await rm(cached, { recursive: true, force: true, maxRetries: 3 });
      await moveInto(temporary, cached);
    }
    await rm(temporary, { recursive: true, force: true, maxRetries: 3 });
    record = await readRecord(cached, codeHash);
    if (!record) return { kind: 'failed', tail: [`the code build cache (${codeCacheVariable}) holds no complete build at ${cached}`] };
    await pruneCache(cache);
  }
  // Marks the build as used, so pruneCache keeps it.
  const now = new Date();
  await utimes(cached, now, now);
  for (const file of record.files) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await copyFile(join(cached, file), join(dir, file), fsConstants.COPYFILE_FICLONE);
  }
  // Recorded last, as compileInto does: a copy cut short is not taken for a complete build.
  await writeFile(join(dir, recordName), `${JSON.stringify({ codeHash, files: record.files } satisfies CodeRecord)}\n`);
  return { kind: 'built', build: { dir, codeHash, files: record.files } };
}

/** Renames `from` to `to`; false when `to` already exists. */
async function moveInto(from: string, to: string): Promise<boolean> {
  try {
    await rename(from, to);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
    throw error;
  }
}

/** How long a cached build (or a temporary folder a killed build left) is kept unused. */
const cacheKeepMs = 24 * 60 * 60 * 1000;

/** Deletes what in the cache folder was not used for a day: old code, configuration variants, leftovers. */
async function pruneCache(cache: string): Promise<void> {
  const limit = Date.now() - cacheKeepMs;
  for (const name of await readdir(cache).catch(() => [] as string[])) {
    const entry = join(cache, name);
    const used = await stat(entry).then((info) => info.mtimeMs, () => Date.now());
    if (used < limit) await rm(entry, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** The record of a complete build of `codeHash` in `dir`, or null. */
async function readRecord(dir: string, codeHash: string): Promise<CodeRecord | null> {
  try {
    const record = JSON.parse(await readFile(join(dir, recordName), 'utf8')) as CodeRecord;
    return record.codeHash === codeHash && existsSync(join(dir, 'server', 'entry.mjs')) ? record : null;
  } catch {
    return null;
  }
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
