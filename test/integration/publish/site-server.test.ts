import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formerUrlPage } from '../../../src/lib/publish/former-urls.ts';
import { swapPointer } from '../../../src/lib/server/publish/site-layout.ts';
import { bindSitePort, livePointerMaxAgeMilliseconds, liveStaticFiles, startSiteServer, type BoundPort } from '../../../src/lib/server/publish/site-server.ts';
import { projectRoot } from '../../helpers/app.ts';

/** A site server in its own process; resolves once it serves. */
function serveInProcess(siteDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['test/helpers/site-server-process.ts', siteDir], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /^(http:\S+)\n/.exec(output)?.[1];
      if (url) resolve({ url, child });
    });
    child.once('exit', (code) => reject(new Error(`site server exited with ${code}`)));
  });
}

/** A build folder with one wall page saying `text`. */
function makeBuild(siteDir: string, name: string, text: string): string {
  const build = join(siteDir, 'builds', name);
  mkdirSync(join(build, 'client'), { recursive: true });
  mkdirSync(join(build, 'server'), { recursive: true });
  writeFileSync(join(build, 'client', 'index.html'), text);
  writeFileSync(join(build, 'server', 'entry.mjs'), `export function handler(request, response) { response.writeHead(404); response.end('on demand'); }\n`);
  return build;
}

