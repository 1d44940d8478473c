import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '../../db/client.ts';
import { migrateDatabase } from '../../db/migrate.ts';

/** A migrated database in a fresh temp folder, and a way to remove it. */
export interface TemporaryDatabase {
  db: Database;
  url: string;
  directory: string;
  cleanup(): void;
}

/** Opens a new libSQL file database under the system temp folder with every migration applied. */
export async function createTemporaryDatabase(): Promise<TemporaryDatabase> {
  const directory = mkdtempSync(join(tmpdir(), 'review-wall-test-'));
  const url = `file:${join(directory, 'test.db')}`;
  const db = await openDatabase({ url });
  await migrateDatabase(db);
  return {
    db,
    url,
    directory,
    cleanup() {
      db.$client.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
