import { eq } from 'drizzle-orm';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminUsers, reviews } from '../../db/schema.ts';
import { hashPassword } from '../../src/lib/server/auth/password.ts';
import { createOutboxTransport, sendMail } from '../../src/lib/server/platform/mail.ts';
import { signInAdmin, startApp, type RunningApp } from '../helpers/app.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../helpers/database.ts';
import { seedReviews, writeStoredPhoto } from '../helpers/reviews.ts';

// An attacker (or an auditor) reads every byte on disk after a customer was erased whose review a
// moderator had redacted before: none of their words may be left anywhere, whatever the text was then.
const name = 'Ingrid Halvorsen';
const email = 'ingrid.halvorsen@fjordline-example.no';
const company = 'Fjordline Logistics';
const phone = '+47 912 34 567';
const office = 'Bergen harbour office';
const remaining = 'fixed our customs export in one afternoon';
const original = `Ingrid from the ${office} here, call me on ${phone} to hear more. Support ${remaining}.`;
const moderator = { email: 'moderator@example.com', password: 'a long moderator password' };
const needles = [name, 'Halvorsen', email, company, phone, office, remaining];

/** Every file under a folder, symbolic links not followed (SITE_DIR links node_modules). */
function filesUnder(directory: string): string[] {
  if (!existsSync(directory)) return [];
  const files: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(directory);
  } catch {
    return []; // pruned meanwhile
  }
  for (const entry of entries) {
    const path = join(directory, entry);
    // The server prunes old builds in the background: a file gone while we look holds nothing.
    const stats = lstatSync(path, { throwIfNoEntry: false });
    if (!stats) continue;
    if (stats.isDirectory()) files.push(...filesUnder(path));
    else if (stats.isFile()) files.push(path);
  }
  return files;
}

/** Which needles each file holds in its raw bytes, or decompressed for .gz and .br twins; any case. */
function traces(files: string[]): string[] {
  return files.flatMap((path) => {
    let raw: Buffer;
    try {
      raw = readFileSync(path);
    } catch {
      return []; // pruned between listing and reading: nothing left to hold a word
    }
    const bytes = path.endsWith('.gz') ? gunzipSync(raw) : path.endsWith('.br') ? brotliDecompressSync(raw) : raw;
    const text = bytes.toString('latin1').toLowerCase();
    return needles.filter((needle) => text.includes(Buffer.from(needle.toLowerCase(), 'utf8').toString('latin1'))).map((needle) => `${needle} in ${path}`);
  });
}

