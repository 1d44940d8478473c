import { existsSync, readlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type sirv from 'sirv';
import { staticFiles, type StaticFileOptions, type StaticHandler } from './static-files.ts';
import { formerTestimonialId, formerUrlTarget } from '../../publish/former-urls.ts';
import { isOneClickUnsubscribe } from '../ask/invitations.ts';
import { answerReviewFormPost, isDirectReviewFormPost } from '../collect/review-form-posts.ts';
import { claimServerBuild, type ServerBuildClaim } from './server-builds.ts';
import { readPointer, siteLayout, type SiteLayout } from './site-layout.ts';
import { bodyLimitFor, limitRequestBody } from '../platform/body-limit.ts';
import { securityHeadersFor } from '../platform/security-headers.ts';

type NodeHandler = (request: IncomingMessage, response: ServerResponse, next?: (error?: unknown) => void, locals?: object) => void | Promise<void>;

/** A running site: static pages from the live build, everything else from Astro's handler. */
export interface SiteServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** Options for `startSiteServer`. */
export interface SiteServerOptions {
  siteDir: string;
  host: string;
  port: number;
  /** Behind reverse proxies: how many, and the public address they serve (SITE_URL). */
  proxy?: { hops: number; publicUrl: string } | undefined;
  /** The public address (SITE_URL): an https one adds Strict-Transport-Security to every answer. */
  siteUrl?: string | undefined;
  /** The port, bound earlier by `bindSitePort`; without it, host and port are bound here. */
  bound?: BoundPort;
  /**
   * Answer plain review form posts that are saved without Astro's request pipeline (see
   * review-form-posts.ts); needs the app's database and environment (npm start).
   */
  directReviewFormPosts?: boolean;
}

/** A listening port that answers 503 until `serve` hands it the site. */
export interface BoundPort {
  server: Server;
  url: string;
  /** Replaces the "starting" answer with the site's own handler. */
  serve(handler: RequestListener): void;
  close(): Promise<void>;
}

/** The outcome of binding the site's port. */
export type BindOutcome = { kind: 'bound'; port: BoundPort } | { kind: 'in-use' } | { kind: 'unavailable'; reason: string };

/**
 * Puts the site's security headers on an answer before anything else writes it, so every answer
 * has them: static files, pages and actions, redirects, 404s, and the refusals (413, 429, 503)
 * written here before Astro is reached. A route's own value of a header wins (Node merges
 * setHeader with writeHead's, writeHead's first).
 */
export function setSecurityHeaders(response: ServerResponse, headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
}

/** Every request while the site is starting: come back in a few seconds. */
const answerStarting = (headers: Record<string, string>): RequestListener => (_request, response) => {
  setSecurityHeaders(response, headers);
  response.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '5', 'Cache-Control': 'no-store' });
  response.end('The review wall is starting. Try again in a few seconds.\n');
};

/**
 * Binds HOST:PORT before anything else, so a second `npm start` on a port in use stops before
 * it publishes or claims a build, and holds the port while the first publish runs (answering 503
 * with Retry-After meanwhile) so nobody else takes it. `siteUrl` is the public address (SITE_URL),
 * for the security headers of that answer.
 */
export async function bindSitePort(host: string, port: number, siteUrl = ''): Promise<BindOutcome> {
  let handler = answerStarting(securityHeadersFor(siteUrl));
  const server = createServer((request, response) => handler(request, response));
  server.keepAliveTimeout = 5000;
  // A client that asks before sending its body (Expect: 100-continue) is told to go on only when
  // the body fits its route; Node would otherwise answer 100 Continue before the limit is looked at,
  // and a 300 MB upload would start before its 413.
  server.on('checkContinue', (request, response) => {
    const declared = Number(request.headers['content-length']);
    if (!(declared > bodyLimitFor(request.url).maxBytes)) response.writeContinue();
    handler(request, response);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') return { kind: 'in-use' };
    if (code === 'EACCES') return { kind: 'unavailable', reason: 'permission denied' };
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return { kind: 'unavailable', reason: `${host} is not an address of this machine` };
    return { kind: 'unavailable', reason: error instanceof Error ? error.message : String(error) };
  }
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    kind: 'bound',
    port: {
      server,
      url: `http://${host === 'localhost' ? 'localhost' : shown}:${address.port}`,
      serve(site) {
        handler = site;
      },
      close: () => new Promise((resolve) => server.close(() => resolve())),
    },
  };
}

