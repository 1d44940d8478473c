import type { Database } from '../../../../db/client.ts';

/**
 * Removes deleted or overwritten rows' old bytes from a local database file: SQLite keeps old
 * page versions in the WAL and leaves freed space in pages until they are reused. Rebuilds the
 * file (VACUUM) and empties the WAL. Returns true when both happened; false for a remote
 * database (its server's storage is its own) or when another connection kept the WAL busy (the
 * rows are gone from the tables all the same; the next scrub or checkpoint finishes the job).
 */
export async function scrubDatabaseStorage(db: Database): Promise<boolean> {
  if (db.$client.protocol !== 'file') return false;
  try {
    await db.$client.execute('VACUUM');
    const [checkpoint] = (await db.$client.execute('PRAGMA wal_checkpoint(TRUNCATE)')).rows;
    return Number(checkpoint?.[0] ?? 1) === 0;
  } catch {
    return false;
  }
}
