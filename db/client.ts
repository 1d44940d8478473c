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

const localFiles = new WeakMap<object, string>();

/** The path of a local database file (not `:memory:`, not remote), or null. */
export function localDatabaseFile(db: Database): string | null {
  return localFiles.get(db) ?? null;
}

/**
 * Opens a database. For a local file it turns on WAL and a busy timeout, so the server and a
 * script can write at the same time; a remote libSQL server (sqld, Turso) needs neither.
 */
export async function openDatabase({ url, authToken }: DatabaseLocation): Promise<Database> {
  const isFile = url.startsWith('file:');
  const path = isFile ? (url.slice('file:'.length).split('?')[0] ?? '') : '';
  const onDisk = path !== '' && path !== ':memory:';
  if (onDisk) mkdirSync(dirname(path), { recursive: true });
  const client = createClient({ url, authToken, ...(isFile ? { timeout: 5000 } : {}) });
  if (isFile) await client.execute('PRAGMA journal_mode = WAL');
  const db = drizzle(client, { schema }) as Database;
  if (onDisk) localFiles.set(db, path);
  return db;
}