describe('erasure after a redaction, against a started server', () => {
  let database: TemporaryDatabase;
  let app: RunningApp;
  let reviewId: number;
  let siteDir: string;
  let uploadDir: string;
  let outboxDir: string;
  let cookie: string;

  const publishesSettled = async () => {
    for (let attempt = 0; attempt < 600; attempt++) {
      const { rows } = await database.db.$client.execute("select count(*) as n from publish_runs where status in ('running', 'queued')");
      if (Number(rows[0]?.n) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('a publish did not finish in time');
  };
  const post = (path: string, body: URLSearchParams) =>
    fetch(`${app.url}${path}`, { method: 'POST', body, headers: { Origin: app.url, Cookie: cookie }, redirect: 'manual' });

  beforeAll(async () => {
    database = await createTemporaryDatabase();
    siteDir = join(database.directory, 'site');
    uploadDir = join(database.directory, 'uploads');
    outboxDir = join(database.directory, 'outbox');
    const { db } = database;
    await db.insert(adminUsers).values({ email: moderator.email, passwordHash: await hashPassword(moderator.password) });
    const ids = await seedReviews(db, [
      { name, email, company, role: 'Head of Operations', body: original, nameDisplay: 'first_initial', photoPath: await writeStoredPhoto(uploadDir) },
      { name: 'Someone Else', body: 'Another customer, who stays on the wall.' },
    ]);
    reviewId = ids[0]!;
    // A moderator's reply quoting their review, in the outbox.
    const [review] = await db.select().from(reviews).where(eq(reviews.id, reviewId));
    await sendMail(
      { db, transport: createOutboxTransport(outboxDir), from: 'reviews@localhost' },
      { to: email, subject: `About your review, ${name}`, text: `You wrote: ${original}`, html: `<p>You wrote: ${original}</p>`, idempotencyKey: 'reply:1', kind: 'reply', contactId: review!.contactId },
    );
    // The server starts from a build that shows the review as it was written.
    app = await startApp({ args: ['--no-demo'], env: { DATABASE_URL: database.url, SITE_DIR: siteDir, UPLOAD_DIR: uploadDir, OUTBOX_DIR: outboxDir } });
    cookie = await signInAdmin(app, moderator);
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
    database?.cleanup();
  });

  it('leaves none of their words, original or redacted, in any build, upload, outbox message or database byte', async () => {
    // The moderator removes the phone number and the office; the wall is republished.
    const [before] = await database.db.select().from(reviews).where(eq(reviews.id, reviewId));
    const redact = new URLSearchParams({ reviewId: String(reviewId), version: String(before!.updatedAt.getTime()) });
    redact.append('snippet', phone);
    redact.append('snippet', office);
    const redacted = await post('/admin/?_action=admin.redact', redact);
    expect(redacted.status).toBeLessThan(400);
    const [after] = await database.db.select().from(reviews).where(eq(reviews.id, reviewId));
    expect(after!.body).toBe(`Ingrid from the […] here, call me on […] to hear more. Support ${remaining}.`);
    await publishesSettled();

    // The test can fail: the server's own build still shows the original words, the live one the redacted text.
    const live = readFileSync(join(siteDir, 'current', 'client', 'index.html'), 'utf8');
    expect(live).toContain(remaining);
    expect(live).not.toContain(phone);
    const serverBuild = join(siteDir, 'builds', '1', 'client');
    expect(traces(filesUnder(serverBuild)).filter((trace) => trace.startsWith(phone)).length).toBeGreaterThan(3);

    const databaseFile = database.url.slice('file:'.length);
    const databaseFiles = () => [databaseFile, `${databaseFile}-wal`, `${databaseFile}-shm`].filter((file) => existsSync(file));
    expect(traces(databaseFiles()).length).toBeGreaterThan(0);

    const publicId = after!.publicId!;
    expect(publicId).toMatch(/^[0-9a-f]{16}$/);
    expect(live).toContain(`/testimonials/${publicId}/`);
    const erased = await post('/admin/erase/?_action=adminErasure.erase', new URLSearchParams({ email, confirm: 'yes' }));
    expect(erased.status).toBe(303);
    expect(erased.headers.get('location')).toMatch(/^\/admin\/erase\/\?erased=\d+&publishing=1$/);
    await publishesSettled();

    const everything = [...filesUnder(siteDir), ...filesUnder(uploadDir), ...filesUnder(outboxDir), ...databaseFiles()];
    expect(everything).toContain(databaseFile);
    expect(traces(everything)).toEqual([]);
    // Found by id: no page or photo of the review in any build, by public id or row id.
    for (const build of readdirSync(join(siteDir, 'builds'))) {
      for (const id of [publicId, String(reviewId)]) {
        expect(existsSync(join(siteDir, 'builds', build, 'client', 'testimonials', id)), `${build} ${id}`).toBe(false);
        const photos = join(siteDir, 'builds', build, 'client', 'testimonials', 'photos');
        expect(existsSync(photos) ? readdirSync(photos).filter((file) => file.startsWith(`${id}-`)) : [], build).toEqual([]);
      }
    }

    // The site still works: the other review is on the wall, the admin and its erasure page answer.
    expect(await (await fetch(`${app.url}/`)).text()).toContain('Another customer, who stays on the wall.');
    expect((await fetch(`${app.url}/admin/`, { headers: { Cookie: cookie } })).status).toBe(200);
    expect((await fetch(`${app.url}/testimonials/${publicId}/`)).status).toBe(404);
  }, 300_000);
});
