import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createServer, get, Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getEnvironment } from '../platform/env.ts';
import { linkPagesInWorker } from './link-pages.ts';
import { writeCompressedSiblings } from './precompress.ts';
import { pageKeys, planPublicPages, type PublicPage } from './public-pages.ts';
import { loadPublicSite } from './public-site.ts';

/**
 * Renders a build's public pages from the database, in a process of its own (a publish starts
 * it): every page of planPublicPages, through the build's own server code, into its `client/`
 * folder, each text file with its compressed siblings. A page whose key (its props, see
 * pageKeys) equals the key it had in the previous build, with the same code, is hard-linked from
 * there instead: the same code and the same props make the same bytes. The build's manifest
 * records each page's key and files for the next publish.
 */

/** What one render run is given. */
export interface RenderJob {
  /** The new build, its code already linked in. */
  buildDir: string;
  codeHash: string;
  /** The compiled code the build links (SITE_DIR/code/HASH): its server code renders the pages. */
  codeDir: string;
  /** The build to take unchanged pages from (the live one), or null to render every page. */
  previousDir: string | null;
}

/** What a render run did, and how long each step took (milliseconds). */
export interface RenderSummary {
  reviewCount: number;
  pages: number;
  rendered: number;
  reused: number;
  /** Linking (on its own thread) and rendering run at the same time: together they took about the larger of the two. */
  timings: { load: number; plan: number; link: number; render: number; manifest: number };
}

/** One page in a build's manifest: the key of its props and its files, relative to the build. */
interface ManifestPage {
  key: string;
  files: string[];
}

/** `publish-manifest.json` of a build. */
export interface PublishManifest {
  version: 1;
  codeHash: string;
  pages: Record<string, ManifestPage>;
}

/** Where a build records its pages. */
export const manifestName = 'publish-manifest.json';

/** A build's manifest, or null (none, unreadable, or from another version). */
export function readManifest(buildDir: string): PublishManifest | null {
  try {
    const manifest = JSON.parse(readFileSync(join(buildDir, manifestName), 'utf8')) as PublishManifest;
    return manifest.version === 1 && typeof manifest.codeHash === 'string' && typeof manifest.pages === 'object' ? manifest : null;
  } catch {
    return null;
  }
}

/** The file a page is written to, relative to the build: `/a/` → `client/a/index.html`. */
export function pageFile(path: string): string {
  if (!path.startsWith('/') || path.split('/').includes('..')) throw new Error(`not a page path: ${path}`);
  return `client${path.endsWith('/') ? `${path}index.html` : path}`;
}

type NodeHandler = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void, locals: object) => Promise<void>;

/**
 * Serves the compiled code on a loopback port, handing each page its props as locals. The code is
 * imported from its SITE_DIR/code folder, the same URL for every build of that code, so a renderer
 * kept between publishes imports it once.
 */
