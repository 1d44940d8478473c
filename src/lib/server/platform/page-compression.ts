import { compressBytes, smallestWorthCompressing } from '../publish/precompress.ts';

// Pages rendered on demand for customers (the review form, survey pages, unsubscribe pages, 404s)
// are compressed as the published pages are (precompress.ts): a review form is about 17 KB of HTML
// and 4 KB compressed, which a phone on a weak connection feels. Admin pages are left alone: they
// show customers' data next to text a request can choose (a filter, a search), the mix a
// compression side channel (BREACH) needs, and marketers are rarely on a weak connection.

/** The encoding to send for an Accept-Encoding header: br, else gzip, else none. A `;q=0` refuses one. */
export function chooseEncoding(acceptEncoding: string | null): 'br' | 'gzip' | null {
  if (!acceptEncoding) return null;
  const accepted = new Set<string>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...parameters] = part.trim().toLowerCase().split(';');
    const quality = parameters.map((parameter) => /^\s*q\s*=\s*([\d.]+)\s*$/.exec(parameter)?.[1]).find((value) => value !== undefined);
    if (name && (quality === undefined || Number(quality) > 0)) accepted.add(name.trim());
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip') || accepted.has('x-gzip')) return 'gzip';
  return null;
}

/**
 * The response compressed for a client that accepts `acceptEncoding`, when it is an HTML page
 * worth compressing and not already encoded; otherwise the response itself. The page is read
 * whole (on-demand pages here are small and rendered at once).
 */
export async function compressPage(response: Response, acceptEncoding: string | null): Promise<Response> {
  const encoding = chooseEncoding(acceptEncoding);
  const type = response.headers.get('content-type') ?? '';
  if (!encoding || !response.body || !/^text\/html\b/i.test(type) || response.headers.has('content-encoding')) return response;
  const body = new Uint8Array(await response.arrayBuffer());
  const headers = new Headers(response.headers);
  const vary = headers.get('vary');
  if (!vary || !/\baccept-encoding\b/i.test(vary)) headers.set('Vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
  if (body.byteLength < smallestWorthCompressing) return new Response(body, { status: response.status, statusText: response.statusText, headers });
  const compressed = await compressBytes(body, encoding);
  headers.set('Content-Encoding', encoding);
  headers.set('Content-Length', String(compressed.byteLength));
  return new Response(new Uint8Array(compressed), { status: response.status, statusText: response.statusText, headers });
}
