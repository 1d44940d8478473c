import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client.ts';
import { startApp, type RunningApp } from '../helpers/app.ts';

// Sign-in attacked from many addresses and from one, against the real server (npm start with the
// demo admin) behind one trusted proxy, so each request can come from the address the test names.
let app: RunningApp;
let db: Database;
beforeAll(async () => {
  app = await startApp({ env: { TRUST_PROXY: '1' } });
  db = await openDatabase({ url: app.env.DATABASE_URL! });
}, 120_000);
afterAll(async () => {
  db?.$client.close();
  await app?.stop();
});

/** A sign-in from `address` (as the proxy in front reports it). */
async function signInFrom(address: string, email: string, password: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${app.url}/admin/sign-in`, {
    method: 'POST',
    body: new URLSearchParams({ email, password }),
    headers: { Origin: app.url, 'X-Forwarded-For': address },
    redirect: 'manual',
  });
  return { status: response.status, body: await response.text() };
}

const counterRows = async () => Number((await db.$client.execute('select count(*) as n from rate_limits')).rows[0]!.n);

describe('sign-in under attack', () => {
  it('does not let addresses an attacker owns lock the admin out', async () => {
    const email = app.adminEmail!;
    // Five wrong passwords for the admin's email, from five addresses of a botnet.
    for (let i = 1; i <= 5; i++) expect((await signInFrom(`198.51.100.${i}`, email, `wrong password ${i}`)).status).toBe(401);
    // Those addresses are refused from now on, even with the right password.
    const refused = await signInFrom('198.51.100.1', email, app.adminPassword!);
    expect(refused.status).toBe(429);
    expect(refused.body).toContain('Too many sign-in attempts');
    // A new address of the botnet gets one guess, then it is refused too.
    expect((await signInFrom('198.51.100.6', email, 'wrong password 6')).status).toBe(401);
    expect((await signInFrom('198.51.100.6', email, 'wrong password 7')).status).toBe(429);
    // The admin, from an address that gave no wrong password, signs in.
    expect((await signInFrom('203.0.113.77', email, app.adminPassword!)).status).toBe(303);
  });

  it('lets one address neither enumerate accounts nor guess on: 20 tries, then nothing, the right password included', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await signInFrom('192.0.2.44', `guess-${i}@example.com`, 'a password to try')).status);
    expect(statuses.every((status) => status === 401)).toBe(true);
    expect((await signInFrom('192.0.2.44', app.adminEmail!, app.adminPassword!)).status).toBe(429);
    // Refused before its form is read: this body never ends, and the answer comes all the same.
    const controller = new AbortController();
    const neverEnding = new ReadableStream<Uint8Array>({
      start(stream) {
        stream.enqueue(new TextEncoder().encode(`email=${encodeURIComponent(app.adminEmail!)}&password=`));
      },
    });
    const refused = await fetch(`${app.url}/admin/sign-in`, {
      method: 'POST',
      body: neverEnding,
      duplex: 'half',
      headers: { Origin: app.url, 'X-Forwarded-For': '192.0.2.44', 'Content-Type': 'application/x-www-form-urlencoded' },
      signal: controller.signal,
    } as RequestInit);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    controller.abort();
  });

  it('writes nothing for an address already refused: 100 new emails leave the counters and the WAL as they were', async () => {
    for (let i = 0; i < 20; i++) await signInFrom('192.0.2.55', `first-${i}@example.com`, 'a password to try');
    const wal = join(app.directory, 'db', 'app.db-wal');
    const rowsBefore = await counterRows();
    const walBefore = statSync(wal).size;
    for (let i = 0; i < 100; i++) expect((await signInFrom('192.0.2.55', `stuffed-${i}@example.com`, 'a password to try')).status).toBe(429);
    expect(await counterRows()).toBe(rowsBefore);
    // Before, every refused try wrote a counter row: 100 rows, megabytes of WAL.
    expect(statSync(wal).size - walBefore).toBeLessThan(16 * 1024);
  });

  it('answers an unknown email and a wrong password with the same page', async () => {
    const unknown = await signInFrom('192.0.2.66', 'nobody-here@example.com', 'a password to try');
    const wrong = await signInFrom('192.0.2.67', app.adminEmail!, 'a password to try');
    expect(unknown.status).toBe(401);
    expect(wrong).toEqual(unknown);
  });
});
