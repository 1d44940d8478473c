import { hostname } from 'node:os';
import type { Database } from '../../../db/client.ts';

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

/** A held lock: it beats until released. `lost` turns true if another process took it over. */
export interface CommandLock {
  readonly holder: string;
  readonly lost: boolean;
  release(): Promise<void>;
}

export interface CommandLockOptions {
  /** A holder that has not beaten for this long is taken to be gone (another machine, say). */
  staleAfterMs?: number;
  heartbeatMs?: number;
  holder?: string;
  now?: () => number;
}

/** Whether a process of this machine is still running. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The holder's process is gone: it ran on this machine and its pid no longer exists. */
function holderIsGone(holder: string, ourHost: string): boolean {
  const separator = holder.lastIndexOf(':');
  const host = holder.slice(0, separator);
  const pid = Number(holder.slice(separator + 1));
  return host === ourHost && Number.isInteger(pid) && pid > 0 && !isRunning(pid);
}

/**
 * Takes the lock `name` in the database, so two runs of a command (a cron job and a person, or
 * two machines sharing a remote database) never work at once. Taking it is one SQL statement. A
 * run killed with SIGKILL leaves its row behind: on the same machine the next run sees that the
 * process is gone and takes over at once; elsewhere it waits until the heartbeat is stale
 * (a minute by default). Throws CommandLockHeldError when a live run holds it.
 */
export async function acquireCommandLock(db: Database, name: string, options: CommandLockOptions = {}): Promise<CommandLock> {
  const staleAfterMs = options.staleAfterMs ?? 60_000;
  const heartbeatMs = options.heartbeatMs ?? Math.max(1000, Math.floor(staleAfterMs / 4));
  const now = options.now ?? Date.now;
  const ourHost = hostname();
  const holder = options.holder ?? `${ourHost}:${process.pid}`;

  const at = now();
  const taken = await db.$client.execute({
    sql: `insert into command_locks (name, holder, acquired_at, heartbeat_at) values (?, ?, ?, ?)
      on conflict (name) do update set holder = excluded.holder, acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at
      where command_locks.heartbeat_at < ?
      returning holder`,
    args: [name, holder, at, at, at - staleAfterMs],
  });
  if (taken.rows.length === 0) {
    const [current] = (await db.$client.execute({ sql: 'select holder, acquired_at from command_locks where name = ?', args: [name] })).rows;
    const previous = current ? String(current.holder) : null;
    // A run of this machine that was killed: take over from exactly that holder, or not at all.
    const takenOver =
      previous !== null &&
      holderIsGone(previous, ourHost) &&
      (
        await db.$client.execute({
          sql: 'update command_locks set holder = ?, acquired_at = ?, heartbeat_at = ? where name = ? and holder = ?',
          args: [holder, at, at, name, previous],
        })
      ).rowsAffected === 1;
    if (!takenOver) throw new CommandLockHeldError(previous ?? 'another process', new Date(Number(current?.acquired_at ?? at)));
  }

  let lost = false;
  const beat = async () => {
    const result = await db.$client.execute({
      sql: 'update command_locks set heartbeat_at = ? where name = ? and holder = ?',
      args: [now(), name, holder],
    });
    if (result.rowsAffected === 0) lost = true;
  };
  const timer = setInterval(() => void beat().catch(() => {}), heartbeatMs);
  timer.unref();
  return {
    holder,
    get lost() {
      return lost;
    },
    async release() {
      clearInterval(timer);
      await db.$client.execute({ sql: 'delete from command_locks where name = ? and holder = ?', args: [name, holder] });
    },
  };
}
