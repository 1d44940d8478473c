import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireCommandLock, CommandLockHeldError, thisProcessHolder } from '../../../src/lib/server/platform/command-lock.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';

let temporary: TemporaryDatabase;
beforeEach(async () => {
  temporary = await createTemporaryDatabase();
});
afterEach(() => temporary.cleanup());

/** The pid of a process of this machine that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid;
}

describe('command locks', () => {
  it('lets one holder at a time, and the next one in once it is released', async () => {
    const first = await acquireCommandLock(temporary.db, 'incentives', { holder: 'elsewhere:1' });
    await expect(acquireCommandLock(temporary.db, 'incentives', { holder: 'elsewhere:2' })).rejects.toThrow(CommandLockHeldError);
    // Other commands have locks of their own.
    const other = await acquireCommandLock(temporary.db, 'something-else', { holder: 'elsewhere:2' });
    await first.release();
    const second = await acquireCommandLock(temporary.db, 'incentives', { holder: 'elsewhere:2' });
    expect(second.holder).toBe('elsewhere:2');
    await second.release();
    await other.release();
    expect((await temporary.db.$client.execute('select count(*) as n from command_locks')).rows[0]?.n).toBe(0);
  });

  it('says who holds it and since when', async () => {
    const since = Date.now() - 30_000;
    const held = await acquireCommandLock(temporary.db, 'incentives', { holder: 'cron-box:4242', now: () => since });
    const refused = await acquireCommandLock(temporary.db, 'incentives', { holder: 'laptop:7' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CommandLockHeldError);
    expect(refused).toMatchObject({ holder: 'cron-box:4242', since: new Date(since) });
    await held.release();
  });

  it('takes over at once from a killed process of this machine, never from a live one', async () => {
    const ourPrefix = thisProcessHolder().replace(/:\d+$/, '');
    const killed = `${ourPrefix}:${deadPid()}`;
    await temporary.db.$client.execute({ sql: 'insert into command_locks values (?, ?, ?, ?)', args: ['incentives', killed, Date.now(), Date.now()] });
    const taken = await acquireCommandLock(temporary.db, 'incentives');
    expect(taken.holder).toBe(thisProcessHolder());
    await taken.release();

    // This test process is alive: its lock stands.
    const live = await acquireCommandLock(temporary.db, 'incentives', { holder: thisProcessHolder() });
    await expect(acquireCommandLock(temporary.db, 'incentives', { holder: `${ourPrefix}:1${process.pid}` })).rejects.toThrow(CommandLockHeldError);
    await live.release();

    // A process of the same host name in another PID namespace (another container) is never taken for dead.
    const elsewhere = `${thisProcessHolder().split(':')[0]}:4026530000:${deadPid()}`;
    await temporary.db.$client.execute({ sql: 'insert into command_locks values (?, ?, ?, ?)', args: ['incentives', elsewhere, Date.now(), Date.now()] });
    await expect(acquireCommandLock(temporary.db, 'incentives')).rejects.toThrow(CommandLockHeldError);
  });

  it('counts itself as having lost the lock when it has not managed to beat for half the stale time', async () => {
    const held = await acquireCommandLock(temporary.db, 'incentives', { holder: 'slow-box:1', staleAfterMs: 200, heartbeatMs: 60_000 });
    expect(held.lost).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(held.lost).toBe(true);
    await held.release();
  });

  it('takes over from a holder elsewhere whose heartbeat went stale; that holder learns it lost the lock', async () => {
    // The first holder's clock stands still: its beats keep writing the same old time, as a hung process's last beat would.
    const first = await acquireCommandLock(temporary.db, 'incentives', { holder: 'other-box:1', staleAfterMs: 60_000, heartbeatMs: 10, now: () => 1_000_000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(first.lost).toBe(false);
    const tooSoon = { holder: 'this-box:2', staleAfterMs: 60_000, now: () => 1_000_000 + 59_000 };
    await expect(acquireCommandLock(temporary.db, 'incentives', tooSoon)).rejects.toThrow(CommandLockHeldError);
    const second = await acquireCommandLock(temporary.db, 'incentives', { ...tooSoon, now: () => 1_000_000 + 61_000 });
    expect(second.holder).toBe('this-box:2');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(first.lost).toBe(true);
    // Releasing a lost lock leaves the new holder's row alone.
    await first.release();
    expect((await temporary.db.$client.execute('select holder from command_locks')).rows.map((row) => row.holder)).toEqual(['this-box:2']);
    await second.release();
  });
});