/** `bindSitePort` for callers that want an exception (tests, benchmarks). */
async function bindOrThrow(host: string, port: number): Promise<BoundPort> {
  const outcome = await bindSitePort(host, port);
  if (outcome.kind === 'in-use') throw new Error(`port ${port} is in use`);
  if (outcome.kind === 'unavailable') throw new Error(`cannot listen on ${host}:${port}: ${outcome.reason}`);
  return outcome.port;
}

/**
 * Claims the live build for this process's server code. A publish and a prune between the look
 * at `current` and the claim could have deleted it: then the build live now is claimed.
 */
async function claimLiveBuild(layout: SiteLayout): Promise<ServerBuildClaim> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const build = await readPointer(layout.current);
    if (!build) throw new Error(`nothing is published yet in ${layout.root}; run npm run publish`);
    const claim = await claimServerBuild(layout, build);
    if (existsSync(join(build, 'server', 'entry.mjs'))) return claim;
    await claim.release();
  }
  throw new Error(`the live build in ${layout.root} has no server code; run npm run publish`);
}

/**
 * Answers a request for the numeric address a testimonial had before public ids with a 301 to its
 * public address, when `build` has a redirect page there (see former-urls.ts); false otherwise, and
 * the request goes on as any other. Only reviews published under such an address have that page.
 */
async function redirectFormerAddress(build: string, url: URL, response: ServerResponse): Promise<boolean> {
  const rowId = formerTestimonialId(url.pathname);
  if (rowId === null) return false;
  const page = await readFile(join(build, 'client', 'testimonials', String(rowId), 'index.html'), 'utf8').catch(() => null);
  const target = page === null ? null : formerUrlTarget(page);
  if (!target) return false;
  // Cached for an hour only: the review may be hidden or erased later.
  response.writeHead(301, { Location: `${target}${url.search}`, 'Cache-Control': 'public, max-age=3600' });
  response.end();
  return true;
}

const socketAddresses = new WeakMap<Socket, string | undefined>();

/** An X-Forwarded-For entry without the port or brackets some proxies add: `1.2.3.4:5678`, `[2001:db8::1]:443`. */
export function bareAddress(entry: string): string | undefined {
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::\d+)?$/.exec(entry);
  if (bracketed) return bracketed[1];
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(entry);
  if (withPort) return withPort[1];
  return /^[0-9a-fA-F:.]+$/.test(entry) ? entry : undefined;
}

/**
 * Behind `hops` reverse proxies, makes a request look to Astro as it looked to the visitor: sent
 * to the public origin (so Astro's origin check compares the browser's Origin with the address
 * the browser used, https included) from the visitor's address (so rate limits count visitors,
 * not the proxy). The visitor's address is the entry of X-Forwarded-For that the outermost
 * trusted proxy added: `hops` entries from the right, since everything to its left came from the
 * client and may be forged. Astro reads both from the socket, synchronously, when it takes the
 * request, so they are set on the socket for each request just before handing it over.
 */
