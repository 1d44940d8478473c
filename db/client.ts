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

/** Databases opened on a local file (not `:memory:`, not remote). */
const localFiles = new WeakSet<object>();
const closers = new WeakMap<object, (() => void)[]>();

/**
 * The path of the local database file the client actually opened (as SQLite reports it, so a
 * `file://localhost/…` or percent-encoded URL resolves the same way), or null for `:memory:` and
 * remote servers.
 */
export async function localDatabaseFile(db: Database): Promise<string | null> {
  if (!localFiles.has(db)) return null;
  const { rows } = await db.$client.execute('PRAGMA database_list');
  const main = rows.find((row) => row.name === 'main');
  return typeof main?.file === 'string' && main.file !== '' ? main.file : null;
}

/** Runs `close` when the database's client is closed (for connections opened beside it). */
export function onDatabaseClose(db: Database, close: () => void): void {
  closers.get(db)?.push(close);
}

/** The folder part of a `file:` URL's path, for creating it: `file:db/x.db`, `file:///srv/x.db`, `file://localhost/srv/x.db`. */
function localPath(url: string): string {
  const path = decodeURIComponent(url.slice('file:'.length).split('?')[0] ?? '');
  return path.startsWith('//') ? path.replace(/^\/\/[^/]*/, '') : path;
}

/**
 * Opens a database. For a local file it turns on WAL and a busy timeout, so the server and a
 * script can write at the same time; a remote libSQL server (sqld, Turso) needs neither.
 */
export async function openDatabase({ url, authToken }: DatabaseLocation): Promise<Database> {
  const isFile = url.startsWith('file:');
  const path = isFile ? localPath(url) : '';
  const onDisk = path !== '' && path !== ':memory:';
  if (onDisk) mkdirSync(dirname(path), { recursive: true });
  const client = createClient({ url, authToken, ...(isFile ? { timeout: 5000 } : {}) });
  if (isFile) await client.execute('PRAGMA journal_mode = WAL');
  const db = drizzle(client, { schema }) as Database;
  if (onDisk) localFiles.add(db);
  const registered: (() => void)[] = [];
  closers.set(db, registered);
  const closeClient = client.close.bind(client);
  client.close = () => {
    for (const close of registered.splice(0)) close();
    closeClient();
  };
  return db;
}
