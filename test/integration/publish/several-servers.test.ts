import { existsSync, lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../db/client.ts';
import { signWebhookBody } from '../../../src/lib/server/listen/nps-webhook.ts';
import { runScript, startApp, type RunningApp } from '../../helpers/app.ts';

// Real `npm start` processes sharing one SITE_DIR and database, as ARCHITECTURE allows.
const secret = 'several-servers-webhook-secret-0123456789';
const password = 'several-servers-demo-password';
const env = { NPS_WEBHOOK_SECRET: secret, DEMO_ADMIN_PASSWORD: password };

/** Everything under a folder: each file with its size and time, each link with its target; links are not followed. */
function snapshot(directory: string): string[] {
  const entries: string[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      const stats = lstatSync(path);
      if (stats.isSymbolicLink()) entries.push(`${path} -> ${readlinkSync(path)}`);
      else if (stats.isDirectory()) walk(path);
      else entries.push(`${path} ${stats.size} ${stats.mtimeMs}`);
    }
  };
  walk(directory);
  return entries;
}

async function signIn(url: string): Promise<string> {
  const response = await fetch(`${url}/admin/sign-in`, {
    method: 'POST',
    body: new URLSearchParams({ email: 'demo@review-wall.invalid', password }),
    headers: { Origin: url },
    redirect: 'manual',
  });
  expect(response.status).toBe(303);
  return (response.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/** What a server answers on its static pages, its admin, its exports and its webhook. */
async function statuses(url: string, email: string): Promise<Record<string, number>> {
  const cookie = await signIn(url);
  const get = async (path: string) => (await fetch(`${url}${path}`, { headers: { Cookie: cookie }, redirect: 'manual' })).status;
  const body = JSON.stringify({ email, name: 'Webhook Customer', score: 9, responded_at: new Date().toISOString() });
  const timestamp = Math.floor(Date.now() / 1000);
  const webhook = await fetch(`${url}/api/nps`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Review-Wall-Timestamp': String(timestamp), 'X-Review-Wall-Signature': signWebhookBody(secret, timestamp, body) },
    body,
  });
  return {
    '/': await get('/'),
    '/admin/': await get('/admin/'),
    '/admin/dashboard/': await get('/admin/dashboard/'),
    '/admin/publish/': await get('/admin/publish/'),
    '/admin/export/reviews.csv': await get('/admin/export/reviews.csv'),
    '/admin/export/nps.csv': await get('/admin/export/nps.csv'),
    'POST /api/nps': webhook.status,
  };
}

const healthy = {
  '/': 200,
  '/admin/': 200,
  '/admin/dashboard/': 200,
  '/admin/publish/': 200,
  '/admin/export/reviews.csv': 200,
  '/admin/export/nps.csv': 200,
  'POST /api/nps': 201,
};

describe('several npm start processes on one SITE_DIR', () => {
  let first: RunningApp;
  let db: Database;
  let siteDir: string;
  const builds = () => readdirSync(join(siteDir, 'builds')).sort((a, b) => Number(a) - Number(b));
  const serverPointers = () => readdirSync(join(siteDir, 'servers')).map((name) => readlinkSync(join(siteDir, 'servers', name)));
  /** Waits until no publish runs or waits in any process. */
  const publishesSettled = async () => {
    for (let attempt = 0; attempt < 600; attempt++) {
      const { rows } = await db.$client.execute("select count(*) as n from publish_runs where status in ('running', 'queued')");
      if (Number(rows[0]?.n) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('a publish did not finish in time');
  };

  beforeAll(async () => {
    first = await startApp({ env });
    db = await openDatabase({ url: first.env.DATABASE_URL! });
    siteDir = first.env.SITE_DIR!;
  }, 120_000);
  afterAll(async () => {
    db?.$client.close();
    await first?.stop();
  });

  it('a second start on the same port stops with one line and changes nothing; erase and publish then leave the first serving', async () => {
    expect(serverPointers()).toEqual([join(siteDir, 'builds', '1')]);
    const before = snapshot(siteDir);
    const runsBefore = (await db.$client.execute('select id, status from publish_runs order by id')).rows.map((row) => ({ ...row }));

    const second = await runScript('start', [], first.env);
    expect(second.code).not.toBe(0);
    expect(second.stderr).toBe(`start: port ${first.env.PORT} is in use (another npm start?)\n`);
    expect(second.stdout).toBe('');
    // The test can fail: before the fix the second start published and moved the server pointer first.
    expect(snapshot(siteDir)).toEqual(before);
    expect((await db.$client.execute('select id, status from publish_runs order by id')).rows.map((row) => ({ ...row }))).toEqual(runsBefore);

    const erased = await runScript('erase', ['aisha.bello@example.org'], first.env);
    expect(erased.code, erased.stderr).toBe(0);
    expect(erased.stdout).toContain('the public pages were republished without it');
    const published = await runScript('publish', [], first.env);
    expect(published.code, published.stderr).toBe(0);

    // The build the first server runs from keeps its code (and no page); the others were pruned as usual.
    expect(builds()).toEqual(['1', '2', '3']);
    expect(existsSync(join(siteDir, 'builds', '1', 'server', 'entry.mjs'))).toBe(true);
    expect(readdirSync(join(siteDir, 'builds', '1', 'client')).filter((entry) => entry !== '_astro')).toEqual([]);
    expect(await statuses(first.url, 'after-erase@example.com')).toEqual(healthy);
  }, 480_000);

  it('two healthy servers on different ports keep serving through a publish and an admin erasure', async () => {
    const other = await startApp({ env: { ...env, DATABASE_URL: first.env.DATABASE_URL!, SITE_DIR: siteDir, OUTBOX_DIR: first.env.OUTBOX_DIR!, UPLOAD_DIR: first.env.UPLOAD_DIR! } });
    try {
      const otherBuild = builds().at(-1)!;
      expect(serverPointers().sort()).toEqual([join(siteDir, 'builds', '1'), join(siteDir, 'builds', otherBuild)]);

      // Erased through the first server's admin, which republishes in the background.
      const cookie = await signIn(first.url);
      const erase = await fetch(`${first.url}/admin/erase/?_action=adminErasure.erase`, {
        method: 'POST',
        body: new URLSearchParams({ email: 'anna.kowalska0@example.com', confirm: 'yes' }),
        headers: { Origin: first.url, Cookie: cookie },
        redirect: 'manual',
      });
      expect(erase.status).toBe(303);
      expect(erase.headers.get('location')).toMatch(/^\/admin\/erase\/\?erased=\d+&publishing=1$/);
      await publishesSettled();
      const published = await runScript('publish', [], first.env);
      expect(published.code, published.stderr).toBe(0);

      expect(builds()).toContain('1');
      expect(builds()).toContain(otherBuild);
      for (const build of ['1', otherBuild]) {
        expect(existsSync(join(siteDir, 'builds', build, 'server', 'entry.mjs')), build).toBe(true);
      }
      expect(await statuses(first.url, 'first-server@example.com')).toEqual(healthy);
      expect(await statuses(other.url, 'other-server@example.com')).toEqual(healthy);
    } finally {
      await other.stop();
    }
    // A clean stop takes the server's pointer with it; the first server's stays and it still serves.
    expect(serverPointers()).toEqual([join(siteDir, 'builds', '1')]);
    expect(await statuses(first.url, 'after-other-stopped@example.com')).toEqual(healthy);
  }, 600_000);
});