async function startRenderServer(codeDir: string, pages: ReadonlyMap<string, PublicPage>) {
  const entry = (await import(pathToFileURL(join(codeDir, 'server', 'entry.mjs')).href)) as { handler: NodeHandler };
  const server = createServer((request, response) => {
    const publicPage = pages.get(request.url ?? '');
    void entry.handler(request, response, (error?: unknown) => {
      response.writeHead(error ? 500 : 404);
      response.end();
    }, publicPage ? { publicPage } : {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** GETs `path` from the render server; the body, or an error naming the page. */
function fetchPage(port: number, agent: Agent, path: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const request = get({ host: '127.0.0.1', port, path, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const body = Buffer.concat(chunks);
        if (response.statusCode === 200) resolve(body);
        else reject(new Error(`rendering ${path} answered ${response.statusCode}: ${body.toString('utf8').slice(0, 200)}`));
      });
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

/** Renders (or reuses) every public page into `job.buildDir` and writes its manifest. */
export async function renderPages(job: RenderJob): Promise<RenderSummary> {
  let mark = performance.now();
  const lap = () => {
    const now = performance.now();
    const elapsed = Math.round(now - mark);
    mark = now;
    return elapsed;
  };
  const site = await loadPublicSite();
  const load = lap();
  const pages = planPublicPages(site, getEnvironment().UPLOAD_DIR);
  const keyOf = pageKeys();
  const keys = pages.map(keyOf);
  const plan = lap();
  const previous = job.previousDir ? readManifest(job.previousDir) : null;
  const reusable = previous && previous.codeHash === job.codeHash ? previous.pages : {};
  const done = new Map<string, ManifestPage>();
  const folders = new Set<string>();
  // One plain mkdir per folder, parents first only when missing (see link-pages.ts); the linking
  // thread makes folders too, so one may appear at any moment.
  const makeFolder = (folder: string): void => {
    if (folders.has(folder)) return;
    try {
      mkdirSync(folder);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && dirname(folder) !== folder) {
        makeFolder(dirname(folder));
        mkdirSync(folder, { recursive: true });
      } else if (code !== 'EEXIST') throw error;
    }
    folders.add(folder);
  };

  // Pages whose props (and code) did not change are linked from the previous build on another
  // thread while the others are rendered here.
  const toLink: { page: PublicPage; key: string; files: string[] }[] = [];
  const toRender: { page: PublicPage; key: string }[] = [];
  for (const [index, page] of pages.entries()) {
    const key = keys[index]!;
    const before = Object.hasOwn(reusable, page.path) ? reusable[page.path] : undefined;
    if (before && before.key === key && before.files[0] === pageFile(page.path)) toLink.push({ page, key, files: before.files });
    else toRender.push({ page, key });
  }

  let link = 0;
  const linked = (async () => {
    const started = performance.now();
    const failed = new Set(await linkPagesInWorker(job.previousDir ?? '', job.buildDir, toLink.map(({ files }) => files)));
    for (const [index, { page, key, files }] of toLink.entries()) if (!failed.has(index)) done.set(page.path, { key, files });
    link = Math.round(performance.now() - started);
    // Gone from the previous build (say an erasure took it): rendered instead.
    return toLink.filter((_, index) => failed.has(index)).map(({ page, key }) => ({ page, key }));
  })();
  const renderStarted = performance.now();
  try {
    await renderAll(job, toRender, done, makeFolder);
  } catch (error) {
    await linked.catch(() => {});
    throw error;
  }
  const missing = await linked;
  await renderAll(job, missing, done, makeFolder);
  const render = Math.round(performance.now() - renderStarted);
  lap();
  // In the plan's order, so the manifest does not depend on which pages were reused.
  const manifest: PublishManifest = { version: 1, codeHash: job.codeHash, pages: Object.fromEntries(pages.map((page) => [page.path, done.get(page.path)!])) };
  writeFileSync(join(job.buildDir, manifestName), `${JSON.stringify(manifest)}\n`);
  const timings = { load, plan, link, render, manifest: lap() };
  const rendered = toRender.length + missing.length;
  return { reviewCount: site.reviews.length, pages: pages.length, rendered, reused: pages.length - rendered, timings };
}

/** Renders `pages` through the build's server code into the build, each with its compressed siblings. */
async function renderAll(job: RenderJob, pages: readonly { page: PublicPage; key: string }[], done: Map<string, ManifestPage>, makeFolder: (folder: string) => void): Promise<void> {
  if (pages.length === 0) return;
  const { server, port } = await startRenderServer(job.codeDir, new Map(pages.map(({ page }) => [page.path, page])));
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  try {
    let next = 0;
    const worker = async () => {
      while (next < pages.length) {
        const { page, key } = pages[next++]!;
        const body = await fetchPage(port, agent, page.path);
        const file = pageFile(page.path);
        const absolute = join(job.buildDir, file);
        makeFolder(dirname(absolute));
        writeFileSync(absolute, body);
        const siblings = await writeCompressedSiblings(absolute, body);
        done.set(page.path, { key, files: [file, ...siblings.map((suffix) => `${file}${suffix}`)] });
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
  } finally {
    agent.destroy();
    server.close();
  }
}

/** Marks the line that carries a job's outcome on the renderer's stdout (the server code may print too). */
export const resultPrefix = 'render-result:';

/** The outcome of one job, as the renderer reports it. */
export type RenderOutcome = { ok: true; summary: RenderSummary } | { ok: false; error: string };

async function runJob(job: RenderJob): Promise<RenderOutcome> {
  try {
    return { ok: true, summary: await renderPages(job) };
  } catch (error) {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return { ok: false, error: (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 500) };
  }
}

// Started by a publish (renderer-process.ts): `render-pages.ts JOB_JSON` runs one job and exits;
// `render-pages.ts --serve` runs one job per line of stdin until stdin ends, for a server that
// publishes often and keeps its renderer (and the modules it loaded) between publishes.
if (import.meta.main) {
  if (process.argv[2] === '--serve') {
    for await (const line of createInterface({ input: process.stdin })) {
      if (!line.trim()) continue;
      console.log(`${resultPrefix}${JSON.stringify(await runJob(JSON.parse(line) as RenderJob))}`);
    }
    process.exit(0);
  } else {
    const outcome = await runJob(JSON.parse(process.argv[2]!) as RenderJob);
    console.log(`${resultPrefix}${JSON.stringify(outcome)}`);
    process.exit(outcome.ok ? 0 : 1);
  }
}
