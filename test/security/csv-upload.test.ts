import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client.ts';
import { csvUploadMaxBytes } from '../../src/lib/listen/import-summary.ts';
import { signInAdmin, startApp, type RunningApp } from '../helpers/app.ts';

// The admin's CSV upload against the real server: a session, the same-origin check, and its own
// body limit (larger than the admin's 256 KB, far smaller than anything unbounded).
let app: RunningApp;
let db: Database;
let cookie = '';
beforeAll(async () => {
  app = await startApp();
  db = await openDatabase({ url: app.env.DATABASE_URL! });
  cookie = await signInAdmin(app);
}, 120_000);
afterAll(async () => {
  db?.$client.close();
  await app?.stop();
});

const uploadPath = '/admin/campaign/?_action=adminCampaign.importCsv';
/** A CSV of `rows` new customers, each a promoter, about `rows * 40` bytes. */
const customers = (prefix: string, rows: number) =>
  ['email,score', ...Array.from({ length: rows }, (_, index) => `${prefix}${index}@upload.example,10`)].join('\n');
const form = (text: string) => {
  const body = new FormData();
  body.set('file', new File([text], 'customers.csv', { type: 'text/csv' }));
  body.set('mode', 'import');
  return body;
};
const imported = async (prefix: string) =>
  Number((await db.$client.execute({ sql: "select count(*) as n from contacts where email like ? || '%'", args: [prefix] })).rows[0]!.n);

describe('the admin CSV upload', () => {
  it('answers 401 without a session and 403 from another site, importing nothing', async () => {
    const anonymous = await fetch(`${app.url}${uploadPath}`, { method: 'POST', body: form(customers('anon', 3)), headers: { Origin: app.url }, redirect: 'manual' });
    expect(anonymous.status).toBe(401);
    const forged = await fetch(`${app.url}${uploadPath}`, { method: 'POST', body: form(customers('forged', 3)), headers: { Origin: 'https://evil.example', Cookie: cookie }, redirect: 'manual' });
    expect(forged.status).toBe(403);
    expect(await imported('anon')).toBe(0);
    expect(await imported('forged')).toBe(0);
  });

  it('takes a file larger than the admin limit, and refuses one above its own cap unread', async () => {
    const large = customers('big-customer-with-a-long-address-', 6_000);
    expect(Buffer.byteLength(large)).toBeGreaterThan(300 * 1024);
    const accepted = await fetch(`${app.url}${uploadPath}`, { method: 'POST', body: form(large), headers: { Origin: app.url, Cookie: cookie } });
    expect(accepted.status).toBe(200);
    expect(await accepted.text()).toContain('Added 6000 answers and 6000 new customers.');
    expect(await imported('big-customer')).toBe(6_000);

    const tooLarge = await fetch(`${app.url}${uploadPath}`, { method: 'POST', body: form('email\n' + 'x'.repeat(csvUploadMaxBytes + 128 * 1024)), headers: { Origin: app.url, Cookie: cookie } });
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.text()).toContain('the CSV upload accepts at most');
  }, 120_000);
});
