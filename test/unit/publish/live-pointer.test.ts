import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { swapPointer } from '../../../src/lib/server/publish/site-layout.ts';
import { livePointerReader } from '../../../src/lib/server/publish/site-server.ts';

describe('livePointerReader', () => {
  let directory: string;
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  function builds(): { pointer: string; one: string; two: string } {
    directory = mkdtempSync(join(tmpdir(), 'review-wall-live-pointer-'));
    const [one, two] = [join(directory, 'builds', '1'), join(directory, 'builds', '2')];
    mkdirSync(one, { recursive: true });
    mkdirSync(two, { recursive: true });
    return { pointer: join(directory, 'current'), one, two };
  }

  it('reads the pointer at most once per bound, and again once the bound has passed', async () => {
    const { pointer, one, two } = builds();
    await swapPointer(pointer, one);
    const live = livePointerReader(pointer, one, 60_000);
    expect(live()).toBe(one);
    await swapPointer(pointer, two);
    // Within the bound the reader answers from memory, without a system call per request.
    expect(live()).toBe(one);
    const fresh = livePointerReader(pointer, one, 0);
    expect(fresh()).toBe(two);
  });

  it('keeps serving the last build when the pointer is gone, and the fallback before any', async () => {
    const { pointer, one, two } = builds();
    const live = livePointerReader(pointer, one, 0);
    expect(live()).toBe(one);
    await swapPointer(pointer, two);
    expect(live()).toBe(two);
    rmSync(pointer);
    expect(live()).toBe(two);
  });
});
