import { and, desc, eq, gt } from 'drizzle-orm';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { basename, join, resolve, sep } from 'node:path';
import type { Database } from '../../../../db/client.ts';
import { publishRuns } from '../../../../db/schema.ts';
import { buildCode, computeCodeHash, findCodeBuild, linkFiles, pruneCodeBuilds } from './code-build.ts';
import { precompressFiles } from './precompress.ts';
import { manifestName, readManifest, type RenderSummary } from './render-pages.ts';
import { runRenderer } from './renderer-process.ts';
import { liveServerBuilds } from './server-builds.ts';
import { holdsErasedData, readPointer, reduceToServerCode, siteLayout, swapPointer, type SiteLayout } from './site-layout.ts';
import { configFile } from '../../config.ts';

export { readPointer, siteLayout, swapPointer, type SiteLayout } from './site-layout.ts';

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

/** How many pages a publish wrote: all of them, rendered now or linked unchanged from the live build. */
export interface PagesPublished {
  total: number;
  rendered: number;
  reused: number;
  /** Milliseconds of each step of rendering (see render-pages.ts). */
  timings: RenderSummary['timings'];
}

/** The outcome of one publish. */
export type PublishResult =
  | {
      status: 'succeeded';
      runId: number;
      reviewCount: number;
      /** The whole run, including deleting builds nobody needs after the swap. */
      durationMs: number;
      /** From the start until the new build was swapped in (live). */
      swappedAfterMs: number;
      buildDir: string;
      pages: PagesPublished;
    }
  | { status: 'failed'; runId: number; error: string; durationMs: number }
  | { status: 'busy'; runId: number };

/**
 * What a publish may reuse. `changed` (the default): the compiled code when nothing it depends on
 * changed, and every page whose props are the same as in the live build. `pages`: the code, but
 * every page rendered again. `everything`: nothing, the code is compiled again too.
 */
export type Rebuild = 'changed' | 'pages' | 'everything';

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
  /** What may be reused from earlier publishes (default: `changed`). */
  rebuild?: Rebuild;
}

const staleRunMilliseconds = 15 * 60 * 1000;

/** The most telling line of a failed build's output; `configSource` names the config file as messages do. */
function summarizeFailure(tail: string[], configSource: string): string {
  const telling = tail.find((line) => /^\s*(\[\w+\]\s*)?\w*Error\b|review-wall\.config|DATABASE_URL|environment:/.test(line) || line.includes(`${configSource}:`));
  return (telling ?? tail.at(-1) ?? 'the build failed').replace(/\u001b\[[0-9;]*m/g, '').trim().slice(0, 500);
}

/**
 * Writes `.gz` and `.br` next to every text file of a build's client folder (see precompress.ts).
 * Publishing compresses each file as it writes it; this is for builds made some other way.
 */
export async function precompressBuild(clientDir: string): Promise<void> {
  const entries = await readdir(clientDir, { recursive: true, withFileTypes: true });
  await precompressFiles(entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name)));
}

/** The live build, when its pages may be reused: it has a manifest and no erasure marked it. */
async function reusableBuild(layout: SiteLayout): Promise<string | null> {
  const live = await readPointer(layout.current);
  if (!live || holdsErasedData(live) || !existsSync(join(live, manifestName))) return null;
  return live;
}

/** Marks a build as being made; an erasure deleting it meanwhile takes the mark with it. */
const inProgressMarker = 'publishing';

/**
 * Deletes builds nobody needs. Kept: the live one; the previous one (a request may still be
 * reading it), unless an erasure marked it; builds newer than the live one (a publish may be
 * writing one); and builds live servers run from, reduced to their server code once marked.
 */
async function pruneBuilds(layout: SiteLayout): Promise<void> {
  const current = await readPointer(layout.current);
  if (!current) return;
  const served = await liveServerBuilds(layout);
  const names = (await readdir(layout.builds)).sort((a, b) => Number(b) - Number(a));
  let previousKept = false;
  for (const name of names) {
    const path = join(layout.builds, name);
    if (path === current || Number(name) > Number(basename(current))) continue;
    const erased = holdsErasedData(path);
    if (served.has(path)) {
      if (erased) await reduceToServerCode(path);
      continue;
    }
    if (!previousKept && !erased) {
      previousKept = true;
      continue;
    }
    await rm(path, { recursive: true, force: true, maxRetries: 3 });
  }
  // Builds hold links to their code: only the live build's code is worth keeping for the next publish.
  const liveCode = readManifest(current)?.codeHash;
  await pruneCodeBuilds(layout, new Set(liveCode ? [liveCode] : []));
}

