import type { InStatement, InValue } from '@libsql/client';
import Libsql from 'libsql';
import { localDatabaseFile, onDatabaseClose, type Database } from '../../../../db/client.ts';

/** Rows by column name: what the hot path reads from a result. */
export interface SqlRows {
  rows: Record<string, unknown>[];
}

/** Runs the few fixed statements of a hot path: one at a time, or as one write transaction. */
export interface SqlRunner {
  execute(statement: InStatement): Promise<SqlRows>;
  /** All statements in one write transaction (BEGIN IMMEDIATE … COMMIT), rolled back on error. */
  batch(statements: InStatement[]): Promise<SqlRows[]>;
}

const runners = new WeakMap<Database, SqlRunner>();

/**
 * The runner for a hot path (review submissions). On a local database file it keeps its own
 * connection (the same libSQL engine @libsql/client uses) with each SQL text prepared once:
 * @libsql/client prepares every statement again on every call, which was a fifth of the server's
 * time per submission. Statements run synchronously, so a transaction never interleaves with
 * another in this process; other processes wait on the busy timeout, as with @libsql/client.
 * On a remote server (or `:memory:`, which a second connection could not see) it is the client.
 */
export function hotPathRunner(db: Database): SqlRunner {
  let runner = runners.get(db);
  if (!runner) {
    // Opened once, on first use: the file is the one the client itself has open.
    const ready = localDatabaseFile(db).then((file) => {
      if (!file) return clientRunner(db);
      const local = localRunner(file);
      onDatabaseClose(db, local.close);
      return local;
    });
    runner = {
      execute: async (statement) => (await ready).execute(statement),
      batch: async (statements) => (await ready).batch(statements),
    };
    runners.set(db, runner);
  }
  return runner;
}

function clientRunner(db: Database): SqlRunner {
  return {
    execute: (statement) => db.$client.execute(statement),
    batch: (statements) => db.$client.batch(statements, 'write'),
  };
}

interface Prepared {
  statement: Libsql.Statement<unknown[]>;
  reader: boolean;
}

function localRunner(file: string): SqlRunner & { close(): void } {
  const connection = new Libsql(file, { timeout: 5000 });
  const cache = new Map<string, Prepared>();
  const prepare = (sql: string): Prepared => {
    let prepared = cache.get(sql);
    if (!prepared) {
      const statement = connection.prepare(sql);
      prepared = { statement, reader: statement.reader };
      cache.set(sql, prepared);
    }
    return prepared;
  };
  const toSql = (value: InValue | undefined): unknown => (value === undefined ? null : typeof value === 'boolean' ? Number(value) : value);
  const run = (input: InStatement): SqlRows => {
    const { sql, args } = typeof input === 'string' ? { sql: input, args: [] as InValue[] } : input;
    if (!Array.isArray(args)) throw new Error('the hot path binds positional arguments only');
    const { statement, reader } = prepare(sql);
    const values = (args ?? []).map(toSql);
    if (reader) return { rows: statement.all(values) as Record<string, unknown>[] };
    statement.run(values);
    return { rows: [] };
  };
  return {
    close: () => connection.close(),
    execute: async (statement) => run(statement),
    batch: async (statements) => {
      run('BEGIN IMMEDIATE');
      try {
        const results = statements.map(run);
        run('COMMIT');
        return results;
      } catch (error) {
        if (connection.inTransaction) run('ROLLBACK');
        throw error;
      }
    },
  };
}

interface QueuedBatch {
  statements: InStatement[];
  resolve(results: SqlRows[]): void;
  reject(error: unknown): void;
}

const queuedBatches = new WeakMap<Database, QueuedBatch[]>();

/**
 * Runs a write batch in one transaction, sharing it (and its disk sync) with the submissions that
 * arrived in the same turn of the event loop: group commit. Each caller's batch stays all-or-nothing:
 * if the shared transaction fails, each batch is retried on its own. Review submissions and survey
 * answers use it.
 */
export function runGroupedWriteBatch(db: Database, statements: InStatement[]): Promise<SqlRows[]> {
  return new Promise((resolve, reject) => {
    let queue = queuedBatches.get(db);
    if (!queue) {
      queue = [];
      queuedBatches.set(db, queue);
      setImmediate(() => void flushWriteBatches(db));
    }
    queue.push({ statements, resolve, reject });
  });
}

async function flushWriteBatches(db: Database): Promise<void> {
  const queue = queuedBatches.get(db) ?? [];
  queuedBatches.delete(db);
  if (queue.length > 1) {
    try {
      const results = await hotPathRunner(db).batch(queue.flatMap((queued) => queued.statements));
      let offset = 0;
      for (const queued of queue) {
        queued.resolve(results.slice(offset, offset + queued.statements.length));
        offset += queued.statements.length;
      }
      return;
    } catch {
      // Fall through: one failing submission must not take the others with it.
    }
  }
  for (const queued of queue) {
    try {
      queued.resolve(await hotPathRunner(db).batch(queued.statements));
    } catch (error) {
      queued.reject(error);
    }
  }
}
