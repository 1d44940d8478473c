import { brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chooseEncoding, compressPage } from '../../../src/lib/server/platform/page-compression.ts';

describe('page compression', () => {
  it('chooses br, then gzip, and honours a refusal (q=0)', () => {
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('gzip, deflate')).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(chooseEncoding('BR ; q=1.0')).toBe('br');
    expect(chooseEncoding('br;q=0, gzip;q=0')).toBeNull();
    expect(chooseEncoding('identity')).toBeNull();
    expect(chooseEncoding(null)).toBeNull();
  });

  it('compresses HTML only, keeps status and headers, and leaves a tiny page as it is', async () => {
    const html = `<!doctype html><p>${'Дякуємо за відгук. '.repeat(200)}</p>`;
    const page = await compressPage(new Response(html, { status: 404, headers: { 'Content-Type': 'text/html; charset=utf-8', 'X-Frame-Options': 'DENY' } }), 'br');
    expect(page.status).toBe(404);
    expect(page.headers.get('content-encoding')).toBe('br');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('vary')).toBe('Accept-Encoding');
    expect(brotliDecompressSync(Buffer.from(await page.arrayBuffer())).toString('utf8')).toBe(html);

    const json = new Response('{"a":1}'.repeat(100), { headers: { 'Content-Type': 'application/json' } });
    expect(await compressPage(json, 'br')).toBe(json);
    const tiny = await compressPage(new Response('<p>hi</p>', { headers: { 'Content-Type': 'text/html', Vary: 'Cookie' } }), 'gzip');
    expect(tiny.headers.get('content-encoding')).toBeNull();
    expect(tiny.headers.get('vary')).toBe('Cookie, Accept-Encoding');
    expect(await tiny.text()).toBe('<p>hi</p>');
  });
});