/**
 * Records a new running publish unless a recent one is running, in ONE statement: two
 * processes (the server, `npm run publish`) can never both pass the check and build at once.
 * A run older than 15 minutes counts as crashed. Returns the new run's id, or null when busy.
 */
export async function claimPublishRun(db: Database, startedBy: string, now = Date.now()): Promise<number | null> {
  const claimed = await db.$client.execute({
    sql: `insert into publish_runs (started_by, status, started_at)
          select ?, 'running', ? where not exists (select 1 from publish_runs where status = 'running' and started_at > ?)
          returning id`,
    args: [startedBy, now, now - staleRunMilliseconds],
  });
  const id = claimed.rows[0]?.['id'];
  if (id === undefined || id === null) return null;
  // Every request queued before this run started is covered by it: the build reads the database after this point.
  await db.$client.execute({
    sql: `update publish_runs set status = 'superseded', finished_at = ? where status = 'queued' and id < ?`,
    args: [Date.now(), Number(id)],
  });
  return Number(id);
}

/** The publish that is running now (and not stale), or null. */
async function runningPublish(db: Database): Promise<number | null> {
  const [running] = await db
    .select({ id: publishRuns.id })
    .from(publishRuns)
    .where(and(eq(publishRuns.status, 'running'), gt(publishRuns.startedAt, new Date(Date.now() - staleRunMilliseconds))))
    .orderBy(desc(publishRuns.id))
    .limit(1);
  return running?.id ?? null;
}

/**
 * Asks for a publish after the running one, in the database so whichever process runs it
 * (this server, another one, `npm run publish`) serves the request when it finishes, and
 * `npm start` serves one left behind. At most one request waits: one more build covers all.
 */
export async function queuePublishRequest(db: Database, startedBy: string): Promise<void> {
  await db.$client.execute({
    sql: `insert into publish_runs (started_by, status, started_at)
          select ?, 'queued', ? where not exists (select 1 from publish_runs where status = 'queued')`,
    args: [startedBy, Date.now()],
  });
}

/** The waiting publish request, or null. */
export async function queuedPublishRequest(db: Database): Promise<{ id: number; startedBy: string } | null> {
  const [queued] = await db
    .select({ id: publishRuns.id, startedBy: publishRuns.startedBy })
    .from(publishRuns)
    .where(eq(publishRuns.status, 'queued'))
    .orderBy(publishRuns.id)
    .limit(1);
  return queued ?? null;
}

/**
 * Rebuilds the public pages from the database into a new folder and swaps it in atomically.
 * A failed build leaves the previous pages live and records why. When a publish was requested
 * while this one ran (see queuePublishRequest), it publishes again before returning, and
 * returns the last run's outcome.
 */
export async function publishSite(options: PublishOptions): Promise<PublishResult> {
  let result = await publishOnce(options, options.startedBy);
  if (result.status === 'busy') return result;
  for (;;) {
    const queued = await queuedPublishRequest(options.db);
    if (!queued) return result;
    const next = await publishOnce(options, queued.startedBy);
    // Another process claimed the next run: it covers the request (or serves it when it ends).
    if (next.status === 'busy') return result;
    result = next;
  }
}

