import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '../../../db/client.ts';
import { migrateDatabase } from '../../../db/migrate.ts';
import { contacts, npsResponses } from '../../../db/schema.ts';
import { startSqld } from '../../helpers/sqld.ts';

// The same migrations and queries must work on every kind of libSQL we support.
const locations: Record<string, () => Promise<{ url: string; done: () => Promise<void> | void }>> = {
  'a file database': async () => {
    const directory = mkdtempSync(join(tmpdir(), 'review-wall-db-'));
    return { url: `file:${join(directory, 'nested', 'local.db')}`, done: () => rmSync(directory, { recursive: true, force: true }) };
  },
  'an in-memory database': async () => ({ url: ':memory:', done: () => {} }),
  'a real sqld server over HTTP': async () => {
    const server = await startSqld();
    return { url: server.url, done: () => server.stop() };
  },
  'a real sqld server over WebSockets (the libsql:// protocol without TLS)': async () => {
    const server = await startSqld();
    return { url: server.url.replace(/^http:/, 'ws:'), done: () => server.stop() };
  },
};

describe.each(Object.keys(locations))('on %s', (kind) => {
  let db: Database;
  let done: () => Promise<void> | void;

  beforeAll(async () => {
    const location = await locations[kind]!();
    done = location.done;
    db = await openDatabase({ url: location.url });
    await migrateDatabase(db);
  });

  afterAll(async () => {
    db.$client.close();
    await done();
  });

  it('applies the migrations, twice without harm', async () => {
    await migrateDatabase(db);
    const tables = await db.$client.execute("select name from sqlite_master where type = 'table' order by name");
    const names = tables.rows.map((row) => row.name);
    for (const table of ['contacts', 'nps_responses', 'review_requests', 'reviews', 'incentives', 'admin_users', 'sessions', 'audit_log', 'email_log', 'rate_limits', 'publish_runs', 'gift_codes']) {
      expect(names).toContain(table);
    }
  });

  it('writes and reads back a contact with an NPS answer, with SQL-side timestamps', async () => {
    const [contact] = await db.insert(contacts).values({ email: 'olena@example.com', name: 'Олена', locale: 'uk' }).returning();
    expect(contact?.createdAt).toBeInstanceOf(Date);
    await db.insert(npsResponses).values({ contactId: contact!.id, score: 9, respondedAt: new Date('2026-05-01T10:00:00Z'), source: 'csv' });
    const rows = await db
      .select({ name: contacts.name, score: npsResponses.score, respondedAt: npsResponses.respondedAt })
      .from(npsResponses)
      .innerJoin(contacts, eq(contacts.id, npsResponses.contactId));
    expect(rows).toEqual([{ name: 'Олена', score: 9, respondedAt: new Date('2026-05-01T10:00:00Z') }]);
  });

  it('enforces the constraints the product relies on', async () => {
    await expect(db.insert(contacts).values({ email: 'olena@example.com' })).rejects.toThrow();
    const [contact] = await db.select().from(contacts).where(eq(contacts.email, 'olena@example.com'));
    await expect(
      db.insert(npsResponses).values({ contactId: contact!.id, score: 11, respondedAt: new Date(), source: 'csv' }),
    ).rejects.toThrow();
  });
});

describe('a file database', () => {
  it('runs in WAL mode with a busy timeout so the server and scripts can share it', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'review-wall-db-'));
    const db = await openDatabase({ url: `file:${join(directory, 'wal.db')}` });
    const mode = await db.$client.execute('pragma journal_mode');
    expect(mode.rows[0]?.[0]).toBe('wal');
    const timeout = await db.$client.execute('pragma busy_timeout');
    expect(Number(timeout.rows[0]?.[0])).toBeGreaterThanOrEqual(1000);
    db.$client.close();
    rmSync(directory, { recursive: true, force: true });
  });
});
