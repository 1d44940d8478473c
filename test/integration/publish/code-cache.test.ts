import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeCodeHash } from '../../../src/lib/server/publish/code-build.ts';
import { publishSite } from '../../../src/lib/server/publish/publish.ts';
import { projectRoot } from '../../helpers/app.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';
import { seedReviews } from '../../helpers/reviews.ts';

// Tests publish into many fresh SITE_DIRs: with REVIEW_WALL_CODE_CACHE (vitest.config.ts and
// playwright.config.ts set it), they share one compiled copy of the code instead of each running
// `astro build`. That is only sound because the compiled code does not depend on the site's address.

/** Every file under `directory`, relative to it, with its bytes. */
function filesOf(directory: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(directory, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files.set(relative(directory, join(entry.parentPath, entry.name)), readFileSync(join(entry.parentPath, entry.name)));
  }
  return files;
}

describe('compiled code shared between SITE_DIRs', () => {
  let database: TemporaryDatabase;
  const cache = process.env.REVIEW_WALL_CODE_CACHE!;

  beforeAll(async () => {
    database = await createTemporaryDatabase();
    await seedReviews(database.db, [{ name: 'Ada Lovelace', rating: 5, body: 'The wall shows this one.' }]);
  });
  afterAll(() => database?.cleanup());

  /** Publishes into a fresh SITE_DIR at `siteUrl`; returns the build, the code folder and every output line. */
  async function publishAt(name: string, siteUrl: string) {
    const siteDir = join(database.directory, name);
    const output: string[] = [];
    const env = { ...process.env, DATABASE_URL: database.url, UPLOAD_DIR: join(database.directory, 'uploads'), SITE_DIR: siteDir, SITE_URL: siteUrl };
    const result = await publishSite({ db: database.db, siteDir, startedBy: 'test', env, projectRoot, onOutput: (line) => output.push(line) });
    if (result.status !== 'succeeded') throw new Error(`publish ${result.status}: ${JSON.stringify(result)}`);
    const codeHash = await computeCodeHash(projectRoot, env);
    return { buildDir: result.buildDir, codeDir: join(siteDir, 'code', codeHash), codeHash, output };
  }

  it('has a code hash that does not change with SITE_URL or PORT', async () => {
    const base = { REVIEW_WALL_CONFIG: process.env.REVIEW_WALL_CONFIG };
    const hashes = await Promise.all([
      computeCodeHash(projectRoot, { ...base, SITE_URL: 'https://reviews.example.com' }),
      computeCodeHash(projectRoot, { ...base, SITE_URL: 'http://127.0.0.1:4999', PORT: '4999' }),
      computeCodeHash(projectRoot, { ...base, PORT: '8080' }),
    ]);
    expect(new Set(hashes).size).toBe(1);
  });

  it('compiles once for two sites at different addresses, each with a complete copy and its own canonical URLs', async () => {
    expect(cache, 'vitest.config.ts sets REVIEW_WALL_CODE_CACHE').toBeTruthy();
    const first = await publishAt('first-site', 'https://reviews.example.com');
    const second = await publishAt('second-site', 'http://127.0.0.1:4999');
    expect(second.codeHash).toBe(first.codeHash);
    // The second site ran no `astro build` (its output lines would say "[build]").
    expect(second.output.filter((line) => /\[build\]|astro build/i.test(line))).toEqual([]);

    const cached = readdirSync(cache).filter((name) => name.startsWith(`${first.codeHash}-`));
    expect(cached).toHaveLength(1);
    const shared = filesOf(join(cache, cached[0]!));
    for (const site of [first, second]) {
      const copy = filesOf(site.codeDir);
      expect([...copy.keys()].sort()).toEqual([...shared.keys()].sort());
      for (const [file, bytes] of copy) expect(bytes.equals(shared.get(file)!), file).toBe(true);
      // Copies, not links: nothing done to a SITE_DIR reaches the cache.
      expect(statSync(join(site.codeDir, 'server', 'entry.mjs')).ino).not.toBe(statSync(join(cache, cached[0]!, 'server', 'entry.mjs')).ino);
    }

    const canonicalOf = (buildDir: string) => /<link rel="canonical" href="([^"]+)"/.exec(readFileSync(join(buildDir, 'client', 'index.html'), 'utf8'))?.[1];
    expect(canonicalOf(first.buildDir)).toBe('https://reviews.example.com/');
    expect(canonicalOf(second.buildDir)).toBe('http://127.0.0.1:4999/');
  });
});
