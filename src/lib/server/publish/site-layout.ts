import { existsSync } from 'node:fs';
import { readdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** Where published builds live: `builds/N/`, with `current` pointing at the live one. */
export interface SiteLayout {
  root: string;
  builds: string;
  current: string;
  /** One pointer per running server to the build it loaded its code from (see server-builds.ts). */
  servers: string;
}

/** The folders under SITE_DIR. */
export function siteLayout(siteDir: string): SiteLayout {
  const root = resolve(siteDir);
  return { root, builds: join(root, 'builds'), current: join(root, 'current'), servers: join(root, 'servers') };
}

/** The build folder a pointer (current or a server's) names, or null. */
export async function readPointer(pointer: string): Promise<string | null> {
  try {
    return resolve(join(pointer, '..'), await readlink(pointer));
  } catch {
    return null;
  }
}

/** Points a symlink at a folder atomically: a reader sees the old target or the new, never none. */
export async function swapPointer(pointer: string, target: string): Promise<void> {
  const temporary = `${pointer}.${process.pid}.${Date.now()}.tmp`;
  await symlink(target, temporary, 'dir');
  await rename(temporary, pointer);
}

/** Marks a build whose pages still show data erased after it was built. */
const erasedDataMarker = 'holds-erased-data';

/**
 * Marks a build as holding data erased since it was built (the live one, which an erasure cannot
 * rebuild in place): once it is no longer live, pruning never keeps it as the previous build.
 */
export async function markHoldsErasedData(build: string): Promise<void> {
  await writeFile(join(build, erasedDataMarker), 'Pages of this build show data erased since it was built: it goes once it is no longer live.\n');
}

/** Whether a build was marked by `markHoldsErasedData`. */
export function holdsErasedData(build: string): boolean {
  return existsSync(join(build, erasedDataMarker));
}

/**
 * Deletes a build's public pages, feeds and photos, keeping what a server running from it still
 * uses: its server code and the `_astro/` assets of its on-demand pages (the live build serves
 * everything else). Nothing is searched for: every page goes, whatever text it shows. Returns
 * how many files and folders went.
 */
export async function reduceToServerCode(build: string): Promise<number> {
  const client = join(build, 'client');
  const entries = await readdir(client).catch(() => [] as string[]);
  let removed = 0;
  for (const entry of entries) {
    if (entry === '_astro') continue;
    await rm(join(client, entry), { recursive: true, force: true, maxRetries: 3 });
    removed++;
  }
  return removed;
}
