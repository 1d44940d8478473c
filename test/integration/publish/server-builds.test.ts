import { spawnSync } from 'node:child_process';
import { existsSync, lutimesSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimServerBuild, liveServerBuilds } from '../../../src/lib/server/publish/server-builds.ts';
import { siteLayout, type SiteLayout } from '../../../src/lib/server/publish/site-layout.ts';

describe('pointers of running servers to their builds', () => {
  let layout: SiteLayout;
  const build = (n: number) => join(layout.builds, String(n));

  beforeEach(() => {
    layout = siteLayout(mkdtempSync(join(tmpdir(), 'review-wall-servers-')));
    for (const n of [1, 2, 3, 4]) mkdirSync(build(n), { recursive: true });
    mkdirSync(layout.servers, { recursive: true });
  });
  afterEach(() => rmSync(layout.root, { recursive: true, force: true }));

  it('counts a claim while its process runs, and not once it is released', async () => {
    const claim = await claimServerBuild(layout, build(2));
    expect(claim.pointer).toBe(join(layout.servers, `${hostname().replace(/[^A-Za-z0-9.]/g, '_')}-${process.pid}`));
    expect(await liveServerBuilds(layout)).toEqual(new Set([build(2)]));
    await claim.release();
    expect(await liveServerBuilds(layout)).toEqual(new Set());
    expect(readdirSync(layout.servers)).toEqual([]);
  });

  it('ignores and deletes the pointer of a process of this machine that is gone', async () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    const host = hostname().replace(/[^A-Za-z0-9.]/g, '_');
    symlinkSync(build(1), join(layout.servers, `${host}-${gone}`));
    symlinkSync(build(3), join(layout.servers, `${host}-${process.pid}`));
    expect(await liveServerBuilds(layout)).toEqual(new Set([build(3)]));
    expect(existsSync(join(layout.servers, `${host}-${gone}`))).toBe(false);
  });

  it('counts a pointer of another machine while it is touched, and forgets it 10 minutes after', async () => {
    symlinkSync(build(3), join(layout.servers, 'other-host.example-123'));
    symlinkSync(build(4), join(layout.servers, 'another-host-456'));
    const elevenMinutesAgo = new Date(Date.now() - 11 * 60 * 1000);
    lutimesSync(join(layout.servers, 'another-host-456'), elevenMinutesAgo, elevenMinutesAgo);
    expect(await liveServerBuilds(layout)).toEqual(new Set([build(3)]));
    expect(readdirSync(layout.servers)).toEqual(['other-host.example-123']);
  });
});
