import type { InStatement, ResultSet } from '@libsql/client';
import { createHash } from 'node:crypto';
import type { Database } from '../../../../db/client.ts';

/**
 * What is kept of a customer erased on request: a SHA-256 of their trimmed, lower-cased address,
 * with a fixed prefix so it matches no other list of hashed addresses (ad platforms hash plain
 * addresses). It holds no name and no readable address; it only lets an import or the webhook
 * recognise the same address and leave it out, which is what the erasure asked for.
 */
export function erasedEmailHash(email: string): string {
  return createHash('sha256').update(`review-wall:erased:${email.trim().toLowerCase()}`).digest('hex');
}

/** Records an erased address (idempotent); run it in the erasure's own transaction. */
export function rememberErasedEmailStatement(email: string): InStatement {
  return { sql: 'insert into erased_emails (email_hash) values (?) on conflict (email_hash) do nothing', args: [erasedEmailHash(email)] };
}

/** Guard for an insert into contacts: true only when the address was never erased. */
export const notErasedSql = 'not exists (select 1 from erased_emails where email_hash = ?)';

/** Which of these addresses belong to erased customers (looked up by hash, through `run`). */
export async function findErasedEmails(run: (statements: InStatement[]) => Promise<ResultSet[]>, emails: string[]): Promise<Set<string>> {
  const byHash = new Map(emails.map((email) => [erasedEmailHash(email), email.trim().toLowerCase()]));
  if (byHash.size === 0) return new Set();
  const hashes = [...byHash.keys()];
  const [result] = await run([{ sql: `select email_hash from erased_emails where email_hash in (${hashes.map(() => '?').join(', ')})`, args: hashes }]);
  return new Set((result?.rows ?? []).map((row) => byHash.get(String(row.email_hash))!));
}

/** An erased address allowed to be imported again (npm run erase -- --allow-again). */
export const erasureLiftedAuditAction = 'contact.erasure-lifted';

/**
 * Lets an erased address be imported again (the customer came back and agreed to be asked).
 * Returns false when the address was not on the list.
 */
export async function forgetErasedEmail(db: Database, email: string, actor: { id: number | null; label: string }): Promise<boolean> {
  const [deleted] = await db.$client.batch(
    [
      { sql: 'delete from erased_emails where email_hash = ?', args: [erasedEmailHash(email)] },
      // The audit entry says that it happened and by whom, never the address.
      {
        sql: `insert into audit_log (actor_id, actor_label, action, subject_type) select ?, ?, ?, 'contact' where changes() > 0`,
        args: [actor.id, actor.label, erasureLiftedAuditAction],
      },
    ],
    'write',
  );
  return (deleted?.rowsAffected ?? 0) > 0;
}
