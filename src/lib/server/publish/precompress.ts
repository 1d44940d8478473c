import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';

/**
 * `.gz` and `.br` siblings of text files, so the static server (sirv, or a CDN that honours them)
 * sends compressed pages without compressing on each request.
 */

const compressible = /\.(html|json|js|css|xml|svg|txt)$/;
const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** Bodies smaller than this gain nothing worth a header. */
export const smallestWorthCompressing = 256;

/** Whether a file gets compressed siblings: text, and large enough to gain from it. */
export function isCompressible(file: string, size: number): boolean {
  return size >= smallestWorthCompressing && compressible.test(file);
}

/**
 * `content` compressed as every page of ours is, published or rendered on demand: gzip at level 9,
 * brotli at quality 5 (within 1 % of quality 9 on these small pages, and 14 times faster,
 * bench/publish.bench.ts). Deterministic: the same bytes give the same output.
 */
export function compressBytes(content: Uint8Array, encoding: 'br' | 'gzip'): Promise<Buffer> {
  return encoding === 'br'
    ? brotliAsync(content, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: content.byteLength } })
    : gzipAsync(content, { level: 9 });
}

/**
 * Writes `file.gz` and `file.br` for `content` (the file's bytes); returns the sibling suffixes
 * written, none when the file is not worth compressing. Output is deterministic: the same bytes
 * give the same siblings, so a page rendered again equals the one it replaces.
 */
export async function writeCompressedSiblings(file: string, content: Uint8Array): Promise<string[]> {
  if (!isCompressible(file, content.byteLength)) return [];
  const [gzipped, brotli] = await Promise.all([compressBytes(content, 'gzip'), compressBytes(content, 'br')]);
  await Promise.all([writeFile(`${file}.gz`, gzipped), writeFile(`${file}.br`, brotli)]);
  return ['.gz', '.br'];
}

/** Writes compressed siblings for every compressible file of `files` (absolute paths), four at a time. */
export async function precompressFiles(files: readonly string[]): Promise<void> {
  const candidates = files.filter((file) => compressible.test(file));
  let next = 0;
  const worker = async () => {
    while (next < candidates.length) {
      const file = candidates[next++]!;
      await writeCompressedSiblings(file, await readFile(file));
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}
