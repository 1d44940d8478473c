import { openDatabase, type Database } from '../../../../db/client.ts';
import { getEnvironment } from './env.ts';

let opened: Promise<Database> | undefined;

/** The process-wide database, opened lazily from DATABASE_URL and DATABASE_AUTH_TOKEN. */
export function getDatabase(): Promise<Database> {
  if (!opened) {
    const { DATABASE_URL, DATABASE_AUTH_TOKEN } = getEnvironment();
    opened = openDatabase({ url: DATABASE_URL, authToken: DATABASE_AUTH_TOKEN });
  }
  return opened;
}
