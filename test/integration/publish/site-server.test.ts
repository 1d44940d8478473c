import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formerUrlPage } from '../../../src/lib/publish/former-urls.ts';
import { swapPointer } from '../../../src/lib/server/publish/site-layout.ts';
import { bindSitePort, startSiteServer, type BoundPort } from '../../../src/lib/server/publish/site-server.ts';

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
});
