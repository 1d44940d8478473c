import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import sirv from 'sirv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticFileOptions } from '../../../src/lib/server/publish/site-server.ts';
import { staticFiles } from '../../../src/lib/server/publish/static-files.ts';

// The site server looks a build's files up as they are asked for instead of listing them all up
// front as sirv does; it must answer every request exactly as sirv with the same options would.

/** Starts `handler` (calling `next` answers 404 "next"); its URL. */
async function serve(handler: (request: Parameters<RequestListener>[0], response: Parameters<RequestListener>[1], next: () => void) => void, servers: Server[]) {
  const server = createServer((request, response) => handler(request, response, () => {
    response.writeHead(404, { 'Content-Type': 'text/plain' });
    response.end('next');
  }));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Status, headers (but the date) and body of one answer. */
async function answer(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  const kept = Object.fromEntries([...response.headers].filter(([name]) => !['date', 'connection', 'keep-alive'].includes(name)));
  return { status: response.status, headers: kept, body: Buffer.from(await response.arrayBuffer()).toString('base64') };
}

describe('static files looked up on demand', () => {
  let directory: string;
  const servers: Server[] = [];
  let ours: string;
  let theirs: string;
  let handler: ReturnType<typeof staticFiles>;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'review-wall-static-'));
    const client = join(directory, 'client');
    const page = '<!doctype html><p>a page</p>'.repeat(40);
    for (const path of ['index.html', 'testimonials/abc/index.html', 'testimonials/page/2/index.html', 'how-we-collect-reviews/index.html']) {
      mkdirSync(join(client, path, '..'), { recursive: true });
      writeFileSync(join(client, path), page + path);
      writeFileSync(join(client, `${path}.br`), brotliCompressSync(page + path));
      writeFileSync(join(client, `${path}.gz`), gzipSync(page + path));
    }
    writeFileSync(join(client, 'testimonials.json'), JSON.stringify({ reviews: [] }));
    writeFileSync(join(client, 'widget.js'), 'console.log(1)');
    writeFileSync(join(client, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    mkdirSync(join(client, 'testimonials', 'photos'), { recursive: true });
    writeFileSync(join(client, 'testimonials', 'photos', 'abc-64.webp'), Buffer.alloc(300, 7));
    mkdirSync(join(client, '_astro'), { recursive: true });
    writeFileSync(join(client, '_astro', 'form.Ab12.css'), 'form{color:red}');
    writeFileSync(join(client, '.env'), 'SECRET=1');
    mkdirSync(join(client, '.well-known'), { recursive: true });
    writeFileSync(join(client, '.well-known', 'security.txt'), 'Contact: mailto:security@example.com');
    writeFileSync(join(directory, 'outside.txt'), 'not public');
    handler = staticFiles(client, staticFileOptions);
    ours = await serve(handler, servers);
    theirs = await serve(sirv(client, staticFileOptions), servers);
  });

  afterAll(() => {
    for (const server of servers) server.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('answers as sirv does: pages, encodings, types, ETags and 304, ranges, misses, dotfiles and paths outside', async () => {
    const requests: [string, Record<string, string>][] = [
      ['/', {}],
      ['/', { 'accept-encoding': 'br, gzip' }],
      ['/', { 'accept-encoding': 'gzip' }],
      ['/index.html', { 'accept-encoding': 'br' }],
      ['/testimonials/abc/', { 'accept-encoding': 'br, gzip' }],
      ['/testimonials/abc', {}],
      ['/testimonials/page/2/?utm=x', { 'accept-encoding': 'gzip' }],
      ['/how-we-collect-reviews/', {}],
      ['/testimonials.json', { 'accept-encoding': 'br' }],
      ['/widget.js', {}],
      ['/favicon.svg', {}],
      ['/testimonials/photos/abc-64.webp', {}],
      ['/testimonials/photos/abc-64.webp', { range: 'bytes=10-19' }],
      ['/testimonials/photos/abc-64.webp', { range: 'bytes=400-' }],
      ['/_astro/form.Ab12.css', {}],
      ['/testimonials/nope/', {}],
      ['/%7', {}],
      ['/.env', {}],
      ['/.well-known/security.txt', {}],
      ['/../outside.txt', {}],
      ['/%2e%2e/outside.txt', {}],
      ['/testimonials/..%2f..%2foutside.txt', {}],
    ];
    for (const [path, headers] of requests) {
      const [a, b] = [await answer(`${ours}${path}`, headers), await answer(`${theirs}${path}`, headers)];
      expect(a, `${path} ${JSON.stringify(headers)}`).toEqual(b);
    }
    const first = await answer(`${ours}/`, { 'accept-encoding': 'br' });
    const again = await answer(`${ours}/`, { 'accept-encoding': 'br', 'if-none-match': String(first.headers['etag']) });
    expect(again.status).toBe(304);
    expect(again).toEqual(await answer(`${theirs}/`, { 'accept-encoding': 'br', 'if-none-match': String(first.headers['etag']) }));
    expect((await answer(`${ours}/.env`)).body).toBe(Buffer.from('next').toString('base64'));
    expect((await answer(`${ours}/%2e%2e/outside.txt`)).body).toBe(Buffer.from('next').toString('base64'));
  });

  it('looks up only what is asked for, and remembers it', async () => {
    const fresh = staticFiles(join(directory, 'client'), staticFileOptions);
    expect(fresh.known()).toBe(0);
    const url = await serve(fresh, servers);
    await answer(`${url}/testimonials/abc/`, { 'accept-encoding': 'br' });
    // The two names tried for that path with brotli (abc.html.br, abc/index.html.br): nothing else.
    expect(fresh.known()).toBe(2);
    await answer(`${url}/testimonials/abc/`, { 'accept-encoding': 'br' });
    expect(fresh.known()).toBe(2);
  });
});
