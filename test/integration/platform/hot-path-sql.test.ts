import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/client.ts';
import { migrateDatabase } from '../../../db/migrate.ts';
import { hotPathRunner } from '../../../src/lib/server/platform/hot-path-sql.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';

let temporary: TemporaryDatabase;
beforeEach(async () => {
  temporary = await createTemporaryDatabase();
});
afterEach(() => temporary.cleanup());

const insert = (key: string) => ({ sql: 'insert into rate_limits (key, count, window_starts_at) values (?, 1, ?) returning key', args: [key, 1] });
const keys = async () => (await temporary.db.$client.execute('select key from rate_limits order by key')).rows.map((row) => row.key);

describe('the hot path runner on a local file', () => {
  it('writes a batch in one transaction that the client connection sees, with rows by column name', async () => {
    const runner = hotPathRunner(temporary.db);
    expect(hotPathRunner(temporary.db)).toBe(runner);
    const results = await runner.batch([insert('a'), insert('b'), { sql: 'update rate_limits set count = 2 where key = ?', args: ['a'] }]);
    expect(results.map((result) => result.rows)).toEqual([[{ key: 'a' }], [{ key: 'b' }], []]);
    expect(await keys()).toEqual(['a', 'b']);
    // The same SQL again runs from the prepared statement, with its new arguments.
    expect((await runner.execute({ sql: 'select count from rate_limits where key = ?', args: ['a'] })).rows).toEqual([{ count: 2 }]);
    expect((await runner.execute({ sql: 'select count from rate_limits where key = ?', args: ['b'] })).rows).toEqual([{ count: 1 }]);
  });

  it('rolls the whole batch back when one statement fails, and keeps working afterwards', async () => {
    const runner = hotPathRunner(temporary.db);
    await expect(runner.batch([insert('c'), insert('c')])).rejects.toThrow(/UNIQUE/);
    expect(await keys()).toEqual([]);
    await runner.batch([insert('d')]);
    expect(await keys()).toEqual(['d']);
  });

  it('sees what the client connection wrote, and binds undefined as null', async () => {
    await temporary.db.$client.execute({ sql: 'insert into rate_limits values (?, 5, 7)', args: ['from-client'] });
    const runner = hotPathRunner(temporary.db);
    expect((await runner.execute({ sql: 'select count, window_starts_at from rate_limits where key = ?', args: ['from-client'] })).rows).toEqual([{ count: 5, window_starts_at: 7 }]);
    expect((await runner.execute({ sql: 'select ? is null as missing', args: [undefined as unknown as null] })).rows).toEqual([{ missing: 1 }]);
  });
});

describe('the hot path runner and the file the client opened', () => {
  it('opens the very file the client has open, for file://localhost/ and percent-encoded URLs, and closes with it', async () => {
    const url = `file://localhost${temporary.directory.split('/').map(encodeURIComponent).join('/')}/with%20a%20space.db`;
    const db = await openDatabase({ url });
    await migrateDatabase(db);
    await hotPathRunner(db).batch([insert('spaced')]);
    expect((await db.$client.execute('select key from rate_limits')).rows.map((row) => row.key)).toEqual(['spaced']);
    expect(existsSync(join(temporary.directory, 'with a space.db'))).toBe(true);
    db.$client.close();
    await expect(hotPathRunner(db).execute({ sql: 'select 1', args: [] })).rejects.toThrow();
  });
});

describe('the hot path runner elsewhere', () => {
  it('uses the client itself for :memory:, which a second connection could not see', async () => {
    const db = await openDatabase({ url: ':memory:' });
    await migrateDatabase(db);
    await hotPathRunner(db).batch([insert('m')]);
    expect((await db.$client.execute('select key from rate_limits')).rows.map((row) => row.key)).toEqual(['m']);
    db.$client.close();
  });
});