async function publishOnce(options: PublishOptions, startedBy: string): Promise<PublishResult> {
  const { db } = options;
  const layout = siteLayout(options.siteDir);
  const started = Date.now();
  let runId = await claimPublishRun(db, startedBy, started);
  for (let attempt = 0; runId === null; attempt++) {
    const running = await runningPublish(db);
    if (running !== null || attempt >= 3) return { status: 'busy', runId: running ?? 0 };
    // The running one ended between the claim and the look: try again.
    runId = await claimPublishRun(db, startedBy);
  }
  const run = { id: runId };
  options.onStarted?.(run.id);
  const buildDir = join(layout.builds, String(run.id));
  const fail = async (error: string): Promise<PublishResult> => {
    await rm(buildDir, { recursive: true, force: true });
    await db.update(publishRuns).set({ status: 'failed', error, finishedAt: new Date() }).where(eq(publishRuns.id, run.id));
    return { status: 'failed', runId: run.id, error, durationMs: Date.now() - started };
  };
  try {
    const projectRoot = options.projectRoot ?? process.cwd();
    const env = options.env ?? process.env;
    const rebuild = options.rebuild ?? 'changed';
    await mkdir(buildDir, { recursive: true });
    await writeFile(join(buildDir, inProgressMarker), 'A publish is writing this build.\n');
    await linkDependencies(layout, projectRoot);

    // The compiled code: reused when nothing it depends on changed (see code-build.ts).
    const codeHash = await computeCodeHash(projectRoot, env);
    let code = rebuild === 'everything' ? null : await findCodeBuild(layout, codeHash);
    if (!code) {
      const built = await buildCode(layout, codeHash, { projectRoot, env, onOutput: options.onOutput });
      if (built.kind === 'failed') return await fail(summarizeFailure(built.tail, configFile(env).source));
      code = built.build;
    }

    // The pages: each one whose props did not change is linked from the live build, the rest rendered.
    let previousDir = rebuild === 'changed' ? await reusableBuild(layout) : null;
    let rendered: RenderSummary;
    for (;;) {
      await linkFiles(code.dir, buildDir, code.files);
      const render = await runRenderer({ buildDir, codeHash, codeDir: code.dir, previousDir }, projectRoot, env, options.onOutput);
      if (!render.ok) return await fail(render.error);
      rendered = render.summary;
      // An erasure marked the build reused from while this one was made: nothing of it may stay.
      if (!previousDir || !holdsErasedData(previousDir)) break;
      previousDir = null;
      await rm(join(buildDir, 'client'), { recursive: true, force: true, maxRetries: 3 });
      await rm(join(buildDir, 'server'), { recursive: true, force: true, maxRetries: 3 });
    }
    // An erasure deletes the builds of runs recorded before it, this one included: then it must not go live.
    if (!existsSync(join(buildDir, inProgressMarker)) || !existsSync(join(buildDir, 'client', 'index.html'))) {
      return await fail('an erasure removed this build while it was being made; the publish that follows the erasure builds it again');
    }
    await rm(join(buildDir, inProgressMarker));
    await swapPointer(layout.current, buildDir);
    const swappedAfterMs = Date.now() - started;
    await db
      .update(publishRuns)
      .set({ status: 'succeeded', reviewCount: rendered.reviewCount, buildDir: basename(buildDir), finishedAt: new Date() })
      .where(eq(publishRuns.id, run.id));
    await pruneBuilds(layout);
    return {
      status: 'succeeded',
      runId: run.id,
      reviewCount: rendered.reviewCount,
      durationMs: Date.now() - started,
      swappedAfterMs,
      buildDir,
      pages: { total: rendered.pages, rendered: rendered.rendered, reused: rendered.reused, timings: rendered.timings },
    };
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
      // Called again for each follow-up run publishSite starts for a queued request.
      onStarted: (id) => {
        if (runId !== null) backgroundProgress.delete(runId);
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
      },
      (error: unknown) => {
        if (runId === null) reject(error);
        else console.error(`publish run ${runId}:`, error);
      },
    );
  });
}

/**
 * Makes sure the public pages get rebuilt from the database as it is now: starts a publish in
 * the background, or, when one is already running (in any process), records a request that
 * the running one serves when it ends. Resolves once the publish or the request is recorded.
 */
export async function requestPublish(options: Omit<PublishOptions, 'onStarted' | 'onOutput'>): Promise<{ status: 'started' | 'queued'; runId: number }> {
  const outcome = await startPublishInBackground(options);
  if (outcome.status === 'started') return { status: 'started', runId: outcome.runId };
  await queuePublishRequest(options.db, options.startedBy);
  // The running publish may have ended just before the request was recorded and not seen it:
  // try once more; a run that starts now covers the request (claimPublishRun marks it superseded).
  const retry = await startPublishInBackground(options);
  return { status: retry.status === 'started' ? 'started' : 'queued', runId: retry.runId };
}

/**
 * Publishes after an approval (config publish.automaticallyAfterApproval) or an erasure. When a
 * publish is already running, one more follows it, so the change is not left out.
 */
export async function publishAfterApproval(options: Omit<PublishOptions, 'onStarted' | 'onOutput'>): Promise<void> {
  await requestPublish(options);
}
