import { and, count, desc, eq, gt } from 'drizzle-orm';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import { basename, join, resolve, sep } from 'node:path';
import type { Database } from '../../../db/client.ts';
import { publishRuns, reviews } from '../../../db/schema.ts';

/** Where published builds live: `builds/N/`, with `current` pointing at the live one. */
export interface SiteLayout {
  root: string;
  builds: string;
  current: string;
  /** The build whose server code a running server loaded; never pruned. */
  server: string;
}

/** The folders under SITE_DIR. */
export function siteLayout(siteDir: string): SiteLayout {
  const root = resolve(siteDir);
  return { root, builds: join(root, 'builds'), current: join(root, 'current'), server: join(root, 'server') };
}

/** The build folder a pointer (current or server) names, or null. */
export async function readPointer(pointer: string): Promise<string | null> {
  try {
    return resolve(join(pointer, '..'), await readlink(pointer));
  } catch {
    return null;
  }
}

/** Points a symlink at a folder atomically: a reader sees the old target or the new, never none. */
export async function swapPointer(pointer: string, target: string): Promise<void> {
  const temporary = `${pointer}.${process.pid}.${Date.now()}.tmp`;
  await symlink(target, temporary, 'dir');
  await rename(temporary, pointer);
}

/**
 * Built server code imports packages from node_modules; when SITE_DIR lies outside the project
 * (a temp folder, a mounted volume), a link next to the builds lets Node find them.
 */
async function linkDependencies(layout: SiteLayout, projectRoot: string): Promise<void> {
  const link = join(layout.root, 'node_modules');
  const target = join(resolve(projectRoot), 'node_modules');
  if (layout.root.startsWith(resolve(projectRoot) + sep) || existsSync(link)) return;
  await symlink(target, link, 'dir');
}

/** The outcome of one publish. */
export type PublishResult =
  | { status: 'succeeded'; runId: number; reviewCount: number; durationMs: number; buildDir: string }
  | { status: 'failed'; runId: number; error: string; durationMs: number }
  | { status: 'busy'; runId: number };

/** Options for `publishSite`. */
export interface PublishOptions {
  db: Database;
  siteDir: string;
  /** Who pressed Publish: an admin email, "start" or "cli". */
  startedBy: string;
  /** Environment for the build (DATABASE_URL and friends). */
  env?: NodeJS.ProcessEnv;
  /** Project root holding astro.config.mjs. */
  projectRoot?: string;
  /** Receives build output lines, for progress. */
  onOutput?: (line: string) => void;
  /** Called once the run is recorded, before the build starts. */
  onStarted?: (runId: number) => void;
}

const staleRunMilliseconds = 15 * 60 * 1000;

