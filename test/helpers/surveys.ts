import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../../db/client.ts';
import rawConfig from '../fixtures/review-wall.config.ts';
import { parseReviewWallConfig, type ReviewWallConfig, type ReviewWallConfigInput } from '../../src/lib/config-schema.ts';
import type { JobContext } from '../../src/lib/server/schedule/job-runner.ts';
import { createOutboxTransport } from '../../src/lib/server/platform/mail.ts';
import { readEml, type DecodedEmail } from './eml.ts';

/** The project's config with some sections changed (each given section replaces the file's). */
export function configWith(overrides: Partial<ReviewWallConfigInput> = {}): ReviewWallConfig {
  return parseReviewWallConfig({ ...(rawConfig as ReviewWallConfigInput), ...overrides });
}

let counter = 0;

/** Adds `count` contacts (name, locale) and returns their ids and addresses, in order. */
export async function addContacts(
  db: Database,
  count: number,
  options: { prefix?: string; locale?: string; name?: string | null } = {},
): Promise<{ id: number; email: string }[]> {
  const prefix = options.prefix ?? `customer-${process.pid}-${++counter}`;
  const added: { id: number; email: string }[] = [];
  for (let start = 0; start < count; start += 500) {
    const size = Math.min(500, count - start);
    const statements = Array.from({ length: size }, (_, index) => ({
      sql: 'insert into contacts (email, name, locale) values (?, ?, ?) returning id, email',
      args: [`${prefix}-${start + index}@example.test`, options.name === undefined ? `Customer ${start + index}` : options.name, options.locale ?? 'en'],
    }));
    for (const result of await db.$client.batch(statements, 'write')) added.push({ id: Number(result.rows[0]!.id), email: String(result.rows[0]!.email) });
  }
  return added;
}

/** A job context writing mail into `outboxDir` (no Resend). */
export function outboxJobContext(db: Database, config: ReviewWallConfig, outboxDir: string, siteUrl = 'https://reviews.acme.example'): JobContext {
  return { db, config, siteUrl, mailer: { db, transport: createOutboxTransport(outboxDir), from: 'Acme <reviews@acme.example>' } };
}

/** Every message in an outbox folder, decoded, with its file name. */
export function outboxMessages(outboxDir: string): (DecodedEmail & { file: string })[] {
  let files: string[];
  try {
    files = readdirSync(outboxDir).filter((file) => file.endsWith('.eml')).sort();
  } catch {
    return [];
  }
  return files.map((file) => ({ ...readEml(join(outboxDir, file)), file }));
}

/** The survey links (TOKEN and score) in a message's text part. */
export function surveyLinksIn(text: string): { token: string; score: number; url: string }[] {
  return [...text.matchAll(/(https?:\/\/[^\s/]+\/s\/([a-z2-7]{32})\/(\d+))(?![\w/])/g)].map((match) => ({ url: match[1]!, token: match[2]!, score: Number(match[3]) }));
}

/** A contact with a survey and one of its links, as the survey email would carry it. Returns the token. */
export async function createSurveyLink(
  db: Database,
  options: { locale?: string; name?: string | null; expired?: boolean; config?: ReviewWallConfig; now?: Date; kind?: 'nps' | 'csat' | 'ces' } = {},
): Promise<{ token: string; surveyId: number; contactId: number; email: string }> {
  const { createSurveys } = await import('../../src/lib/server/listen/surveys.ts');
  const { generateToken, hashToken } = await import('../../src/lib/tokens.ts');
  const [contact] = await addContacts(db, 1, { locale: options.locale ?? 'en', name: options.name });
  const [surveyId] = await createSurveys(db, options.config ?? configWith(), { contactIds: [contact!.id], trigger: 'manual', origin: 'test-link', now: options.now, kind: options.kind });
  if (surveyId === undefined) throw new Error('survey not created');
  const token = generateToken();
  await db.$client.batch(
    [
      { sql: 'insert into survey_tokens (token_hash, survey_id) values (?, ?)', args: [hashToken(token), surveyId] },
      { sql: 'update surveys set sent_at = created_at where id = ?', args: [surveyId] },
      // Sent by hand here: its send job is done.
      { sql: "update scheduled_jobs set done_at = 1, outcome = 'sent' where key = ?", args: [`send-survey:${surveyId}`] },
      ...(options.expired ? [{ sql: 'update surveys set expires_at = ? where id = ?', args: [Date.now() - 1000, surveyId] }] : []),
    ],
    'write',
  );
  return { token, surveyId, contactId: contact!.id, email: contact!.email };
}
