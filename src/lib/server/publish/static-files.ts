import { createReadStream, statSync, type Stats } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, normalize, resolve, sep } from 'node:path';
import { lookup as mimeType } from 'mrmime';

/**
 * Static files of one build folder, answered as sirv answers them (same lookups, encodings,
 * headers, ETag and 304, ranges), but looked up when first asked for instead of listed up front.
 * sirv lists every file of its folder when it is created: 1 to 2.5 s for the 32,000 files of a
 * 10,000-review wall, during which the server answered nothing, on every publish (issue 15). Each
 * path's answer (found or not) is remembered, so a page asked for again costs what it costs sirv.
 * The lookup logic follows sirv 3.0.2 (MIT, Luke Edwards), whose options the site server used.
 */

/** What the site server asks of a static handler: sirv's call shape. */
export type StaticHandler = ((request: IncomingMessage, response: ServerResponse, next?: () => void) => void) & {
  /** How many paths it has looked up so far (found or not), for tests. */
  known(): number;
};

/** Options, as sirv's of the same names. */
export interface StaticFileOptions {
  etag: boolean;
  gzip: boolean;
  brotli: boolean;
  extensions: string[];
  setHeaders(response: ServerResponse, pathname: string): void;
}

interface Found {
  file: string;
  stats: Stats;
  headers: Record<string, string | number>;
}

const encodings: Record<string, string> = { '.br': 'br', '.gz': 'gzip' };

/** The headers sirv gives a file: type, length, date, encoding and ETag. */
function fileHeaders(name: string, stats: Stats, etag: boolean): Record<string, string | number> {
  const encoding = encodings[name.slice(-3)];
  let type = mimeType(encoding ? name.slice(0, -3) : name) ?? '';
  if (type === 'text/html') type += ';charset=utf-8';
  const headers: Record<string, string | number> = { 'Content-Length': stats.size, 'Content-Type': type, 'Last-Modified': stats.mtime.toUTCString() };
  if (encoding) headers['Content-Encoding'] = encoding;
  if (etag) headers['ETag'] = `W/"${stats.size}-${stats.mtime.getTime()}"`;
  return headers;
}

/** The names a request path may be served from, in order: with each extension, and as a folder's index. */
function candidates(path: string, extensions: readonly string[]): string[] {
  const uri = path.endsWith('/') ? path.slice(0, -1) : path;
  const names: string[] = [];
  for (const extension of extensions) {
    const suffix = extension ? `.${extension}` : '';
    if (uri) names.push(uri + suffix);
    names.push(`${uri}/index${suffix}`);
  }
  return names;
}

/** Remembered lookups at most; past that they are forgotten and looked up again (a flood of random 404s must not grow memory). */
const maximumKnown = 200_000;

/** A static handler for the files under `directory` (see the top of this file). */
export function staticFiles(directory: string, options: StaticFileOptions): StaticHandler {
  const root = resolve(directory);
  const gzips = options.gzip ? [...options.extensions.map((extension) => `${extension}.gz`), 'gz'] : [];
  const brotlis = options.brotli ? [...options.extensions.map((extension) => `${extension}.br`), 'br'] : [];
  const known = new Map<string, Found | null>();

  /** The file named `name` (a path from the folder's root), or null: none, a folder, outside it, or hidden. */
  const find = (name: string): Found | null => {
    let found = known.get(name);
    if (found !== undefined) return found;
    found = null;
    const file = normalize(join(root, name));
    // As sirv's listing: nothing outside the folder, and no dotfile except under .well-known.
    if (file.startsWith(root + sep) && !/(^|\/)\.(?!well-known\/)/.test(name.slice(1))) {
      const stats = statSync(file, { throwIfNoEntry: false });
      if (stats?.isFile()) found = { file, stats, headers: fileHeaders(name, stats, options.etag) };
    }
    if (known.size >= maximumKnown) known.clear();
    known.set(name, found);
    return found;
  };

  const handler = (request: IncomingMessage, response: ServerResponse, next?: () => void): void => {
    const raw = request.url ?? '/';
    const end = raw.search(/[?#]/);
    let pathname = end === -1 ? raw : raw.slice(0, end);
    if (pathname.includes('%')) {
      try {
        pathname = decodeURI(pathname);
      } catch {
        // A malformed address is looked up as it is, as sirv does.
      }
    }
    const accepted = request.headers['accept-encoding'] ?? '';
    const extensions = [''];
    if (gzips.length && accepted.includes('gzip')) extensions.unshift(...gzips);
    if (brotlis.length && /(br|brotli)/i.test(accepted)) extensions.unshift(...brotlis);
    extensions.push(...options.extensions);

    let data: Found | null = null;
    for (const name of candidates(pathname, extensions)) if ((data = find(name))) break;
    if (!data) {
      if (next) next();
      else {
        response.statusCode = 404;
        response.end();
      }
      return;
    }
    if (options.etag && request.headers['if-none-match'] === data.headers['ETag']) {
      response.writeHead(304);
      response.end();
      return;
    }
    if (gzips.length || brotlis.length) response.setHeader('Vary', 'Accept-Encoding');
    options.setHeaders(response, pathname);
    send(request, response, data, () => known.clear());
  };
  return Object.assign(handler, { known: () => known.size });
}

/** Writes the file's headers (a route's own values win, as in sirv) and streams it, or the asked range. */
function send(request: IncomingMessage, response: ServerResponse, data: Found, onGone: () => void): void {
  const headers = { ...data.headers };
  for (const key in headers) {
    const own = response.getHeader(key);
    if (own) headers[key] = own as string;
  }
  const type = response.getHeader('content-type');
  if (type) headers['Content-Type'] = type as string;
  let code = 200;
  const range: { start?: number; end?: number } = {};
  if (request.headers.range) {
    code = 206;
    const [from, to] = request.headers.range.replace('bytes=', '').split('-');
    let end = (range.end = Number.parseInt(to ?? '', 10) || data.stats.size - 1);
    const start = (range.start = Number.parseInt(from ?? '', 10) || 0);
    if (end >= data.stats.size) end = data.stats.size - 1;
    if (start >= data.stats.size) {
      response.setHeader('Content-Range', `bytes */${data.stats.size}`);
      response.statusCode = 416;
      response.end();
      return;
    }
    headers['Content-Range'] = `bytes ${start}-${end}/${data.stats.size}`;
    headers['Content-Length'] = end - start + 1;
    headers['Accept-Ranges'] = 'bytes';
  }
  response.writeHead(code, headers);
  const stream = createReadStream(data.file, range);
  // A file deleted since it was looked up (an erasure): forget what was found, and cut the answer off.
  stream.once('error', () => {
    onGone();
    response.destroy();
  });
  stream.pipe(response);
}