export function presentAsPublic(request: IncomingMessage, hops: number, publicUrl: URL): void {
  const socket = request.socket as Socket & { encrypted?: boolean };
  if (!socketAddresses.has(socket)) socketAddresses.set(socket, socket.remoteAddress);
  const forwarded = String(request.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const visitor = forwarded.length >= hops ? bareAddress(forwarded[forwarded.length - hops]!) : undefined;
  Object.defineProperty(socket, 'remoteAddress', { value: visitor ?? socketAddresses.get(socket), configurable: true });
  Object.defineProperty(socket, 'encrypted', { value: publicUrl.protocol === 'https:', configurable: true });
  request.headers.host = publicUrl.host;
}

/** How long a server may keep using what it last read from the `current` pointer. */
export const livePointerMaxAgeMilliseconds = 5;

/**
 * The build the `current` pointer names, read at most once every `maxAgeMilliseconds`. A publish
 * (by any process on this SITE_DIR) is seen within that bound, without a thread-pool round trip
 * on every request: the read is one cached `readlink` system call, synchronous and cheap, done
 * by a few requests a second however many arrive.
 */
export function livePointerReader(pointer: string, fallback: string, maxAgeMilliseconds = livePointerMaxAgeMilliseconds): () => string {
  let live = fallback;
  let readAt = Number.NEGATIVE_INFINITY;
  return () => {
    const now = performance.now();
    if (now - readAt < maxAgeMilliseconds) return live;
    readAt = now;
    try {
      live = resolve(dirname(pointer), readlinkSync(pointer));
    } catch {
      // No pointer (deleted by hand): keep serving what was live.
    }
    return live;
  };
}

/**
 * The headers every static file carries besides its own (type, length, ETag, encoding) and the
 * security headers every answer gets (setSecurityHeaders), by path.
 */
export function staticFileHeaders(pathname: string): [string, string][] {
  const headers: [string, string][] = [];
  // The feed and the widget are embedded on other sites: any origin may read them.
  if (pathname.endsWith('.json') || pathname === '/widget.js') headers.push(['Access-Control-Allow-Origin', '*']);
  const immutable = pathname.startsWith('/_astro/');
  headers.push(['Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate']);
  return headers;
}

const pageHeaders = staticFileHeaders('/');
const feedHeaders = staticFileHeaders('/testimonials.json');
const assetHeaders = staticFileHeaders('/_astro/x');

/**
 * The options the site server serves a build's files with (static-files.ts, sirv's options); the
 * benchmark's plain sirv server uses the same, so both send the same headers. The header lists are built once, not per request.
 */
export const staticFileOptions = {
  etag: true,
  gzip: true,
  brotli: true,
  extensions: ['html'],
  setHeaders(response: ServerResponse, pathname: string) {
    const headers = pathname.startsWith('/_astro/') ? assetHeaders : pathname.endsWith('.json') || pathname === '/widget.js' ? feedHeaders : pageHeaders;
    for (let index = 0; index < headers.length; index++) response.setHeader(headers[index]![0], headers[index]![1]);
  },
} satisfies StaticFileOptions & Parameters<typeof sirv>[1];

/** The static files a site server answers from, and which builds' listings it holds. */
export interface LiveStaticFiles {
  /** The handler of a build's files; asked for the live build, whose listing replaces the last one. */
  of(build: string): StaticHandler;
  /** The compiled assets (`/_astro/…`) of the server's own build, for its on-demand pages. */
  serverAssets(request: IncomingMessage, response: ServerResponse, next: () => void): void;
  /** The folders whose files it looks up now (it remembers only what was asked for). */
  listed(): string[];
}

/**
 * The static handlers of a site server, holding what it knows of one build only. A listing of
 * every file of a build, with stats and headers, is some 50 MB of heap for a wall of 10,000
 * reviews. Streaming a file allocates a 64 KB buffer outside the heap, which makes V8 mark the
 * whole heap every few hundred requests; with sirv's listing kept for every build published since
 * the start, each request cost about twice what it costs plain sirv (profiled in
 * docs/benchmarks.md), and listing a new build stopped the server for a second or two on every
 * publish. So files are looked up as they are asked for (static-files.ts), a publish's handler
 * replaces the last one, and the server's own build, needed only for the assets of on-demand
 * pages, is served just from its `_astro` folder.
 */
export function liveStaticFiles(serverBuild: string): LiveStaticFiles {
  let live: { build: string; handler: StaticHandler } | undefined;
  let assets: LiveStaticFiles['serverAssets'] | undefined;
  let assetsDir: string | undefined;
  return {
    of(build) {
      if (live?.build !== build) live = { build, handler: staticFiles(join(build, 'client'), staticFileOptions) };
      return live.handler;
    },
    serverAssets(request, response, next) {
      if (!assets) {
        const directory = join(serverBuild, 'client', '_astro');
        // A build without compiled assets (nothing on demand needs any) has no such folder.
        const inner = existsSync(directory)
          ? staticFiles(directory, { ...staticFileOptions, setHeaders: (answer, pathname) => staticFileOptions.setHeaders(answer, `/_astro${pathname}`) })
          : null;
        assetsDir = inner ? directory : undefined;
        // Files are looked up by the request's path: the folder's own, without the /_astro prefix.
        assets = (original, answer, onMissing) => {
          if (!inner) return onMissing?.();
          const inFolder = Object.create(original, { url: { value: (original.url ?? '/').slice('/_astro'.length) } }) as IncomingMessage;
          inner(inFolder, answer, onMissing);
        };
      }
      assets(request, response, next);
    },
    listed: () => [...(live ? [join(live.build, 'client')] : []), ...(assetsDir ? [assetsDir] : [])],
  };
}

/**
 * Serves the published site. The live build is looked up through the `current` pointer (see
 * livePointerReader), so a publish swaps pages in without a restart and without a half-built
 * moment. On-demand routes (review form, admin, API) run from the build the server started with.
 */
export async function startSiteServer(options: SiteServerOptions): Promise<SiteServer> {
  const layout = siteLayout(options.siteDir);
  const bound = options.bound ?? (await bindOrThrow(options.host, options.port));
  let claim: ServerBuildClaim | undefined;
  let entry: { handler: NodeHandler };
  try {
    claim = await claimLiveBuild(layout);
    entry = (await import(pathToFileURL(join(claim.build, 'server', 'entry.mjs')).href)) as { handler: NodeHandler };
  } catch (error) {
    await claim?.release();
    if (!options.bound) await bound.close();
    throw error;
  }
  const ownClaim = claim;
  const serverBuild = ownClaim.build;
  const liveBuild = livePointerReader(layout.current, serverBuild);

  const staticFiles = liveStaticFiles(serverBuild);

  const publicUrl = options.proxy && options.proxy.hops > 0 ? new URL(options.proxy.publicUrl) : null;
  const server = bound.server;
  const headers = securityHeadersFor(options.siteUrl ?? '');
  bound.serve(async (request, response) => {
    setSecurityHeaders(response, headers);
    if (limitRequestBody(request, response)) return;
    if (publicUrl) presentAsPublic(request, options.proxy!.hops, publicUrl);
    const method = request.method ?? 'GET';
    const ssr = (locals?: object) => {
      // Again right before Astro reads it: a pipelined request on this socket may have set its own meanwhile.
      if (publicUrl) presentAsPublic(request, options.proxy!.hops, publicUrl);
      void entry.handler(
        request,
        response,
        (error?: unknown) => {
          if (!response.headersSent) response.writeHead(error ? 500 : 404, { 'Content-Type': 'text/plain; charset=utf-8' });
          response.end(error ? 'Server error' : 'Not found');
        },
        locals,
      );
    };
    if (method === 'POST' && isOneClickUnsubscribe(method, new URL(request.url ?? '/', 'http://localhost'))) {
      // Mail providers send RFC 8058 one-click POSTs from their servers, without our Origin, and
      // Astro's checkOrigin would refuse them. The token in the path is what authorizes it.
      const encrypted = (request.socket as { encrypted?: boolean }).encrypted === true;
      request.headers.origin = `${encrypted ? 'https' : 'http'}://${request.headers.host ?? 'localhost'}`;
    }
    if (options.directReviewFormPosts && isDirectReviewFormPost(request)) {
      answerReviewFormPost(request, response, ssr).catch((error: unknown) => {
        console.error('review form post:', error);
        if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        response.end('Server error');
      });
      return;
    }
    // Only reads can be static files: form posts go straight to Astro, without a look at the pointer.
    if (method !== 'GET' && method !== 'HEAD') return ssr();
    const live = liveBuild();
    // Only a /testimonials/ address can be a former one: no URL is parsed for the others.
    if ((request.url ?? '').startsWith('/testimonials/') && (await redirectFormerAddress(live, new URL(request.url ?? '/', 'http://localhost'), response))) return;
    staticFiles.of(live)(request, response, () => {
      // Assets of on-demand pages belong to the server's own build if the live one differs. Only
      // assets: its pages may show reviews hidden or erased since, and must not come back.
      if (live !== serverBuild && (request.url ?? '').startsWith('/_astro/')) return staticFiles.serverAssets(request, response, ssr);
      ssr();
    });
  });
  return {
    server,
    url: bound.url,
    close: async () => {
      await ownClaim.release();
      await bound.close();
    },
  };
}