function runBuild(projectRoot: string, outDir: string, env: NodeJS.ProcessEnv, onOutput?: (line: string) => void) {
  return new Promise<{ ok: boolean; tail: string[] }>((done) => {
    const astro = join(projectRoot, 'node_modules', 'astro', 'bin', 'astro.mjs');
    const child = spawn(process.execPath, [astro, 'build'], {
      cwd: projectRoot,
      env: { ...env, REVIEW_WALL_BUILD_DIR: outDir, ASTRO_TELEMETRY_DISABLED: '1', FORCE_COLOR: '0' },
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

/** The most telling line of a failed build's output. */
function summarizeFailure(tail: string[]): string {
  const telling = tail.find((line) => /^\s*(\[\w+\]\s*)?\w*Error\b|review-wall\.config|DATABASE_URL|environment:/.test(line));
  return (telling ?? tail.at(-1) ?? 'the build failed').replace(/\u001b\[[0-9;]*m/g, '').trim().slice(0, 500);
}

const compressible = /\.(html|json|js|css|xml|svg|txt)$/;
const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/**
 * Writes `.gz` and `.br` next to every text file of a build, so the static server (sirv, or a
 * CDN that honours them) sends compressed pages without compressing on each request.
 */
export async function precompressBuild(clientDir: string): Promise<void> {
  const entries = await readdir(clientDir, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile() && compressible.test(entry.name)).map((entry) => join(entry.parentPath, entry.name));
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      const content = await readFile(file);
      if (content.byteLength < 256) continue;
      const [gzipped, brotli] = await Promise.all([
        gzipAsync(content, { level: 9 }),
        brotliAsync(content, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: content.byteLength } }),
      ]);
      await Promise.all([writeFile(`${file}.gz`, gzipped), writeFile(`${file}.br`, brotli)]);
    }
  };
  // Brotli quality 5: within 1 % of quality 9 on these small pages, and 14 times faster (bench/publish.bench.ts).
  await Promise.all(Array.from({ length: 4 }, worker));
}

/** Deletes builds other than the live one, the previous one and the one a server runs from. */
async function pruneBuilds(layout: SiteLayout): Promise<void> {
  const keep = new Set([await readPointer(layout.current), await readPointer(layout.server)]);
  const names = (await readdir(layout.builds)).sort((a, b) => Number(b) - Number(a));
  let previousKept = false;
  for (const name of names) {
    const path = join(layout.builds, name);
    if (keep.has(path)) continue;
    if (!previousKept) {
      previousKept = true;
      continue;
    }
    await rm(path, { recursive: true, force: true });
  }
}

/**
 * Rebuilds the public pages from the database into a new folder and swaps it in atomically.
 * A failed build leaves the previous pages live and records why.
 */
export async function publishSite(options: PublishOptions): Promise<PublishResult> {
  const { db } = options;
  const layout = siteLayout(options.siteDir);
  const started = Date.now();
  const [running] = await db
    .select({ id: publishRuns.id })
    .from(publishRuns)
    .where(and(eq(publishRuns.status, 'running'), gt(publishRuns.startedAt, new Date(started - staleRunMilliseconds))))
    .orderBy(desc(publishRuns.id))
    .limit(1);
  if (running) return { status: 'busy', runId: running.id };

  const [run] = await db.insert(publishRuns).values({ startedBy: options.startedBy }).returning({ id: publishRuns.id });
  if (!run) throw new Error('could not record the publish run');
  options.onStarted?.(run.id);
  const buildDir = join(layout.builds, String(run.id));
  const fail = async (error: string): Promise<PublishResult> => {
    await rm(buildDir, { recursive: true, force: true });
    await db.update(publishRuns).set({ status: 'failed', error, finishedAt: new Date() }).where(eq(publishRuns.id, run.id));
    return { status: 'failed', runId: run.id, error, durationMs: Date.now() - started };
  };
  try {
    const projectRoot = options.projectRoot ?? process.cwd();
    await mkdir(layout.builds, { recursive: true });
    await linkDependencies(layout, projectRoot);
    const [approved] = await db.select({ value: count() }).from(reviews).where(eq(reviews.status, 'approved'));
    const reviewCount = approved?.value ?? 0;

    const build = await runBuild(projectRoot, buildDir, options.env ?? process.env, options.onOutput);
    if (!build.ok || !existsSync(join(buildDir, 'client', 'index.html'))) return await fail(summarizeFailure(build.tail));
    await precompressBuild(join(buildDir, 'client'));
    await swapPointer(layout.current, buildDir);
    await db
      .update(publishRuns)
      .set({ status: 'succeeded', reviewCount, buildDir: basename(buildDir), finishedAt: new Date() })
      .where(eq(publishRuns.id, run.id));
    await pruneBuilds(layout);
    return { status: 'succeeded', runId: run.id, reviewCount, durationMs: Date.now() - started, buildDir };
  } catch (error) {
    // A run must never stay "running" because of an unexpected error (disk full, permissions).
    return fail((error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 500));
  }
}

/** One row of the publish history, as the admin shows it. */
export interface PublishRunSummary {
  id: number;
  startedBy: string;
  status: string;
  reviewCount: number | null;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  /** Build time so far for a running publish. */
  durationMs: number;
}

/** The latest publish runs, newest first. */
export async function listPublishRuns(db: Database, limit = 20): Promise<PublishRunSummary[]> {
  const rows = await db.select().from(publishRuns).orderBy(desc(publishRuns.id)).limit(limit);
  const now = Date.now();
  return rows.map((row) => ({
    id: row.id,
    startedBy: row.startedBy,
    status: row.status,
    reviewCount: row.reviewCount,
    error: row.error,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    durationMs: (row.finishedAt?.getTime() ?? now) - row.startedAt.getTime(),
  }));
}

/** The last build line of each publish this process runs in the background, for progress. */
const backgroundProgress = new Map<number, string>();
/** An approval arrived while a publish was running: publish again when it ends. */
let rerunRequested: Omit<PublishOptions, 'onStarted' | 'onOutput'> | null = null;

/** The last build output line of a publish running in this process, or null. */
export function publishProgress(runId: number): string | null {
  return backgroundProgress.get(runId) ?? null;
}

/**
 * Starts a publish without waiting for the build: resolves once the run is recorded (or with
 * "busy" when one is already running), so a request returns at once and the admin page follows
 * progress from the publish_runs table.
 */
export function startPublishInBackground(
  options: Omit<PublishOptions, 'onStarted' | 'onOutput'>,
): Promise<{ status: 'started' | 'busy'; runId: number }> {
  return new Promise((resolve, reject) => {
    let runId: number | null = null;
    publishSite({
      ...options,
      onStarted: (id) => {
        runId = id;
        backgroundProgress.set(id, 'starting the build');
        resolve({ status: 'started', runId: id });
      },
      onOutput: (line) => {
        if (runId !== null) backgroundProgress.set(runId, line.replace(/\u001b\[[0-9;]*m/g, '').trim().slice(0, 200));
      },
    }).then(
      (result) => {
        backgroundProgress.delete(result.runId);
        if (result.status === 'busy') {
          resolve({ status: 'busy', runId: result.runId });
          return;
        }
        if (result.status === 'failed') console.error(`publish run ${result.runId} failed: ${result.error}`);
        const rerun = rerunRequested;
        rerunRequested = null;
        if (rerun) void startPublishInBackground(rerun).catch((error: unknown) => console.error('publish:', error));
      },
      (error: unknown) => {
        if (runId === null) reject(error);
        else console.error(`publish run ${runId}:`, error);
      },
    );
  });
}

/**
 * Publishes after an approval (config publish.automaticallyAfterApproval). When a publish is
 * already running, one more follows it, so the new approval is not left out.
 */
export async function publishAfterApproval(options: Omit<PublishOptions, 'onStarted' | 'onOutput'>): Promise<void> {
  const outcome = await startPublishInBackground(options);
  if (outcome.status === 'busy') rerunRequested = options;
}
