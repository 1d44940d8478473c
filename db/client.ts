import { createClient, type Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import * as schema from './schema.ts';

/** The drizzle database every module uses. */
export type Database = LibSQLDatabase<typeof schema> & { $client: Client };

/** Where the database lives: a `file:` path, `:memory:`, or a remote libSQL URL with a token. */
export interface DatabaseLocation {
  url: string;
  authToken?: string | undefined;
}

/**
 * Opens a database. For a local file it turns on WAL and a busy timeout, so the server and a
 * script can write at the same time; a remote libSQL server (sqld, Turso) needs neither.
 */
export async function openDatabase({ url, authToken }: DatabaseLocation): Promise<Database> {
  const isFile = url.startsWith('file:');
  if (isFile) {
    const path = url.slice('file:'.length).split('?')[0] ?? '';
    if (path && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  }
  const client = createClient({ url, authToken, ...(isFile ? { timeout: 5000 } : {}) });
  if (isFile) await client.execute('PRAGMA journal_mode = WAL');
  return drizzle(client, { schema }) as Database;
}
