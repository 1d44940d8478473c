import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Database } from '../../../../db/client.ts';

/** Another process holds the lock: who, and since when. */
export class CommandLockHeldError extends Error {
  override name = 'CommandLockHeldError';
  readonly holder: string;
  readonly since: Date;
  constructor(holder: string, since: Date) {
    super(`held by ${holder} since ${since.toISOString()}`);
    this.holder = holder;
    this.since = since;
  }
}

/** A held lock: it beats until released. */
export interface CommandLock {
  readonly name: string;
  readonly holder: string;
  /**
   * True once the lock may belong to someone else: another process took it over, or this one has
   * not managed to beat for half the stale time (others may soon take it). Stop working then.
   */
  readonly lost: boolean;
  release(): Promise<void>;
}

export interface CommandLockOptions {
  /** A holder that has not beaten for this long is taken to be gone (another machine, say). */
  staleAfterMs?: number;
  heartbeatMs?: number;
  holder?: string;
  /** For tests: a clock in place of the database's own. */
  now?: () => number;
}

/** The PID namespace, so two containers sharing a host name never mistake each other's processes. */
function pidNamespace(): string {
  try {
    return readlinkSync('/proc/self/ns/pid').replace(/^pid:\[(\d+)\]$/, '$1');
  } catch {
    return '';
  }
}

/** This process, as a lock holder: `host:pid-namespace:pid`. */
export function thisProcessHolder(): string {
  return `${hostname()}:${pidNamespace()}:${process.pid}`;
}

/** Whether a process of this machine (and PID namespace) is still running. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The holder was a process of this machine and PID namespace that no longer exists. */
function holderIsGone(holder: string): boolean {
  const separator = holder.lastIndexOf(':');
  const pid = Number(holder.slice(separator + 1));
  return holder.slice(0, separator) === thisProcessHolder().replace(/:\d+$/, '') && Number.isInteger(pid) && pid > 0 && !isRunning(pid);
}

/** The database's clock, in milliseconds: every machine sharing the database agrees on it. */
const databaseClock = "cast(unixepoch('subsec') * 1000 as integer)";

/**
 * Takes the lock `name` in the database, so two runs of a command (a cron job and a person, or
 * two machines sharing a remote database) never work at once. Taking it is one SQL statement,
 * timed by the database's clock. A run killed with SIGKILL leaves its row behind: on the same
 * machine the next run sees that the process is gone and takes over at once; elsewhere it waits
 * until the heartbeat is stale (a minute by default). Throws CommandLockHeldError when a live run
 * holds it. Work done under the lock should also be claimed in its own write only while the
 * row still names this holder, so a holder that lost the lock without noticing writes nothing.
 */
export async function acquireCommandLock(db: Database, name: string, options: CommandLockOptions = {}): Promise<CommandLock> {
  const staleAfterMs = options.staleAfterMs ?? 60_000;
  const heartbeatMs = options.heartbeatMs ?? Math.max(1000, Math.floor(staleAfterMs / 4));
  const holder = options.holder ?? thisProcessHolder();
  // With a test clock, times are bound as arguments; otherwise the database supplies them.
  const clock = (args: (string | number)[]) => {
    if (!options.now) return databaseClock;
    args.push(options.now());
    return '?';
  };

  const takeArgs: (string | number)[] = [name, holder];
  const takeSql = `insert into command_locks (name, holder, acquired_at, heartbeat_at) values (?, ?, ${clock(takeArgs)}, ${clock(takeArgs)})
      on conflict (name) do update set holder = excluded.holder, acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at
      where command_locks.heartbeat_at < ${clock(takeArgs)} - ?
      returning holder`;
  takeArgs.push(staleAfterMs);
  const taken = await db.$client.execute({ sql: takeSql, args: takeArgs });
  if (taken.rows.length === 0) {
    const [current] = (await db.$client.execute({ sql: 'select holder, acquired_at from command_locks where name = ?', args: [name] })).rows;
    const previous = current ? String(current.holder) : null;
    // A run of this machine that was killed: take over from exactly that holder, or not at all.
    let takenOver = false;
    if (previous !== null && holderIsGone(previous)) {
      const args: (string | number)[] = [holder];
      const sql = `update command_locks set holder = ?, acquired_at = ${clock(args)}, heartbeat_at = ${clock(args)} where name = ? and holder = ?`;
      args.push(name, previous);
      takenOver = (await db.$client.execute({ sql, args })).rowsAffected === 1;
    }
    if (!takenOver) throw new CommandLockHeldError(previous ?? 'another process', new Date(Number(current?.acquired_at ?? Date.now())));
  }

  let takenAway = false;
  let lastBeat = performance.now();
  const beat = async () => {
    const args: (string | number)[] = [];
    const sql = `update command_locks set heartbeat_at = ${clock(args)} where name = ? and holder = ?`;
    args.push(name, holder);
    const result = await db.$client.execute({ sql, args });
    if (result.rowsAffected === 0) takenAway = true;
    else lastBeat = performance.now();
  };
  const timer = setInterval(() => void beat().catch(() => {}), heartbeatMs);
  timer.unref();
  return {
    name,
    holder,
    get lost() {
      return takenAway || performance.now() - lastBeat > staleAfterMs / 2;
    },
    async release() {
      clearInterval(timer);
      await db.$client.execute({ sql: 'delete from command_locks where name = ? and holder = ?', args: [name, holder] });
    },
  };
}
