import { lstat, lutimes, mkdir, readdir, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { readPointer, swapPointer, type SiteLayout } from './site-layout.ts';

/**
 * Every running server keeps a pointer `SITE_DIR/servers/<host>-<pid>` to the build it loaded its
 * code from: several servers may share one SITE_DIR, and publishing or erasing must never delete
 * code a live one still imports from. A pointer outlives a crash, so it counts only while its
 * process is alive (same host) or keeps touching it (another host sharing the folder).
 */

/** How often a server touches its pointer, and how old an untouched one of another host may get. */
const heartbeatMilliseconds = 60 * 1000;
const otherHostTimeoutMilliseconds = 10 * heartbeatMilliseconds;

/** A running server's claim on the build its code comes from. */
export interface ServerBuildClaim {
  pointer: string;
  build: string;
  /** Removes the pointer (on a clean stop). */
  release(): Promise<void>;
}

/** This machine's name as pointer names spell it. */
function hostLabel(): string {
  return hostname().replace(/[^A-Za-z0-9.]/g, '_') || 'host';
}

/** Whether a process of this machine is running (a process of another user still counts). */
function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Records that this process runs server code from `build`. Removed by `release()`, and on exit
 * when the process ends any other way that still runs exit handlers.
 */
export async function claimServerBuild(layout: SiteLayout, build: string): Promise<ServerBuildClaim> {
  await mkdir(layout.servers, { recursive: true });
  const pointer = join(layout.servers, `${hostLabel()}-${process.pid}`);
  await swapPointer(pointer, build);
  // The single pointer of earlier versions (SITE_DIR/server) would keep its build forever.
  await rm(join(layout.root, 'server'), { force: true });
  const heartbeat = setInterval(() => {
    const now = new Date();
    void lutimes(pointer, now, now).catch(() => undefined);
  }, heartbeatMilliseconds);
  heartbeat.unref();
  const removeOnExit = () => rmSync(pointer, { force: true });
  process.once('exit', removeOnExit);
  return {
    pointer,
    build,
    async release() {
      clearInterval(heartbeat);
      process.off('exit', removeOnExit);
      await rm(pointer, { force: true });
    },
  };
}

/**
 * The builds live servers run from. Pointers of processes that are gone are deleted on the way,
 * so a crashed server's build is pruned like any other.
 */
export async function liveServerBuilds(layout: SiteLayout, now = Date.now()): Promise<Set<string>> {
  const live = new Set<string>();
  const names = await readdir(layout.servers).catch(() => [] as string[]);
  const ownHost = hostLabel();
  for (const name of names) {
    const match = /^(.+)-(\d+)$/.exec(name);
    if (!match) continue;
    const pointer = join(layout.servers, name);
    const [, host, pid] = match;
    let alive: boolean;
    if (host === ownHost) {
      alive = isProcessAlive(Number(pid));
    } else {
      const stats = await lstat(pointer).catch(() => null);
      alive = stats !== null && now - stats.mtimeMs < otherHostTimeoutMilliseconds;
    }
    if (!alive) {
      await rm(pointer, { force: true });
      continue;
    }
    const build = await readPointer(pointer);
    if (build) live.add(build);
  }
  return live;
}
