import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emailLog } from '../../../db/schema.ts';
import { renderEmail } from '../../../src/lib/email-layout.ts';
import {
  createMailTransport,
  createOutboxTransport,
  createResendTransport,
  MailDeliveryError,
  sendMail,
  type MailMessage,
} from '../../../src/lib/server/platform/mail.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';
import { startFakeResend, type FakeResend } from '../../helpers/fake-resend.ts';

const from = '"Acme" <reviews@acme.example>';

function message(key: string): MailMessage {
  return {
    ...renderEmail(
      {
        locale: 'uk',
        subject: 'Дякуємо за вашу оцінку',
        paragraphs: ['Чи поділитеся ви своїм досвідом?', 'Fish & <chips>'],
        action: { label: 'Написати відгук', url: 'https://reviews.example/r/abc' },
      },
      { businessName: 'Acme', primaryColor: '#1f5fbf' },
    ),
    idempotencyKey: key,
    kind: 'test',
    to: 'olena@example.com',
    headers: { 'List-Unsubscribe': '<https://reviews.example/u/abc>' },
  };
}

let temporary: TemporaryDatabase;
beforeEach(async () => {
  temporary = await createTemporaryDatabase();
});
afterEach(() => temporary.cleanup());

describe('without RESEND_API_KEY', () => {
  it('writes one RFC 5322 .eml per message into the outbox, with text and HTML parts', async () => {
    const outbox = join(temporary.directory, 'outbox');
    const transport = createMailTransport({ OUTBOX_DIR: outbox });
    expect(transport.name).toBe('outbox');
    const outcome = await sendMail({ db: temporary.db, transport, from }, message('invite:1'));
    expect(outcome.status).toBe('sent');

    const files = readdirSync(outbox);
    expect(files).toEqual(['invite_1.eml']);
    const eml = readFileSync(join(outbox, files[0]!), 'utf8');
    expect(eml).toMatch(/^Content-Type: multipart\/alternative;\s+boundary=/m);
    expect(eml).toMatch(/^Content-Type: text\/plain; charset=utf-8/m);
    expect(eml).toMatch(/^Content-Type: text\/html; charset=utf-8/m);
    expect(eml).toMatch(/^To: olena@example\.com$/m);
    expect(eml).toMatch(/^From: Acme <reviews@acme\.example>$/m);
    expect(eml).toMatch(/^Subject: =\?UTF-8\?/m);
    expect(eml).toMatch(/^List-Unsubscribe: <https:\/\/reviews\.example\/u\/abc>$/m);
    expect(eml).toMatch(/^Message-ID: </m);
    expect(eml).toMatch(/^Date: /m);

    const [logged] = await temporary.db.select().from(emailLog);
    expect(logged).toMatchObject({ idempotencyKey: 'invite:1', status: 'sent', transport: 'outbox', outboxFile: 'invite_1.eml' });
  });

  it('escapes HTML in the HTML part and keeps it verbatim in the text part', () => {
    const rendered = message('x');
    expect(rendered.html).toContain('Fish &#38; &#60;chips&#62;');
    expect(rendered.text).toContain('Fish & <chips>');
    expect(rendered.text).toContain('https://reviews.example/r/abc');
  });

  it('does not send the same key twice', async () => {
    const outbox = join(temporary.directory, 'outbox');
    const mailer = { db: temporary.db, transport: createOutboxTransport(outbox), from };
    await sendMail(mailer, message('invite:2'));
    const second = await sendMail(mailer, message('invite:2'));
    expect(second.status).toBe('already-sent');
    const rows = await temporary.db.select().from(emailLog).where(eq(emailLog.idempotencyKey, 'invite:2'));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.attempts).toBe(1);
  });
});

describe('with RESEND_API_KEY and RESEND_BASE_URL pointing at a fake Resend server', () => {
  let fake: FakeResend;
  beforeEach(async () => {
    fake = await startFakeResend();
  });
  afterEach(() => fake.close());

  it('delivers once with an Idempotency-Key header, even when sent twice', async () => {
    const transport = createMailTransport({ RESEND_API_KEY: 're_test_key', RESEND_BASE_URL: fake.url, OUTBOX_DIR: 'unused' });
    expect(transport.name).toBe('resend');
    const mailer = { db: temporary.db, transport, from };
    const first = await sendMail(mailer, message('invite:3'));
    const second = await sendMail(mailer, message('invite:3'));

    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.path).toBe('/emails');
    expect(request?.headers['idempotency-key']).toBe('invite:3');
    expect(request?.headers.authorization).toBe('Bearer re_test_key');
    expect(request?.body).toMatchObject({ to: 'olena@example.com', subject: 'Дякуємо за вашу оцінку', from });
    expect(first).toMatchObject({ status: 'sent', receipt: { providerMessageId: 'fake-1' } });
    expect(second).toEqual({ status: 'already-sent', providerMessageId: 'fake-1' });
  });

  it('retries 429 and 500 with the same key, honouring Retry-After', async () => {
    const waits: number[] = [];
    fake.respond = (_request, index) =>
      index === 0 ? { status: 429, headers: { 'retry-after': '2' } } : index === 1 ? { status: 500 } : undefined;
    const transport = createResendTransport({ apiKey: 're_test', baseUrl: fake.url, sleep: async (ms) => void waits.push(ms) });
    const outcome = await sendMail({ db: temporary.db, transport, from }, message('incentive:9'));
    expect(outcome.status).toBe('sent');
    expect(fake.requests.map((request) => request.headers['idempotency-key'])).toEqual(['incentive:9', 'incentive:9', 'incentive:9']);
    expect(waits[0]).toBe(2000);
    expect(waits).toHaveLength(2);
  });

  it('records a refused message as failed, with the reason, and does not retry a 422', async () => {
    fake.respond = () => ({ status: 422, body: { statusCode: 422, name: 'validation_error', message: 'Invalid `to` field.' } });
    const transport = createResendTransport({ apiKey: 're_test', baseUrl: fake.url, sleep: async () => {} });
    await expect(sendMail({ db: temporary.db, transport, from }, message('invite:4'))).rejects.toBeInstanceOf(MailDeliveryError);
    expect(fake.requests).toHaveLength(1);
    const [logged] = await temporary.db.select().from(emailLog);
    expect(logged).toMatchObject({ status: 'failed', error: 'Resend refused the message: Invalid `to` field.' });
  });
});