// The real site server over a small hand-made build: its server code answers every on-demand
// request with 404 "on demand", so no astro build is needed.
describe('the site server', () => {
  let siteDir: string;
  const opened: { close(): Promise<void> }[] = [];

  beforeEach(async () => {
    siteDir = mkdtempSync(join(tmpdir(), 'review-wall-site-server-'));
    const build = join(siteDir, 'builds', '1');
    mkdirSync(join(build, 'client', 'testimonials', '7'), { recursive: true });
    mkdirSync(join(build, 'server'), { recursive: true });
    writeFileSync(join(build, 'client', 'index.html'), '<p>the wall</p>');
    writeFileSync(join(build, 'client', 'testimonials', '7', 'index.html'), '<p>review 7</p>');
    writeFileSync(join(build, 'server', 'entry.mjs'), `export function handler(request, response) { response.writeHead(404); response.end('on demand'); }\n`);
    await swapPointer(join(siteDir, 'current'), build);
  });
  afterEach(async () => {
    for (const server of opened.splice(0)) await server.close();
    rmSync(siteDir, { recursive: true, force: true });
  });

  async function bind(port = 0): Promise<BoundPort> {
    const outcome = await bindSitePort('127.0.0.1', port);
    if (outcome.kind !== 'bound') throw new Error(`could not bind: ${outcome.kind}`);
    opened.push(outcome.port);
    return outcome.port;
  }

  it('holds its port from the start, answering 503 with Retry-After until the site is served', async () => {
    const bound = await bind();
    const starting = await fetch(`${bound.url}/`);
    expect(starting.status).toBe(503);
    expect(starting.headers.get('retry-after')).toBe('5');
    expect(await starting.text()).toContain('starting');
    expect(await bindSitePort('127.0.0.1', Number(new URL(bound.url).port))).toEqual({ kind: 'in-use' });

    const site = await startSiteServer({ siteDir, host: '127.0.0.1', port: 0, bound });
    expect(site.url).toBe(bound.url);
    expect(await (await fetch(`${site.url}/`)).text()).toBe('<p>the wall</p>');
    expect(readdirSync(join(siteDir, 'servers'))).toHaveLength(1);
    await site.close();
    opened.length = 0;
    // A clean stop removes the server's pointer to its build.
    expect(readdirSync(join(siteDir, 'servers'))).toEqual([]);
  });

  it('answers the former numeric address of a testimonial with a 301 while its redirect page is in the live build, and serves any other page there as it is', async () => {
    const client = join(siteDir, 'builds', '1', 'client');
    mkdirSync(join(client, 'testimonials', '5'), { recursive: true });
    writeFileSync(join(client, 'testimonials', '5', 'index.html'), formerUrlPage('/testimonials/0123456789abcdef/', 'https://reviews.example.com'));
    const site = await startSiteServer({ siteDir, host: '127.0.0.1', port: 0, siteUrl: 'https://reviews.example.com' });
    opened.push(site);
    const moved = await fetch(`${site.url}/testimonials/5/`, { redirect: 'manual' });
    expect(moved.status).toBe(301);
    expect(moved.headers.get('location')).toBe('/testimonials/0123456789abcdef/');
    expect(moved.headers.get('strict-transport-security')).toBe('max-age=31536000');
    // A page of a build from before public ids is no redirect page: served as it is.
    expect(await (await fetch(`${site.url}/testimonials/7/`)).text()).toBe('<p>review 7</p>');
    // Gone from the build (an erasure): no redirect any more (the static handler, which had listed
    // the file, cuts the answer off).
    rmSync(join(client, 'testimonials', '5'), { recursive: true });
    const gone = await fetch(`${site.url}/testimonials/5/`, { redirect: 'manual' }).then((response) => response.status, () => 'cut off');
    expect(gone).not.toBe(301);
  });

  it('survives a request for a page an erasure deleted from the live build after the server listed it', async () => {
    const site = await startSiteServer({ siteDir, host: '127.0.0.1', port: 0 });
    opened.push(site);
    expect((await fetch(`${site.url}/testimonials/7/`)).status).toBe(200);
    rmSync(join(siteDir, 'builds', '1', 'client', 'testimonials', '7'), { recursive: true });
    // The server had listed the file: the answer is cut off, but the process keeps serving.
    const gone = await fetch(`${site.url}/testimonials/7/`).then(
      async (response) => (response.ok ? await response.text() : response.status),
      () => 'cut off',
    );
    expect(gone).not.toBe('<p>review 7</p>');
    expect(await (await fetch(`${site.url}/`)).text()).toBe('<p>the wall</p>');
  });

  it("serves the assets of its own build's on-demand pages after a publish, but none of its pages", async () => {
    const own = join(siteDir, 'builds', '1', 'client');
    mkdirSync(join(own, '_astro'), { recursive: true });
    writeFileSync(join(own, '_astro', 'form.css'), 'form{}');
    writeFileSync(join(own, '_astro', 'form.css.br'), brotliCompressSync('form{}/*br*/'));
    writeFileSync(join(own, 'old.html'), '<p>a page gone from the live build</p>');
    const site = await startSiteServer({ siteDir, host: '127.0.0.1', port: 0, siteUrl: 'https://reviews.example.com' });
    opened.push(site);
    await swapPointer(join(siteDir, 'current'), makeBuild(siteDir, '2', '<p>published since</p>'));
    await new Promise((resolve) => setTimeout(resolve, livePointerMaxAgeMilliseconds * 4));
    expect(await (await fetch(`${site.url}/`)).text()).toBe('<p>published since</p>');

    const asset = await fetch(`${site.url}/_astro/form.css`, { headers: { 'accept-encoding': 'identity' } });
    expect(asset.status).toBe(200);
    expect(await asset.text()).toBe('form{}');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toBe('text/css');
    expect(asset.headers.get('strict-transport-security')).toBe('max-age=31536000');
    const compressed = await fetch(`${site.url}/_astro/form.css?v=1`, { headers: { 'accept-encoding': 'br' } });
    expect(compressed.headers.get('content-encoding')).toBe('br');
    expect(await compressed.text()).toBe('form{}/*br*/');
    const again = await fetch(`${site.url}/_astro/form.css`, { headers: { 'accept-encoding': 'identity', 'if-none-match': asset.headers.get('etag')! } });
    expect(again.status).toBe(304);

    // Pages of the server's build are not served once another build is live: they may show reviews hidden since.
    const page = await fetch(`${site.url}/old.html`);
    expect([page.status, await page.text()]).toEqual([404, 'on demand']);
    expect(await (await fetch(`${site.url}/_astro/missing.css`)).text()).toBe('on demand');
  });

  it('holds the file listing of the live build only, and of its own build just the compiled assets', () => {
    const own = join(siteDir, 'builds', '1');
    mkdirSync(join(own, 'client', '_astro'), { recursive: true });
    const files = liveStaticFiles(own);
    files.of(own);
    expect(files.listed()).toEqual([join(own, 'client')]);
    // Each publish's listing replaces the last one: a wall of 10,000 reviews lists some 30,000 files.
    for (const name of ['2', '3', '4', '5']) files.of(makeBuild(siteDir, name, `<p>build ${name}</p>`));
    const noAnswer = { setHeader() {}, once() {}, off() {} } as never;
    files.serverAssets({ url: '/_astro/none.css', headers: {} } as never, noAnswer, () => {});
    expect(files.listed()).toEqual([join(siteDir, 'builds', '5', 'client'), join(own, 'client', '_astro')]);
  });

  it('several servers in other processes each serve a publish made by this process, within the pointer bound', async () => {
    const servers = [await serveInProcess(siteDir), await serveInProcess(siteDir)];
    try {
      const walls = () => Promise.all(servers.map(async ({ url }) => (await fetch(`${url}/`)).text()));
      // Many requests in a row: the servers answer from what they last read, then from build 2 once it is swapped in.
      for (let round = 0; round < 20; round++) expect(await walls()).toEqual(['<p>the wall</p>', '<p>the wall</p>']);
      await swapPointer(join(siteDir, 'current'), makeBuild(siteDir, '2', '<p>published by another process</p>'));
      // The bound is a few milliseconds of the server's own clock: past it, every request reads the pointer again.
      await new Promise((resolve) => setTimeout(resolve, livePointerMaxAgeMilliseconds * 4));
      expect(await walls()).toEqual(['<p>published by another process</p>', '<p>published by another process</p>']);
      await swapPointer(join(siteDir, 'current'), makeBuild(siteDir, '3', '<p>and again</p>'));
      await new Promise((resolve) => setTimeout(resolve, livePointerMaxAgeMilliseconds * 4));
      expect(await walls()).toEqual(['<p>and again</p>', '<p>and again</p>']);
    } finally {
      for (const { child } of servers) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    }
  }, 60_000);
});
